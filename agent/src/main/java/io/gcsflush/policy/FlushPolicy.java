package io.gcsflush.policy;

/**
 * Decides when to flush a Redis server and how much. The flusher looks at each server every
 * {@link #checkIntervalNanos()}; when the server is {@link #due due}, it reads the server's memory and asks
 * {@link #shouldFlush}.
 *
 * <p>What the flusher calls, per server, on its one thread (a policy that learns, such as
 * {@link AdaptiveFlushPolicy}, keeps what it learnt in the object {@link #forServer()} gives for that server):
 * <pre>
 * policy = global.forServer()                                  once, when the flusher first meets the server
 * every checkIntervalNanos():
 *   if policy.due(now, lastFlush):
 *     used = INFO memory used_memory; readAt = now
 *     if policy.shouldFlush(used, readAt, lastFlush):
 *       lastFlush = now
 *       n = policy.entriesToFlush(used, keysTracked)           remove up to n of the oldest keys, then
 *       policy.flushed(used, usedAfter, keysRemoved, start, end)   with used_memory read again after the removal
 * </pre>
 * A flush that removes nothing (no key tracked, a server that refuses) need not call {@link #flushed}. An order of
 * writes shared by several instances spaces their flushes of a server by {@link #spacingNanos()}.
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
     * @param nowNanos {@link System#nanoTime()} when {@code usedMemory} was read (at or after the time {@link #due}
     *     was given)
     * @param lastFlushNanos when this server was last flushed, or {@link Long#MIN_VALUE} if never
     */
    boolean shouldFlush(long usedMemory, long nowNanos, long lastFlushNanos);

    /** How many of the oldest tracked keys one flush removes (at most). */
    int entriesToFlush();

    /** The least time from one flush of a server to its next. */
    long periodNanos();

    /**
     * The least time between two flushes of a server by anyone, for an order of writes that several instances share
     * and that declines a flush sooner than this after another: Ray's period; the adaptive policy's shortest look,
     * since it may flush again at once while behind.
     */
    default long spacingNanos() {
        return periodNanos();
    }

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

    /**
     * The policy of one server. A policy that keeps nothing per server (Ray's) is its own; one that learns from each
     * server's flushes gives a fresh object, which the flusher keeps with that server and uses from one thread.
     */
    default FlushPolicy forServer() {
        return this;
    }

    /**
     * How many of the oldest tracked keys to remove now, once {@link #shouldFlush} said yes.
     *
     * @param usedMemory the {@code used_memory} that {@link #shouldFlush} was given
     * @param trackedKeys how many keys the agent tracks on that server
     */
    default int entriesToFlush(long usedMemory, long trackedKeys) {
        return entriesToFlush();
    }

    /**
     * What a flush did, for a policy that learns from it.
     *
     * @param usedBefore the {@code used_memory} read before the flush (the one {@link #shouldFlush} was given)
     * @param usedAfter {@code used_memory} read once the server had answered every removal
     * @param keysRemoved keys the server says it removed (0 in a dry run)
     * @param startNanos {@link System#nanoTime()} when {@code usedBefore} was read
     * @param endNanos {@link System#nanoTime()} when {@code usedAfter} was read
     */
    default void flushed(long usedBefore, long usedAfter, long keysRemoved, long startNanos, long endNanos) {
    }
}
