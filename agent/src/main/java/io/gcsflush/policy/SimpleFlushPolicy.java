package io.gcsflush.policy;

import io.gcsflush.config.Durations;
import io.gcsflush.config.Sizes;

/**
 * Ray's {@code SimpleGcsFlushPolicy}: flush once {@code used_memory} is at least {@code threshold}
 * ({@code flush_when_at_least_bytes}), at most once every {@code period} ({@code flush_period_secs}), removing
 * {@code batch} of the oldest keys each time ({@code flush_num_entries_each_time}). The flush rate is therefore at
 * most {@code batch / period} keys a second per server.
 */
public final class SimpleFlushPolicy implements FlushPolicy {
    private final long thresholdBytes;
    private final long periodNanos;
    private final int batch;

    public SimpleFlushPolicy(long thresholdBytes, long periodNanos, int batch) {
        if (thresholdBytes <= 0 || periodNanos <= 0 || batch <= 0) throw new IllegalArgumentException("all must be positive");
        this.thresholdBytes = thresholdBytes;
        this.periodNanos = periodNanos;
        this.batch = batch;
    }

    @Override
    public boolean due(long nowNanos, long lastFlushNanos) {
        // An unflushed server is always due.
        return lastFlushNanos == Long.MIN_VALUE || nowNanos - lastFlushNanos >= periodNanos;
    }

    @Override
    public boolean shouldFlush(long usedMemory, long nowNanos, long lastFlushNanos) {
        // Ray: time since the last flush first, then memory.
        return due(nowNanos, lastFlushNanos) && usedMemory >= thresholdBytes;
    }

    @Override
    public int entriesToFlush() {
        return batch;
    }

    @Override
    public long periodNanos() {
        return periodNanos;
    }

    public long thresholdBytes() {
        return thresholdBytes;
    }

    @Override
    public String describe() {
        return "flush " + batch + " oldest keys when used_memory >= " + Sizes.format(thresholdBytes) + ", at most every "
                + Durations.format(periodNanos);
    }
}
