package io.gcsflush.policy;

/**
 * Decides when to flush a Redis server and how much. The flusher looks at each server every
 * {@link #checkIntervalNanos()}; when the server is {@link #due due}, it reads the server's memory and asks
 * {@link #shouldFlush}.
 */
public interface FlushPolicy {
    /**
     * Whether enough time has passed since the last flush for another one: only then is the server's memory read.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @param lastFlushNanos when this server was last flushed, or {@link Long#MIN_VALUE} if never
     */
    boolean due(long nowNanos, long lastFlushNanos);

    /**
     * Whether to flush now: {@link #due} and the memory says so.
     *
     * @param usedMemory the server's {@code used_memory}, in bytes
     * @param nowNanos the current {@link System#nanoTime()}
     * @param lastFlushNanos when this server was last flushed, or {@link Long#MIN_VALUE} if never
     */
    boolean shouldFlush(long usedMemory, long nowNanos, long lastFlushNanos);

    /** How many of the oldest tracked keys one flush removes. */
    int entriesToFlush();

    /** The least time from one flush of a server to its next. */
    long periodNanos();

    /**
     * How often the flusher looks at each server: a tenth of the period (at least 10 ms, at most the period). A server
     * that is due and passes the threshold between two looks is flushed at the next one, not a whole period later.
     */
    default long checkIntervalNanos() {
        long period = periodNanos();
        return Math.max(Math.min(period, 10_000_000L), period / 10);
    }

    /** One line for the start-up log. */
    String describe();
}
