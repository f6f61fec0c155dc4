package io.gcsflush.jmx;

/** One Redis server the application writes to, {@code io.gcsflush:type=Server,name=<host>_<port>}. */
public interface ServerMXBean {
    /** {@code host:port}, as the application named it. */
    String getAddress();

    /** {@code ok}, {@code unreachable}, {@code refused}, {@code paused}, {@code replica}, {@code sentinel} or
     *  {@code uncovered}. */
    String getState();

    /** Why it is unreachable, as last seen; empty otherwise. */
    String getProblem();

    /** {@code used_memory} as the flusher last read it; -1 before the first read. */
    long getUsedMemory();

    /** When {@link #getUsedMemory()} was read, epoch milliseconds. */
    long getUsedMemoryTime();

    /** The threshold in force, bytes. */
    long getThreshold();

    /** Keys of the application's this agent tracks on the server. */
    long getKeysTracked();

    /** Keys in the order of writes there (the journal, shared with other instances; or this JVM's). */
    long getKeysInOrder();

    /** Bytes the tracked keys were written with (an estimate of their size). */
    long getBytesTracked();

    long getFlushes();

    long getKeysRemoved();

    /** When the last flush ended, epoch milliseconds; 0 before the first. */
    long getLastFlushTime();

    long getLastFlushDurationMillis();

    long getLastFlushKeysRemoved();

    /** Flushes this server now, whatever its memory, the period or a pause; returns what the flush did. */
    String flushNow();
}
