package io.gcsflush.policy;

import io.gcsflush.config.AgentConfig;
import io.gcsflush.config.Durations;
import io.gcsflush.config.Sizes;
import java.util.Locale;

/**
 * Holds a server's {@code used_memory} at the threshold whatever the application's write rate, which Ray's fixed
 * {@code batch / period} cannot: once memory is at or over the threshold, remove as many of the oldest keys as bring
 * it back under the low-water mark, at most {@code maxBatch} a flush; while a flush could not do it all (the bound cut
 * it short, or memory is still at the threshold), flush again at the flusher's next round.
 *
 * <ul>
 *   <li><b>How many keys.</b> (used_memory - low water) / bytes a key. Bytes a key is learnt from the flushes: what
 *       used_memory dropped, plus what the server grew by meanwhile at the rate seen between looks (the application
 *       keeps writing during a flush), over the keys the server removed; smoothed over flushes, and never more than
 *       used_memory over the keys tracked there (no key of the application's is larger than that on average). That
 *       ceiling is also the first estimate: it counts the server's own and others' memory as the application's, so
 *       the first flush removes too few rather than too many, and the next finishes the job.</li>
 *   <li><b>The bound.</b> {@code maxBatch} keys a flush bounds the time one flush takes Redis: UNLINK frees a small
 *       key at once, at some 0.2 µs of Redis's time for a 100-byte value and 0.4 µs for 1 KiB (BENCHMARKS.md): 3-8 ms
 *       for the default 20,000 keys, not in one block, as Redis serves its other clients between two reads of 16 KiB
 *       of the agent's commands.</li>
 *   <li><b>When to look.</b> Behind: at the flusher's next round. Otherwise when, at the growth rate seen between the
 *       last looks, half the room left under the threshold would be used, between {@value #MIN_INTERVAL_MILLIS} ms
 *       and a tenth of the period (Ray's monitor interval): a fast writer is looked at often as it nears the
 *       threshold, an idle one once a tenth of a period. A flush that removed nothing (no key left to remove, a
 *       server that refuses, a dry run) is tried again a tenth of a period later.</li>
 * </ul>
 *
 * <p>Pure: no clock, no I/O; every time is given. {@link #forServer()} gives each server its own state; the
 * object the agent constructs only carries the settings.
 */
public final class AdaptiveFlushPolicy implements FlushPolicy {
    static final long MIN_INTERVAL_MILLIS = 5;
    /** Weight of a new sample in the smoothed bytes a key. */
    static final double SMOOTHING = 0.25;
    /** The growth rate is smoothed over about this long: a sample weighs its share of it. */
    static final long RATE_WINDOW_NANOS = 100_000_000L;

    private final long thresholdBytes;
    private final long lowWaterBytes;
    private final double lowWaterFraction;
    private final long periodNanos;
    private final int maxBatch;
    private final long minIntervalNanos;
    private final long maxIntervalNanos;

    // One server's state (the objects forServer() gives).
    /** The last flush could not bring the server under the low-water mark. */
    private boolean behind;
    /** The last count asked for was cut to {@code maxBatch}. */
    private boolean cut;
    private boolean looked;
    private long nextLookNanos;
    private long lastLookNanos;
    private long lastUsed;
    /** Growth of used_memory, bytes a second, smoothed over time, and the last sample; NaN until one is seen. */
    private double growthRate = Double.NaN;
    private double lastGrowthRate = Double.NaN;
    /** Bytes a flush freed per key removed, smoothed; 0 until a flush has freed something. */
    private double bytesPerKey;

    /**
     * @param thresholdBytes flush once used_memory is at least this
     * @param lowWaterFraction down to this fraction of the threshold, in (0, 1]
     * @param periodNanos a tenth of it is the longest time between two looks at a server
     * @param maxBatch the most keys one flush removes
     */
    public AdaptiveFlushPolicy(long thresholdBytes, double lowWaterFraction, long periodNanos, int maxBatch) {
        if (thresholdBytes <= 0 || periodNanos <= 0 || maxBatch <= 0) {
            throw new IllegalArgumentException("all must be positive");
        }
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

    /** Flushes follow each other as the server needs: only one instance's at a time, a look apart. */
    @Override
    public long spacingNanos() {
        return minIntervalNanos;
    }

    /** Whether this server's next look has come; {@code lastFlushNanos} is not needed. */
    @Override
    public boolean due(long nowNanos, long lastFlushNanos) {
        return !looked || nowNanos - nextLookNanos >= 0;
    }

    /**
     * Takes in a look at the server's memory, and says whether to remove keys now: at or over the threshold, or over
     * the low-water mark while behind.
     */
    @Override
    public boolean shouldFlush(long usedMemory, long nowNanos, long lastFlushNanos) {
        long dt = nowNanos - lastLookNanos;
        if (looked && dt > 0) {
            // Signed: clipping the samples that shrink would bias the average up (used_memory is noisy over a few ms).
            double rate = (double) (usedMemory - lastUsed) * 1e9 / dt;
            lastGrowthRate = rate;
            growthRate = Double.isNaN(growthRate) ? rate
                    : growthRate + Math.min(1.0, (double) dt / RATE_WINDOW_NANOS) * (rate - growthRate);
        }
        looked = true;
        lastLookNanos = nowNanos;
        lastUsed = usedMemory;
        if (usedMemory <= lowWaterBytes) behind = false;
        boolean flush = usedMemory >= thresholdBytes || behind;
        // Until flushed() says keys went, as if the flush removed nothing: then retry only a tenth of a period later.
        nextLookNanos = nowNanos + (flush ? maxIntervalNanos : untilNextLook(usedMemory));
        return flush;
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
        // No key of the application's can be larger on average than used_memory over the keys tracked there.
        double most = trackedKeys > 0 ? (double) usedMemory / trackedKeys : Double.MAX_VALUE;
        double perKey = bytesPerKey > 0 ? Math.min(bytesPerKey, most) : most;
        double wanted = perKey == Double.MAX_VALUE ? Double.MAX_VALUE : Math.max(1, Math.ceil(excess / perKey));
        cut = wanted > maxBatch;
        return (int) Math.min(maxBatch, wanted);
    }

    @Override
    public void flushed(long usedBefore, long usedAfter, long keysRemoved, long startNanos, long endNanos) {
        if (keysRemoved > 0) {
            // What the application wrote while the keys went hides as much of what they freed. A sample where that
            // guess would be most of the figure says more about the guess than about the keys: not taken.
            double dropped = usedBefore - usedAfter;
            double grew = growthRate > 0 ? growthRate * Math.max(0, endNanos - startNanos) / 1e9 : 0;
            double freed = dropped + grew;
            if (dropped > 0 && grew <= dropped) {
                double sample = freed / keysRemoved;
                bytesPerKey = bytesPerKey <= 0 ? sample : bytesPerKey + SMOOTHING * (sample - bytesPerKey);
            }
        }
        // The next growth sample starts here, after the removal.
        lastLookNanos = endNanos;
        lastUsed = usedAfter;
        behind = usedAfter > lowWaterBytes && (cut || usedAfter >= thresholdBytes);
        // Behind: at the flusher's next round, at once if this flush took longer than a round's interval.
        if (keysRemoved > 0) nextLookNanos = behind ? endNanos : endNanos + untilNextLook(usedAfter);
    }

    /** Time until half the room under the threshold would be used at the growth rate seen, within the bounds. */
    long untilNextLook(long usedMemory) {
        if (Double.isNaN(growthRate)) return minIntervalNanos; // a second look gives a rate
        double rate = Math.max(growthRate, lastGrowthRate);
        long room = thresholdBytes - usedMemory;
        if (room <= 0) return minIntervalNanos;
        if (rate <= 0) return maxIntervalNanos;
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

    /** Whether the last flush could not bring this server back under the low-water mark. */
    public boolean behind() {
        return behind;
    }

    /** Bytes a removed key freed, smoothed over flushes; 0 before the first. */
    public double bytesPerKey() {
        return bytesPerKey;
    }

    /** used_memory's growth in bytes a second, smoothed over looks; NaN before the second look. */
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
                Sizes.format(lowWaterBytes), AgentConfig.percent(lowWaterFraction), maxBatch,
                Durations.format(minIntervalNanos), Durations.format(maxIntervalNanos));
    }
}
