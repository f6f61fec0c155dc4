package io.gcsflush.ops;

import io.gcsflush.redis.ServerAddress;

/**
 * What the flusher knows of one server, published for the MBeans to read from any thread. Only the flusher thread
 * writes (each field is a volatile written by that one thread, so a plain increment is safe); readers see each value
 * as of its last write. The counts of tracked keys come from the tracker, read by the flusher under the tracker's
 * lock, never by the reading thread.
 */
public final class ServerStats {
    private final ServerAddress address;
    private final Control control;
    private volatile ServerState state = ServerState.OK;
    private volatile String problem;
    private volatile long usedMemory = -1;
    private volatile long usedMemoryAt;
    private volatile long keysTracked;
    private volatile long bytesTracked;
    private volatile long keysInOrder;
    private volatile long flushes;
    private volatile long keysRemoved;
    private volatile long lastFlushAt;
    private volatile long lastFlushMillis;
    private volatile long lastFlushRemoved;

    ServerStats(ServerAddress address, Control control) {
        this.address = address;
        this.control = control;
    }

    public ServerAddress address() { return address; }

    /**
     * The state as shown: what the flusher last found, except that a server it would flush shows {@code paused}
     * while flushing is paused.
     */
    public ServerState state() {
        ServerState s = state;
        boolean flushable = s == ServerState.OK || s == ServerState.REFUSED || s == ServerState.UNCOVERED;
        return flushable && control.paused() ? ServerState.PAUSED : s;
    }

    /** The state as the flusher last found it, pause aside. */
    public ServerState found() {
        return state;
    }

    /** Why the server is unreachable or refuses, as it last said; null when it does not. */
    public String problem() { return problem; }
    /** {@code used_memory} as last read, or -1 before the first read. */
    public long usedMemory() { return usedMemory; }
    /** When {@link #usedMemory()} was read (epoch ms), 0 before. */
    public long usedMemoryAt() { return usedMemoryAt; }
    public long keysTracked() { return keysTracked; }
    public long bytesTracked() { return bytesTracked; }
    public long keysInOrder() { return keysInOrder; }
    public long flushes() { return flushes; }
    public long keysRemoved() { return keysRemoved; }
    /** When the last flush ended (epoch ms), 0 before the first. */
    public long lastFlushAt() { return lastFlushAt; }
    public long lastFlushMillis() { return lastFlushMillis; }
    public long lastFlushRemoved() { return lastFlushRemoved; }

    // Written by the flusher thread only.

    public void state(ServerState value, String why) {
        state = value;
        problem = why;
    }

    public void usedMemory(long bytes) {
        usedMemory = bytes;
        usedMemoryAt = System.currentTimeMillis();
    }

    public void sizes(long keys, long bytes, long inOrder) {
        keysTracked = keys;
        bytesTracked = bytes;
        keysInOrder = inOrder;
    }

    /** A flush ended: {@code removed} keys went (0 in a dry run), in {@code millis}. */
    public void flushed(long removed, long millis) {
        flushes++;
        keysRemoved += removed;
        lastFlushRemoved = removed;
        lastFlushMillis = millis;
        lastFlushAt = System.currentTimeMillis();
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
