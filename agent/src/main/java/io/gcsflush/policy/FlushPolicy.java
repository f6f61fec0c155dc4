package io.gcsflush.policy;

/**
 * Decides when to flush a Redis server and how much. The flusher asks each server for its memory every
 * {@link #periodNanos()} and consults the policy.
 */
public interface FlushPolicy {
    /**
     * Whether to flush now.
     *
     * @param usedMemory the server's {@code used_memory}, in bytes
     * @param nowNanos the current {@link System#nanoTime()}
     * @param lastFlushNanos when this server was last flushed, or {@link Long#MIN_VALUE} if never
     */
    boolean shouldFlush(long usedMemory, long nowNanos, long lastFlushNanos);

    /** How many of the oldest tracked keys one flush removes. */
    int entriesToFlush();

    /** How often each server is checked. */
    long periodNanos();

    /** One line for the start-up log. */
    String describe();
}
