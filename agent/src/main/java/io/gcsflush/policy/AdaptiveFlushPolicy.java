package io.gcsflush.policy;

import io.gcsflush.config.AgentConfig;
import io.gcsflush.config.Durations;
import io.gcsflush.config.Sizes;
import java.util.Locale;

/**
 * Holds a server's {@code used_memory} at the threshold whatever the application's write rate, which Ray's fixed
 * {@code batch / period} cannot: once memory is at or over the threshold, remove as many of the oldest keys as bring
 * it back under the low-water mark, at most {@code maxBatch} a flush, and keep removing, a flush every
 * {@value #MIN_INTERVAL_MILLIS} ms or so, until it is under the mark.
 *
 * <ul>
 *   <li><b>How many keys.</b> (used_memory - low water) / bytes a key. Bytes a key is learnt from the flushes: what
 *       used_memory dropped, plus what the server grew by meanwhile at the rate seen between looks (the application
 *       keeps writing during a flush), over the keys the server removed; smoothed over flushes. Before the first flush
 *       it is used_memory over the keys tracked there, which counts the server's own and others' memory as the
 *       application's and so over-estimates: the first flush removes too few rather than too many, and the next look
 *       finishes the job with a measured figure.</li>
 *   <li><b>The bound.</b> {@code maxBatch} keys a flush bounds how long one flush keeps Redis busy: UNLINK frees a
 *       small key at once, at some 0.2 µs of Redis's time for a 100-byte value, 0.4 µs for 1 KiB (BENCHMARKS.md),
 *       and between two flushes of a server the application has the server to itself for at least
 *       {@value #MIN_INTERVAL_MILLIS} ms.</li>
 *   <li><b>When to look.</b> While removing (the low-water mark not reached yet): again {@value #MIN_INTERVAL_MILLIS}
 *       ms after the flush ends. Otherwise when, at the growth rate seen between the last looks, half the room left
 *       under the threshold would be used, between {@value #MIN_INTERVAL_MILLIS} ms and a tenth of the period (Ray's
 *       monitor interval): a fast writer is looked at often as it nears the threshold, an idle one once a
 *       tenth of a period. A flush that removed nothing (no key left to remove, a server that refuses, a dry run)
 *       is tried again only a tenth of a period later.</li>
 * </ul>
 *
 * <p>Pure: no clock, no I/O; every time is given. {@link #forServer()} gives each server its own state; the
 * object the agent constructs only carries the settings.
 */
public final class AdaptiveFlushPolicy implements FlushPolicy {
    static final long MIN_INTERVAL_MILLIS = 5;
    /** Weight of a new sample in the smoothed bytes a key and growth rate. */
    static final double SMOOTHING = 0.25;

    private final long thresholdBytes;
    private final long lowWaterBytes;
    private final double lowWaterFraction;
    private final long periodNanos;
    private final int maxBatch;
    private final long minIntervalNanos;
    private final long maxIntervalNanos;

    // One server's state (the objects forServer() gives).
    /** Between reaching the threshold and getting back under the low-water mark. */
    private boolean removing;
    private boolean looked;
    private long nextLookNanos;
    private long lastLookNanos;
    private long lastUsed;
    /** Growth of used_memory, bytes a second: smoothed, and the last sample; negative until one is seen. */
    private double growthRate = -1;
    private double lastGrowthRate = -1;
    /** Bytes a flush freed per key removed, smoothed; 0 until a flush has freed something. */
    private double bytesPerKey;

    /**
     * @param thresholdBytes flush once used_memory is at least this
     * @param lowWaterFraction down to this fraction of the threshold, in (0, 1]
     * @param periodNanos a tenth of it is the longest time between two looks at a server
     * @param maxBatch the most keys one flush removes
     */
    public AdaptiveFlushPolicy(long thresholdBytes, double lowWaterFraction, long periodNanos, int maxBatch) {
        if (thresholdBytes <= 0 || periodNanos <= 0 || maxBatch <= 0) throw new IllegalArgumentException("all must be positive");
        if (!(lowWaterFraction > 0 && lowWaterFraction <= 1)) throw new IllegalArgumentException("low water in (0, 1]");
        this.thresholdBytes = thresholdBytes;
        this.lowWaterFraction = lowWaterFraction;
        this.lowWaterBytes = (long) Math.floor(thresholdBytes * lowWaterFraction);
        this.periodNanos = periodNanos;
        this.maxBatch = maxBatch;
        this.maxIntervalNanos = FlushPolicy.super.checkIntervalNanos();
        this.minIntervalNanos = Math.min(maxIntervalNanos, MIN_INTERVAL_MILLIS * 1_000_000L);
    }

    @Override
    public FlushPolicy forServer() {
        return new AdaptiveFlushPolicy(thresholdBytes, lowWaterFraction, periodNanos, maxBatch);
    }

    /** The flusher's tick: the shortest time between two looks at a server. */
    @Override
    public long checkIntervalNanos() {
        return minIntervalNanos;
    }

    /** Whether this server's next look has come; {@code lastFlushNanos} is not needed. */
    @Override
    public boolean due(long nowNanos, long lastFlushNanos) {
        return !looked || nowNanos - nextLookNanos >= 0;
    }

    /**
     * Takes in a look at the server's memory, and says whether to remove keys now: at or over the threshold, and on
     * until a look or a flush finds it at or under the low-water mark.
     */
    @Override
    public boolean shouldFlush(long usedMemory, long nowNanos, long lastFlushNanos) {
        if (looked && nowNanos - lastLookNanos > 0) {
            double rate = Math.max(0, usedMemory - lastUsed) * 1e9 / (nowNanos - lastLookNanos);
            lastGrowthRate = rate;
            growthRate = growthRate < 0 ? rate : growthRate + SMOOTHING * (rate - growthRate);
        }
        looked = true;
        lastLookNanos = nowNanos;
        lastUsed = usedMemory;
        if (usedMemory >= thresholdBytes) removing = true;
        else if (usedMemory <= lowWaterBytes) removing = false;
        // Until flushed() says keys went, as if the flush removed nothing: then retry only a tenth of a period later.
        nextLookNanos = nowNanos + (removing ? maxIntervalNanos : untilNextLook(usedMemory));
        return removing;
    }

    @Override
    public int entriesToFlush() {
        return maxBatch;
    }

    /**
     * (used_memory - low water) / bytes a key, rounded up, at least 1 (under the mark, not at it: with a low-water
     * mark of 100% a server at the threshold still loses a key) and at most {@code maxBatch}.
     */
    @Override
    public int entriesToFlush(long usedMemory, long trackedKeys) {
        long excess = usedMemory - lowWaterBytes;
        if (excess < 0) return 0;
        double perKey = bytesPerKey > 0 ? bytesPerKey : trackedKeys > 0 ? (double) usedMemory / trackedKeys : 0;
        if (perKey <= 0) return maxBatch;
        return (int) Math.max(1, Math.min(maxBatch, Math.ceil(excess / perKey)));
    }

    @Override
    public void flushed(long usedBefore, long usedAfter, long keysRemoved, long startNanos, long endNanos) {
        if (keysRemoved > 0) {
            // What the application wrote while the keys went would hide as much of what they freed.
            double grew = Math.max(0, growthRate) * Math.max(0, endNanos - startNanos) / 1e9;
            double freed = usedBefore - usedAfter + grew;
            if (freed > 0) {
                double sample = freed / keysRemoved;
                bytesPerKey = bytesPerKey <= 0 ? sample : bytesPerKey + SMOOTHING * (sample - bytesPerKey);
            }
        }
        // The next growth sample starts here, after the removal.
        lastLookNanos = endNanos;
        lastUsed = usedAfter;
        if (usedAfter <= lowWaterBytes) removing = false;
        if (keysRemoved > 0) nextLookNanos = endNanos + (removing ? minIntervalNanos : untilNextLook(usedAfter));
    }

    /** Time until half the room under the threshold would be used at the growth rate seen, within the bounds. */
    long untilNextLook(long usedMemory) {
        double rate = Math.max(growthRate, lastGrowthRate);
        if (rate < 0) return minIntervalNanos; // a second look gives a rate
        long room = thresholdBytes - usedMemory;
        if (room <= 0) return minIntervalNanos;
        if (rate == 0) return maxIntervalNanos;
        double nanos = room / rate / 2 * 1e9;
        return (long) Math.max(minIntervalNanos, Math.min(maxIntervalNanos, nanos));
    }

    @Override
    public long periodNanos() {
        return periodNanos;
    }

    public long thresholdBytes() {
        return thresholdBytes;
    }

    public long lowWaterBytes() {
        return lowWaterBytes;
    }

    /** Whether this server is being brought back under the low-water mark. */
    public boolean removing() {
        return removing;
    }

    /** Bytes a removed key freed, smoothed over flushes; 0 before the first. */
    public double bytesPerKey() {
        return bytesPerKey;
    }

    /** used_memory's growth in bytes a second, smoothed over looks; negative before the second look. */
    public double growthRate() {
        return growthRate;
    }

    /** When this server is looked at next (its {@link System#nanoTime()}), once it has been looked at. */
    public long nextLookNanos() {
        return nextLookNanos;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "adaptive: when used_memory >= %s, flush the oldest keys down to %s (%s of "
                        + "it), at most %d a flush; memory read every %s to %s", Sizes.format(thresholdBytes),
                Sizes.format(lowWaterBytes), AgentConfig.percent(lowWaterFraction), maxBatch, Durations.format(minIntervalNanos),
                Durations.format(maxIntervalNanos));
    }
}
