package io.gcsflush.track;

import io.gcsflush.Log;
import io.gcsflush.config.Sizes;
import io.gcsflush.redis.ServerAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every server the application wrote to, with its keys, under one lock. The event thread holds the lock while it
 * applies a batch of events; the flusher holds it while it picks keys and while it confirms their removal. No
 * application thread ever takes it.
 */
public final class Tracker {

    /**
     * Fair: the event thread takes the lock again right after each batch, and while the application writes fast it
     * always has a batch; unfair, it would keep the flusher (appending to the journal, flushing) waiting for as long.
     */
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Map<ServerAddress, ServerEntry> servers = new LinkedHashMap<>();
    private final long maxKeys;
    private boolean capReached;
    private long forgottenAtCap;

    public Tracker(long maxKeys) {
        this.maxKeys = maxKeys;
    }

    public ReentrantLock lock() {
        return lock;
    }

    /** The entry for a server, created on first use; under the lock. */
    ServerEntry server(ServerAddress address) {
        ServerEntry entry = servers.get(address);
        if (entry == null) {
            entry = new ServerEntry(address);
            servers.put(address, entry);
            // Said by the flusher once it knows the server holds data (not a sentinel, not a replica).
        }
        return entry;
    }

    /** The entry for a server the application has not written to (yet): where a failover took its data. */
    public ServerEntry serverFor(ServerAddress address) {
        lock.lock();
        try {
            return server(address);
        } finally {
            lock.unlock();
        }
    }

    /** The servers known so far; takes the lock. */
    public List<ServerEntry> servers() {
        lock.lock();
        try {
            return new ArrayList<>(servers.values());
        } finally {
            lock.unlock();
        }
    }

    /** The servers, live; under the lock. */
    java.util.Collection<ServerEntry> serversUnlocked() {
        return servers.values();
    }

    /** Keys tracked on all servers; under the lock. */
    public long keys() {
        long n = 0;
        for (ServerEntry s : servers.values()) n += s.keys().size();
        return n;
    }

    /** What the tracker costs the heap, approximately; under the lock. */
    public long memoryBytes() {
        long n = 0;
        for (ServerEntry s : servers.values()) n += s.keys().memoryBytes();
        return n;
    }

    /** Keys forgotten because the cap was reached. */
    public long forgottenAtCap() {
        return forgottenAtCap;
    }

    /**
     * Above {@code max-keys}, forgets the oldest keys of the server with the most, so that the agent's memory stays
     * bounded. Those keys stay in Redis and are never removed by the agent: the least harm, since the newest keys
     * (the ones Redis should keep) stay tracked, and a key forgotten is never a key wrongly removed. Under the lock.
     */
    void enforceCap() {
        long total = keys();
        if (total <= maxKeys) return;
        if (!capReached) {
            capReached = true;
            Log.warn("tracking max-keys={} keys ({} of heap): from now on the agent forgets its oldest keys, and will "
                    + "never remove them from Redis; raise max-keys (and the heap) to track more", maxKeys,
                    Sizes.format(memoryBytes()));
        }
        while (total > maxKeys) {
            ServerEntry largest = null;
            ServerEntry second = null;
            for (ServerEntry s : servers.values()) {
                if (largest == null || s.keys().size() > largest.keys().size()) {
                    second = largest;
                    largest = s;
                } else if (second == null || s.keys().size() > second.keys().size()) {
                    second = s;
                }
            }
            if (largest == null) return;
            // From the largest, down to the second largest (or all that is over the cap): the same result as one key
            // at a time from whichever is largest, in a few passes.
            long over = total - maxKeys;
            long lead = largest.keys().size() - (second == null ? 0 : second.keys().size());
            long step = Math.min(over, Math.max(1, lead));
            int evicted = largest.keys().evictOldest((int) Math.min(Integer.MAX_VALUE, step));
            if (evicted == 0) return;
            forgottenAtCap += evicted;
            total -= evicted;
        }
    }
}
