package io.gcsflush.ops;

import io.gcsflush.config.AgentConfig;
import io.gcsflush.config.Durations;
import io.gcsflush.config.Sizes;
import io.gcsflush.policy.AdaptiveFlushPolicy;
import io.gcsflush.policy.FlushPolicy;
import io.gcsflush.policy.SimpleFlushPolicy;
import java.util.List;
import java.util.Locale;

/**
 * The settings that decide when and how much the flusher removes, as one immutable value. The agent starts with those
 * of its configuration; a change at run time (through JMX, or {@code gcs-flush set}) makes a new value, which the
 * flusher picks up at its next round and rebuilds its policies from. {@code dry-run} and {@code order} are here to be
 * read: they are built into the order of writes, which is made once.
 */
public final class Settings {
    /** The settings that may change while the agent runs, in the order they are shown. */
    public static final List<String> WRITABLE = List.of("threshold", "period", "batch", "policy", "low-water",
            "max-batch");

    private final long thresholdBytes;
    private final long periodNanos;
    private final int batch;
    private final String policy;
    private final double lowWater;
    private final int maxBatch;
    private final boolean dryRun;
    private final boolean journal;

    private Settings(long thresholdBytes, long periodNanos, int batch, String policy, double lowWater, int maxBatch,
            boolean dryRun, boolean journal) {
        this.thresholdBytes = thresholdBytes;
        this.periodNanos = periodNanos;
        this.batch = batch;
        this.policy = policy;
        this.lowWater = lowWater;
        this.maxBatch = maxBatch;
        this.dryRun = dryRun;
        this.journal = journal;
    }

    public static Settings of(AgentConfig config) {
        return new Settings(config.thresholdBytes(), config.periodNanos(), config.batch(), config.policy(),
                config.lowWater(), config.maxBatch(), config.dryRun(), config.journal());
    }

    /**
     * These settings with one changed, its value read as at start-up ({@code threshold=1g}, {@code period=500ms},
     * Ray's names too). Throws IllegalArgumentException with a one-line reason for a setting that cannot change while
     * the agent runs, or a value it refuses.
     */
    public Settings with(String name, String value) {
        String key = AgentConfig.keyOf(name);
        if (key == null) {
            throw new IllegalArgumentException("no setting '" + shown(name) + "'; those that can change while the "
                    + "agent runs: " + String.join(", ", WRITABLE));
        }
        if (!WRITABLE.contains(key)) {
            throw new IllegalArgumentException(key + " cannot change while the agent runs (it is read once, at "
                    + "start); those that can: " + String.join(", ", WRITABLE));
        }
        AgentConfig parsed;
        try {
            parsed = AgentConfig.parseOne(key, value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + key + "=" + shown(value) + ": " + e.getMessage());
        }
        switch (key) {
            case "threshold": return new Settings(parsed.thresholdBytes(), periodNanos, batch, policy, lowWater,
                    maxBatch, dryRun, journal);
            case "period": return new Settings(thresholdBytes, parsed.periodNanos(), batch, policy, lowWater,
                    maxBatch, dryRun, journal);
            case "batch": return new Settings(thresholdBytes, periodNanos, parsed.batch(), policy, lowWater, maxBatch,
                    dryRun, journal);
            case "policy": return new Settings(thresholdBytes, periodNanos, batch, parsed.policy(), lowWater,
                    maxBatch, dryRun, journal);
            case "low-water": return new Settings(thresholdBytes, periodNanos, batch, policy, parsed.lowWater(),
                    maxBatch, dryRun, journal);
            case "max-batch": return new Settings(thresholdBytes, periodNanos, batch, policy, lowWater,
                    parsed.maxBatch(), dryRun, journal);
            default: throw new IllegalStateException(key);
        }
    }

    /** A new policy object of these settings (the flusher gives each server its own, {@link FlushPolicy#forServer}). */
    public FlushPolicy policy() {
        return adaptive() ? new AdaptiveFlushPolicy(thresholdBytes, lowWater, periodNanos, maxBatch)
                : new SimpleFlushPolicy(thresholdBytes, periodNanos, batch);
    }

    /** A setting's value as the agent argument would give it: {@code 64.0 MiB} is shown {@code 64m}-like. */
    public String value(String key) {
        switch (key) {
            case "threshold": return Sizes.format(thresholdBytes);
            case "period": return Durations.format(periodNanos);
            case "batch": return Integer.toString(batch);
            case "policy": return policy;
            case "low-water": return AgentConfig.percent(lowWater);
            case "max-batch": return Integer.toString(maxBatch);
            case "dry-run": return Boolean.toString(dryRun);
            case "order": return journal ? "journal" : "local";
            default: throw new IllegalArgumentException("no setting " + key);
        }
    }

    public long thresholdBytes() { return thresholdBytes; }
    public long periodNanos() { return periodNanos; }
    public int batch() { return batch; }
    /** {@code ray} or {@code adaptive}. */
    public String policyName() { return policy; }
    public boolean adaptive() { return policy.equals("adaptive"); }
    /** The low-water mark, a fraction of the threshold in (0, 1]. */
    public double lowWater() { return lowWater; }
    public int maxBatch() { return maxBatch; }
    public boolean dryRun() { return dryRun; }
    /** Whether the order of writes is the journal in Redis ({@code order=journal}), rather than this JVM's. */
    public boolean journal() { return journal; }

    /** {@code threshold=64.0 MiB, period=1s, ...}: every setting here, for people. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (String key : WRITABLE) {
            if (!adaptive() && (key.equals("low-water") || key.equals("max-batch"))) continue;
            if (adaptive() && key.equals("batch")) continue;
            b.append(key).append('=').append(value(key)).append(", ");
        }
        return b.append("dry-run=").append(dryRun).append(", order=").append(value("order")).toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    /** A value as it may be echoed: control characters escaped, at most 64 characters. */
    private static String shown(String text) {
        if (text == null) return "";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < 64; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else b.append(c);
        }
        return text.length() > 64 ? b + "... (" + text.length() + " characters)" : b.toString();
    }
}
