package io.gcsflush.flush;

import io.gcsflush.Log;
import io.gcsflush.config.Sizes;
import io.gcsflush.policy.FlushPolicy;
import io.gcsflush.redis.Credentials;
import io.gcsflush.redis.RedisAccess;
import io.gcsflush.redis.RespConnection;
import io.gcsflush.redis.ServerAddress;
import io.gcsflush.track.KeyLog;
import io.gcsflush.track.ServerEntry;
import io.gcsflush.track.Tracker;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The flusher thread. Every check interval (a tenth of the period), for each server the application wrote to that the
 * policy finds due (a period after its last flush): read {@code used_memory}; if the policy says so, pick the oldest
 * tracked keys, act on them (remove them) over the agent's own connection, forget the ones removed, and log one line.
 * A server that cannot be reached is retried with a growing delay, and each change between reachable and not is
 * logged once.
 */
public final class Flusher implements Runnable {
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final long MIN_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Keys confirmed under one hold of the tracker's lock. */
    private static final int CONFIRM_SLICE = 4096;

    private final Tracker tracker;
    private final FlushPolicy policy;
    private final KeyAction action;
    private final RedisAccess access;
    private final Map<ServerAddress, Link> links = new HashMap<>();
    private volatile boolean running = true;
    private long flushes;
    private long keysRemoved;

    public Flusher(Tracker tracker, FlushPolicy policy, KeyAction action, RedisAccess access) {
        this.tracker = tracker;
        this.policy = policy;
        this.action = action;
        this.access = access;
    }

    @Override
    public void run() {
        long interval = policy.checkIntervalNanos();
        long next = System.nanoTime() + interval;
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            long tick = next;
            next = Math.max(next + interval, System.nanoTime()); // never run rounds back to back to catch up
            try {
                round(tick);
            } catch (Throwable t) {
                Log.warn("internal error in the flusher (the application is not affected): {}", t.toString(), t);
            }
        }
        for (Link link : links.values()) link.close();
    }

    public void stop() {
        running = false;
    }

    /** One check of every server; {@code tick} is the scheduled time of the round. */
    void round(long tick) {
        for (ServerEntry server : tracker.servers()) check(server, tick);
    }

    private void check(ServerEntry server, long tick) {
        Link link = links.get(server.address());
        if (link == null) links.put(server.address(), link = new Link(server.address()));
        if (link.down && System.nanoTime() - link.retryAt < 0) return;
        if (!link.down && !link.policy.due(tick, link.lastFlush)) return; // as Ray: memory is read only when due
        try {
            RespConnection connection = link.connection(access.credentials(server.credentials()));
            long used = connection.usedMemory();
            link.reachable();
            if (!link.policy.shouldFlush(used, System.nanoTime(), link.lastFlush)) { // when used was read
                link.nothingToFlushSaid = false;
                return;
            }
            link.lastFlush = tick;
            if (link.refusedUntil != 0 && System.nanoTime() - link.refusedUntil < 0) return;
            flush(server, link, connection, used);
        } catch (IOException | RuntimeException e) {
            link.unreachable(e);
        }
    }

    private void flush(ServerEntry server, Link link, RespConnection connection, long usedBefore) throws IOException {
        long start = System.nanoTime();
        FlushBatch batch;
        long trackedBefore;
        tracker.lock().lock();
        try {
            KeyLog keys = server.keys();
            trackedBefore = keys.size();
            batch = FlushBatch.oldest(keys, link.policy.entriesToFlush(usedBefore, trackedBefore));
            if (!batch.isEmpty()) keys.beginFlight();
        } finally {
            tracker.lock().unlock();
        }
        if (batch.isEmpty()) {
            if (!link.nothingToFlushSaid) {
                Log.info("{}: used_memory {} is over the threshold, but this application has no tracked keys left "
                        + "there to remove", server, Sizes.format(usedBefore));
                link.nothingToFlushSaid = true;
            }
            return;
        }
        KeyAction.Result result = null;
        try {
            result = action.apply(connection, batch, new Redirects(server));
        } finally {
            confirm(server, batch, result);
        }
        long left;
        tracker.lock().lock();
        try {
            left = server.keys().size();
        } finally {
            tracker.lock().unlock();
        }
        long usedAfter = connection.usedMemory();
        long end = System.nanoTime();
        link.policy.flushed(usedBefore, usedAfter, action.removes() ? result.removed() : 0, start, end);
        long millis = TimeUnit.NANOSECONDS.toMillis(end - start);
        long removed = action.removes() ? result.removed() : batch.size();
        flushes++;
        keysRemoved += action.removes() ? removed : 0;
        if (result.error() == null) {
            if (link.refusalSaid) Log.info("{} accepts the agent's removals again", server);
            link.accepted();
        } else {
            int failed = batch.size() - result.doneCount();
            if (!link.refusalSaid) {
                Log.warn("{} refused to remove {} of the {} keys picked ({}); they stay tracked and are tried again "
                        + "later", server, failed, batch.size(), result.error());
            }
            link.refused(result.doneCount() == 0);
            if (result.doneCount() == 0) return; // nothing happened: the warning said it all
        }
        Log.info("flushed {}: used_memory {} -> {}; {} {} of the {} oldest keys ({} tracked before, {} left); {} ms",
                server, Sizes.format(usedBefore), Sizes.format(usedAfter), action.verb(), removed, batch.size(),
                trackedBefore, left, millis);
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

    public long flushes() {
        return flushes;
    }

    public long keysRemoved() {
        return keysRemoved;
    }

    /** The other nodes of a cluster, reached with the credentials the application used for this one. */
    private final class Redirects implements KeyAction.Nodes {
        private final ServerEntry origin;

        Redirects(ServerEntry origin) {
            this.origin = origin;
        }

        @Override
        public RespConnection connect(String host, int port) throws IOException {
            ServerAddress address = new ServerAddress(host, InetAddress.getByName(host), port, origin.address().tls());
            Link link = links.get(address);
            if (link == null) links.put(address, link = new Link(address));
            return link.connection(access.credentials(origin.credentials()));
        }
    }

    /** The agent's connection to one server, and what the flusher knows of that server. */
    private final class Link {
        private final ServerAddress address;
        /** The policy's state for this server. */
        final FlushPolicy policy = Flusher.this.policy.forServer();
        private RespConnection connection;
        private Credentials credentials;
        long lastFlush = Long.MIN_VALUE;
        boolean down;
        long retryAt;
        private long backoff;
        private String problem;
        boolean nothingToFlushSaid;
        boolean refusalSaid;
        /** While the server refuses every removal, flushes wait until then (a growing delay); 0 when not refused. */
        long refusedUntil;
        private long refusedBackoff;

        Link(ServerAddress address) {
            this.address = address;
        }

        RespConnection connection(Credentials wanted) throws IOException {
            if (connection != null && !java.util.Objects.equals(wanted, credentials)) close();
            if (connection == null) {
                connection = RespConnection.open(address, wanted, access, CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS);
                credentials = wanted;
            }
            return connection;
        }

        void accepted() {
            refusalSaid = false;
            refusedUntil = 0;
            refusedBackoff = 0;
        }

        /** Removals were refused; if all of them, the next flush waits a growing delay. */
        void refused(boolean all) {
            refusalSaid = true;
            if (!all) return;
            refusedBackoff = Math.min(MAX_BACKOFF_NANOS, Math.max(MIN_BACKOFF_NANOS, refusedBackoff * 2));
            refusedUntil = System.nanoTime() + refusedBackoff;
        }

        void reachable() {
            if (down) Log.info("{} is reachable again; flushing resumes", address);
            down = false;
            backoff = 0;
            problem = null;
        }

        void unreachable(Exception e) {
            close();
            String now = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof javax.net.ssl.SSLException) {
                now += " (where the application's TLS uses stores of its own, give the agent redis.truststore and "
                        + "redis.keystore)";
            }
            // Once when the server goes away; while it stays away, a new reason is only worth a debug line.
            if (!down) {
                Log.warn("cannot flush {}: {}; retrying with a growing delay (up to {} s)", address, now,
                        TimeUnit.NANOSECONDS.toSeconds(MAX_BACKOFF_NANOS));
            } else if (!now.equals(problem)) {
                Log.debug("still cannot flush {}: {}", address, now);
            }
            problem = now;
            down = true;
            backoff = Math.min(MAX_BACKOFF_NANOS, Math.max(MIN_BACKOFF_NANOS, backoff * 2));
            retryAt = System.nanoTime() + backoff;
        }

        void close() {
            if (connection != null) connection.close();
            connection = null;
        }
    }
}
