package io.gcsflush.order;

import io.gcsflush.track.KeyLog;
import io.gcsflush.track.ServerEntry;
import io.gcsflush.track.Tracker;
import java.io.IOException;

/**
 * {@code order=local}: the order is this JVM's log of the keys it wrote ({@link KeyLog}). Nothing is written to Redis
 * besides the removals; the order lives and dies with the JVM and each JVM removes only its own keys. For batch jobs
 * whose data lives exactly as long as they do.
 */
public final class LocalOrder implements WriteOrder {
    /** Keys confirmed under one hold of the tracker's lock. */
    private static final int CONFIRM_SLICE = 4096;

    private final Tracker tracker;
    private final KeyAction action;

    public LocalOrder(Tracker tracker, KeyAction action) {
        this.tracker = tracker;
        this.action = action;
    }

    @Override
    public void sync(ServerEntry server, ServerLink link) {
        // The log is the order: nothing to do.
    }

    @Override
    public Removal removeOldest(ServerEntry server, ServerLink link, int max, long spacingNanos) throws IOException {
        FlushBatch batch;
        long before;
        tracker.lock().lock();
        try {
            KeyLog keys = server.keys();
            before = keys.size();
            batch = FlushBatch.oldest(keys, max);
            if (batch.isEmpty()) return Removal.done(0, 0, before, before, null, false);
            keys.beginFlight();
        } finally {
            tracker.lock().unlock();
        }
        KeyAction.Result result = null;
        try {
            result = action.apply(link.connection(), batch, link);
        } finally {
            confirm(server, batch, result);
        }
        long left = size(server);
        long removed = action.removes() ? result.removed() : batch.size();
        return Removal.done(batch.size(), removed, before, left, result.error(), result.doneCount() == 0);
    }

    /**
     * Forgets the keys the action dealt with, and ends the flight. The lock is taken a slice of keys at a time, so
     * that the event thread is never kept waiting for long by a big batch.
     */
    private void confirm(ServerEntry server, FlushBatch batch, KeyAction.Result result) {
        boolean forget = result != null && action.removes();
        int n = forget ? batch.size() : 0;
        int i = 0;
        do {
            tracker.lock().lock();
            try {
                KeyLog keys = server.keys();
                for (int end = Math.min(n, i + CONFIRM_SLICE); i < end; i++) {
                    if (result.isDone(i)) keys.confirmRemoved(batch.handle(i), batch.db(i), batch.key(i));
                }
                if (i >= n) keys.endFlight();
            } finally {
                tracker.lock().unlock();
            }
        } while (i < n);
    }

    /** The keys of {@code from} go first in {@code to}'s log: they were written before the failover. */
    @Override
    public void follow(ServerEntry from, ServerEntry to, ServerLink toLink) {
        tracker.lock().lock();
        try {
            KeyLog merged = new KeyLog();
            from.keys().copyLiveInto(merged);
            to.keys().copyLiveInto(merged);
            to.keys(merged);
            from.keys().clear();
        } finally {
            tracker.lock().unlock();
        }
    }

    /**
     * The keys tracked there are looked up, and those gone forgotten ({@link RestartSweep}); past its limit, a sample
     * spread from the oldest to the newest decides: most gone, and all are forgotten. Said once.
     */
    @Override
    public void restarted(ServerEntry server, ServerLink link) throws IOException {
        io.gcsflush.redis.RespConnection c = link.connection();
        if (RestartSweep.forgetGone(tracker, server, c) >= 0) return;
        java.util.List<java.util.Map.Entry<Integer, byte[]>> sample;
        tracker.lock().lock();
        try {
            sample = server.keys().sample(32);
        } finally {
            tracker.lock().unlock();
        }
        int present = 0;
        for (java.util.Map.Entry<Integer, byte[]> key : sample) {
            if (!c.select(key.getKey())) return;
            Object r = c.call("EXISTS".getBytes(java.nio.charset.StandardCharsets.US_ASCII), key.getValue());
            if (Long.valueOf(1).equals(r)) present++;
        }
        if (present * 2 >= sample.size()) return;
        int forgotten;
        tracker.lock().lock();
        try {
            forgotten = server.keys().size();
            server.keys().clear();
        } finally {
            tracker.lock().unlock();
        }
        io.gcsflush.Log.info("{} restarted: forgetting the {} keys this application wrote there, most of them gone",
                server, forgotten);
    }

    @Override
    public long size(ServerEntry server) {
        tracker.lock().lock();
        try {
            return server.keys().size();
        } finally {
            tracker.lock().unlock();
        }
    }

    @Override
    public boolean removes() {
        return action.removes();
    }

    @Override
    public String describe() {
        return "order=local (this JVM's own log of its keys)";
    }
}
