package io.gcsflush.flush;

import io.gcsflush.Log;
import io.gcsflush.config.Sizes;
import io.gcsflush.ops.Control;
import io.gcsflush.ops.FlushRequest;
import io.gcsflush.ops.ServerState;
import io.gcsflush.ops.ServerStats;
import io.gcsflush.ops.Settings;
import io.gcsflush.order.Removal;
import io.gcsflush.order.ServerLink;
import io.gcsflush.order.WriteOrder;
import io.gcsflush.policy.FlushPolicy;
import io.gcsflush.redis.Credentials;
import io.gcsflush.redis.RedisAccess;
import io.gcsflush.redis.RespConnection;
import io.gcsflush.redis.ServerAddress;
import io.gcsflush.track.ServerEntry;
import io.gcsflush.track.Tracker;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The flusher thread. A few times a second, for each server the application wrote to, it brings the order of writes
 * up to date ({@link WriteOrder#sync}: with the journal, appends the keys created since). Every check interval (a
 * tenth of the period), for each server the policy finds due (a period after its last flush): read
 * {@code used_memory}; if the policy says so, remove the oldest keys of the order over the agent's own connection
 * and log one line. A server that cannot be reached is retried with a growing delay, and each change between
 * reachable and not is logged once.
 *
 * <p>Steered and watched through {@link Control}: each round starts from its settings (a change rebuilds the
 * policies), honours a pause and the flushes asked for, and publishes what it knows of each server there.
 */
public final class Flusher implements Runnable {
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final long MIN_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How long the order must look unable to bring a server under the threshold before flushing pauses for it. */
    private static final long UNCOVERED_CONFIRM_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How often the order is brought up to date. With the journal, keys created this long before a JVM dies are
     * the most it can lose from the order (see README, Limits).
     */
    static final long SYNC_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How often a server's role (master, replica, sentinel) is asked: a failover is followed this soon. */
    private static final long ROLE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** How often the sizes of each server's keys are published. */
    private static final long STATS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Tracker tracker;
    private final Control control;
    /** The settings the policies were made from; the flusher's own copies, changed at the start of a round. */
    private Settings applied;
    private FlushPolicy policy;
    private final WriteOrder order;
    private final RedisAccess access;
    /** {@code uncovered=flush}: flush even when what the order does not hold is over the threshold by itself. */
    private final boolean flushUncovered;
    private long threshold;
    private final Map<ServerAddress, Link> links = new HashMap<>();
    private volatile boolean running = true;
    private volatile java.util.concurrent.CountDownLatch finishing;
    private volatile Thread thread;
    private long flushes;
    private long keysRemoved;

    public Flusher(Tracker tracker, Control control, WriteOrder order, RedisAccess access, boolean flushUncovered) {
        this.tracker = tracker;
        this.control = control;
        this.order = order;
        this.access = access;
        this.flushUncovered = flushUncovered;
        applySettings();
    }

    /** The settings changed (JMX): new policies, each server's made afresh, from the next look on. */
    private void applySettings() {
        Settings now = control.settings();
        if (now == applied) return;
        applied = now;
        policy = now.policy();
        threshold = now.thresholdBytes();
        for (Link link : links.values()) link.policy = policy.forServer();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        control.wakeWith(() -> LockSupport.unpark(thread));
        long next = System.nanoTime() + Math.min(policy.checkIntervalNanos(), SYNC_INTERVAL_NANOS);
        while (running) {
            java.util.concurrent.CountDownLatch last = finishing;
            if (last != null) {
                lastSync();
                last.countDown();
                break;
            }
            long wait = next - System.nanoTime();
            if (wait > 0 && !control.flushRequested()) {
                LockSupport.parkNanos(wait);
                continue;
            }
            long interval = Math.min(policy.checkIntervalNanos(), SYNC_INTERVAL_NANOS);
            next = Math.max(next + interval, System.nanoTime()); // never run rounds back to back to catch up
            try {
                round();
            } catch (Throwable t) {
                Log.warn("internal error in the flusher (the application is not affected): {}", t.toString(), t);
            }
        }
        for (Link link : links.values()) link.close();
    }

    public void stop() {
        running = false;
    }

    /**
     * The JVM is exiting: brings the order up to date one last time (so that a normal exit loses nothing from a
     * journal), waiting at most {@code timeoutNanos}; then the flusher stops.
     */
    public void finish(long timeoutNanos) {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        finishing = done;
        Thread t = thread;
        if (t == null) return;
        LockSupport.unpark(t);
        try {
            done.await(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void lastSync() {
        for (ServerEntry server : tracker.servers()) {
            Link link = links.get(server.address());
            if (link == null || link.down) continue;
            try {
                order.sync(server, link);
            } catch (IOException | RuntimeException e) {
                Log.debug("could not bring the order of {} up to date before exiting: {}", server, e.toString());
            }
        }
    }

    /** One look at every server, and the flushes asked for. */
    void round() {
        applySettings();
        List<FlushRequest> requests = control.takeFlushRequests();
        for (ServerEntry server : tracker.servers()) {
            check(server);
            for (FlushRequest r : requests) if (r.covers(server.address())) r.outcome(flushAsked(server));
        }
        for (FlushRequest r : requests) r.complete();
    }

    /**
     * A flush asked for: now, whatever the memory, the period or a pause; as many keys as the policy would remove at
     * the threshold. Not of a server that is away, not a master, or whose existing keys are being taken in first.
     */
    private String flushAsked(ServerEntry server) {
        Link link = link(server.address());
        if (link.server == null) link.server = server;
        if (link.down) return server + ": not flushed, unreachable (" + link.problem + ")";
        if (!link.dataServer()) return server + ": not flushed, a " + (link.replica ? "replica" : "sentinel");
        if (!order.ready(server)) return server + ": not flushed yet, its existing keys are being taken in (adopt)";
        try {
            long used = link.connection().usedMemory();
            link.stats.usedMemory(used);
            String done = flush(server, link, used,
                    link.policy.entriesToFlush(Math.max(used, threshold), order.size(server)), 0);
            publishSizes(server, link);
            return done;
        } catch (IOException | RuntimeException e) {
            link.unreachable(e);
            return server + ": not flushed, " + link.problem;
        }
    }

    /** The sizes of the server's keys, for the MBeans: read here, under the tracker's lock, never by their reader. */
    private void publishSizes(ServerEntry server, Link link) {
        long keys;
        long bytes;
        tracker.lock().lock();
        try {
            keys = server.keys().size();
            bytes = server.keys().trackedBytes();
        } finally {
            tracker.lock().unlock();
        }
        link.stats.sizes(keys, bytes, order.size(server));
    }

    private void check(ServerEntry server) {
        Link link = link(server.address());
        link.server = server;
        long now = System.nanoTime();
        // Away: retried after a growing delay, or at once when the application has had a reply from it since.
        if (link.down && now - link.retryAt < 0 && server.lastReplyMillis() <= link.downSinceMillis) return;
        try {
            // What the server is, a few times a second at most; the order brought up to date every 100 ms; its
            // memory read as the policy says (Ray's: a tenth of a period, once a period has passed since the last
            // flush; the adaptive one's: sooner as the server nears the threshold).
            if (link.down || now - link.nextRole >= 0) {
                link.nextRole = now + ROLE_INTERVAL_NANOS;
                if (!learnRole(server, link)) return; // a sentinel or a replica: not flushed
            } else if (!link.dataServer()) {
                return;
            }
            if (link.down || now - link.nextSync >= 0) {
                link.nextSync = now + SYNC_INTERVAL_NANOS;
                order.sync(server, link);
            }
            if (now - link.nextStats >= 0) {
                link.nextStats = now + STATS_INTERVAL_NANOS;
                publishSizes(server, link);
            }
            if (!link.down && now - link.nextCheck < 0) return;
            link.nextCheck = now + policy.checkIntervalNanos();
            if (!link.down && !link.policy.due(now, link.lastFlush)) return; // memory is read only when due
            long used = link.connection().usedMemory();
            link.reachable();
            link.stats.usedMemory(used);
            if (control.paused()) return; // the order is kept, nothing removed
            if (!link.policy.shouldFlush(used, System.nanoTime(), link.lastFlush)) { // when used was read
                link.nothingToFlushSaid = false;
                return;
            }
            if (link.refusedUntil != 0 && now - link.refusedUntil < 0) return;
            if (!order.ready(server)) return; // keys that must go first are being taken into the order
            if (!flushUncovered && uncovered(server, link, used)) return;
            flush(server, link, used, link.policy.entriesToFlush(used, order.size(server)), link.policy.spacingNanos());
        } catch (IOException | RuntimeException e) {
            link.unreachable(e);
        }
    }

    /**
     * What the server is, asked every check interval: a sentinel is never a server of data; a replica is not flushed
     * (removals would be refused, and its keys are its master's); a master is. A master that became a replica (a
     * failover) has its keys, and their order, followed to its master; a master whose previous replication id is that
     * of a master the agent knew (now away, or a replica) holds that master's data: followed here. Each said once.
     *
     * @return whether the server holds data to flush: a master
     */
    private boolean learnRole(ServerEntry server, Link link) throws IOException {
        RespConnection c = link.connection();
        if (link.mode == null) {
            // Once a connection: what the server is, and which life of it (a restart changes run_id).
            java.util.Map<String, String> info = c.info("server");
            link.mode = info.getOrDefault("redis_mode", "standalone");
            String runId = info.get("run_id");
            if (link.runId != null && runId != null && !runId.equals(link.runId) && link.wasMaster) {
                order.restarted(server, link);
            }
            if (runId != null) link.runId = runId;
        }
        if (link.mode.equals("sentinel")) {
            link.reachable(false);
            link.stats.state(ServerState.SENTINEL, null);
            return false;
        }
        java.util.Map<String, String> replication = c.info("replication");
        String role = replication.getOrDefault("role", "master");
        link.replica = role.equals("slave") || role.equals("replica");
        if (link.replica) {
            link.reachable(false);
            link.stats.state(ServerState.REPLICA, null);
            if (link.wasMaster && !link.followed) {
                String host = replication.get("master_host");
                int port = Integer.parseInt(replication.getOrDefault("master_port", "0"));
                if (host != null && port > 0) {
                    ServerAddress to = new ServerAddress(host, InetAddress.getByName(host), port,
                            server.address().tls());
                    follow(server, link, tracker.serverFor(to), "is now a replica of " + to + " (a failover)");
                }
            }
            return false;
        }
        link.wasMaster = true;
        link.followed = false;
        if (link.stats.found() == ServerState.REPLICA) link.stats.state(ServerState.OK, null);
        link.replid = replication.get("master_replid");
        String previous = replication.get("master_replid2");
        if (!link.trackingSaid) {
            Log.info("tracking the keys this application writes to {}", server);
            link.trackingSaid = true;
        }
        if (previous != null && !previous.matches("0+")) {
            for (Link other : new java.util.ArrayList<>(links.values())) {
                if (other != link && other.server != null && other.wasMaster && !other.followed
                        && previous.equals(other.replid) && (other.down || other.replica)) {
                    follow(other.server, other, server, "is away, and " + server + " took its place (a failover)");
                }
            }
        }
        return true;
    }

    /** The data of {@code from} is on {@code to} now: what this JVM holds of its order goes there. Said once. */
    private void follow(ServerEntry from, Link fromLink, ServerEntry to, String what) throws IOException {
        Link toLink = link(to.address());
        if (toLink.server == null) toLink.server = to;
        fromLink.followed = true;
        Log.info("{} {}: following its keys and their order to {}", from, what, to);
        order.follow(from, to, toLink);
    }

    private Link link(ServerAddress address) {
        Link link = links.get(address);
        if (link == null) links.put(address, link = new Link(address));
        return link;
    }

    /**
     * Whether the memory the order does not hold (keys the application did not write, keys from before the agent)
     * is over the threshold by itself: then removing the application's keys, the newest data, cannot bring the server
     * under it, and nothing is removed ({@code uncovered=pause}). What the order holds is estimated from its keys
     * times what a key takes: what earlier flushes freed a key, or the sizes the application wrote plus Redis's
     * overhead for a small key if that is more. Only once a flush has measured it: the sizes alone can be far too
     * small (values a client's codec hides count as nothing), and a doubt must mean flushing, not pausing.
     */
    private boolean uncovered(ServerEntry server, Link link, long used) throws IOException {
        long inOrder = order.held(server);
        double perKey = link.freedPerKey == 0 ? 0 : Math.max(link.freedPerKey, localBytesPerKey(server));
        boolean over = inOrder > 0 && perKey > 0 && used - inOrder * perKey >= threshold;
        if (over) {
            // What a flush freed a key is too little when the application wrote during it, and the sizes it wrote
            // are too little when its client's codec hides them: the server's own average, used_memory over its keys,
            // is the third estimate, and the largest wins (a doubt means flushing).
            long keys = link.connection().keyspace().values().stream().mapToLong(Long::longValue).sum();
            if (keys > 0) perKey = Math.max(perKey, (double) used / keys);
            over = used - inOrder * perKey >= threshold;
        }
        long now = System.nanoTime();
        if (!over) {
            link.uncoveredSince = 0;
        } else if (!link.uncoveredSaid) {
            // Said, and paused for, only once it has lasted: keys the application is writing this moment are in no
            // count yet (still in the event buffer), and a fast writer's would look like memory the order cannot
            // help. Meanwhile nothing is removed either: a second's wait, not the newest keys, is what a doubt costs.
            if (link.uncoveredSince == 0) link.uncoveredSince = now;
            if (now - link.uncoveredSince < UNCOVERED_CONFIRM_NANOS) return true;
        }
        if (over) link.stats.state(ServerState.UNCOVERED, null);
        else if (link.uncoveredSaid) link.stats.state(ServerState.OK, null);
        if (over && !link.uncoveredSaid) {
            long held = (long) (inOrder * perKey);
            Log.warn("{}: used_memory {} is over the threshold {}, but the order holds only {} keys at most, "
                    + "about {}: the other {} are keys it does not hold (written before the agent came, by other "
                    + "clients, excluded, or with an expiry time, which Redis removes), over the threshold by "
                    + "themselves, so removing this application's newest keys would not bring the server under it. "
                    + "Nothing is removed while this lasts (uncovered=pause); adopt=<patterns> takes keys already "
                    + "there into the order, uncovered=flush removes anyway",
                    server, Sizes.format(used), Sizes.format(threshold), inOrder, Sizes.format(held),
                    Sizes.format(used - held));
        } else if (!over && link.uncoveredSaid) {
            Log.info("{}: what the order holds is enough to bring used_memory under the threshold again; flushing "
                    + "resumes", server);
        }
        link.uncoveredSaid = over;
        return over;
    }

    /** The application's bytes a key, plus Redis's overhead for a small key; 0 when it tracks none there. */
    private double localBytesPerKey(ServerEntry server) {
        tracker.lock().lock();
        try {
            int keys = server.keys().size();
            return keys == 0 ? 0 : (double) server.keys().trackedBytes() / keys + REDIS_BYTES_PER_KEY;
        } finally {
            tracker.lock().unlock();
        }
    }

    /** What Redis spends on a small key besides its name and value (dict entry, object headers): 50-90 bytes. */
    private static final int REDIS_BYTES_PER_KEY = 64;

    /**
     * Removes up to {@code count} of the oldest keys, and says so.
     *
     * @param spacingNanos the least time since another instance's flush of this server (0 for a flush asked for)
     * @return what it did, in a line
     */
    private String flush(ServerEntry server, Link link, long usedBefore, int count, long spacingNanos)
            throws IOException {
        long start = System.nanoTime();
        Removal removal = order.removeOldest(server, link, count, spacingNanos);
        if (removal.early()) {
            // Another instance flushed this server less than a period ago: its flush counts as ours.
            link.lastFlush = start - removal.sinceNanos();
            return server + ": flushed by another instance " + TimeUnit.NANOSECONDS.toMillis(removal.sinceNanos())
                    + " ms ago";
        }
        // The period runs from when this flush ran, not from when the round was due.
        link.lastFlush = start;
        if (removal.taken() == 0 && removal.refusal() == null) {
            if (!link.nothingToFlushSaid) {
                Log.info("{}: used_memory {} is over the threshold, but the order holds no keys of this application's "
                        + "left there to remove", server, Sizes.format(usedBefore));
                link.nothingToFlushSaid = true;
            }
            return server + ": nothing to remove, the order holds no keys of this application's there";
        }
        long usedAfter = link.connection().usedMemory();
        long end = System.nanoTime();
        link.policy.flushed(usedBefore, usedAfter, order.removes() ? removal.removed() : 0, start, end);
        long millis = TimeUnit.NANOSECONDS.toMillis(end - start);
        if (order.removes() && removal.removed() > 0 && usedBefore > usedAfter) {
            double freed = (double) (usedBefore - usedAfter) / removal.removed();
            link.freedPerKey = link.freedPerKey == 0 ? freed : 0.7 * link.freedPerKey + 0.3 * freed;
        }
        long acted = order.removes() ? removal.removed() : removal.taken();
        flushes++;
        keysRemoved += order.removes() ? removal.removed() : 0;
        link.stats.flushed(order.removes() ? removal.removed() : 0, millis);
        if (removal.refusal() == null) {
            if (link.refusalSaid) Log.info("{} accepts the agent's removals again", server);
            link.accepted();
        } else {
            if (!link.refusalSaid) {
                Log.warn("{} refused to remove some of the oldest keys ({}); they stay in the order and are tried "
                        + "again later", server, removal.refusal());
            }
            link.refused(removal.refusedAll());
            // nothing happened: the warning said it all
            if (removal.refusedAll()) return server + ": refused every removal (" + removal.refusal() + ")";
        }
        String line = Log.format("flushed {}: used_memory {} -> {}; {} {} of the {} oldest keys ({} tracked before, "
                + "{} left); {} ms", server, Sizes.format(usedBefore), Sizes.format(usedAfter),
                order.removes() ? "removed" : "would remove (dry run)", acted, removal.taken(), removal.before(),
                removal.left(), millis);
        Log.info("{}", line);
        return line;
    }

    public long flushes() {
        return flushes;
    }

    public long keysRemoved() {
        return keysRemoved;
    }

    /** The agent's connection to one server, and what the flusher knows of that server. */
    private final class Link implements ServerLink {
        private final ServerAddress address;
        /** The policy's state for this server; made afresh when the settings change. */
        FlushPolicy policy = Flusher.this.policy.forServer();
        /** What the MBeans show of this server. */
        final ServerStats stats;
        long nextRole = System.nanoTime();
        long nextSync = System.nanoTime();
        long nextStats = System.nanoTime();
        ServerEntry server;
        private RespConnection connection;
        private Credentials credentials;
        long lastFlush = Long.MIN_VALUE;
        long nextCheck = System.nanoTime();
        boolean down;
        long retryAt;
        private long backoff;
        String problem;
        boolean nothingToFlushSaid;
        boolean refusalSaid;
        boolean uncoveredSaid;
        /** When the order was first seen unable to bring the server under the threshold; 0 when it can. */
        long uncoveredSince;
        /** {@code redis_mode} from INFO server: standalone, cluster, sentinel; null until asked. */
        String mode;
        boolean replica;
        /** Whether it was seen a master: a replica now that was one then went through a failover. */
        boolean wasMaster;
        /** Whether its data was followed to another server (a failover), until it is a master again. */
        boolean followed;
        /** Its replication id when last a master: a promoted replica names it as its previous one. */
        String replid;
        /** The server's {@code run_id}: another one means it restarted. */
        String runId;
        boolean trackingSaid;
        /** When it went away, in the event thread's clock (epoch ms). */
        long downSinceMillis;
        /** What a flush freed a key, smoothed over flushes; 0 before the first. */
        double freedPerKey;
        /** While the server refuses every removal, flushes wait until then (a growing delay); 0 when not refused. */
        long refusedUntil;
        private long refusedBackoff;

        Link(ServerAddress address) {
            this.address = address;
            this.stats = control.server(address);
        }

        /** Whether the server is known to hold data to flush: not a sentinel, not a replica. */
        boolean dataServer() {
            return mode != null && !mode.equals("sentinel") && !replica;
        }

        @Override
        public RespConnection connection() throws IOException {
            Credentials wanted = access.credentials(server == null ? null : server.credentials());
            if (connection != null && !java.util.Objects.equals(wanted, credentials)) close();
            if (connection == null) {
                connection = RespConnection.open(address, wanted, access, CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS);
                credentials = wanted;
                mode = null; // asked again: the server may have restarted, or be another one on that address
            }
            return connection;
        }

        /** Another node of a cluster (a redirect), reached with the credentials the application used for this one. */
        @Override
        public RespConnection connect(String host, int port) throws IOException {
            ServerAddress other = new ServerAddress(host, InetAddress.getByName(host), port, address.tls());
            Link link = link(other);
            if (link.server == null) link.server = server;
            return link.connection();
        }

        void accepted() {
            if (stats.found() == ServerState.REFUSED) stats.state(ServerState.OK, null);
            refusalSaid = false;
            refusedUntil = 0;
            refusedBackoff = 0;
        }

        /** Removals were refused; if all of them, the next flush waits a growing delay. */
        void refused(boolean all) {
            refusalSaid = true;
            stats.state(ServerState.REFUSED, null);
            if (!all) return;
            refusedBackoff = Math.min(MAX_BACKOFF_NANOS, Math.max(MIN_BACKOFF_NANOS, refusedBackoff * 2));
            refusedUntil = System.nanoTime() + refusedBackoff;
        }

        void reachable() {
            reachable(true);
        }

        /** @param flushed whether the server is one to flush (a master), for the line that says it is back */
        void reachable(boolean flushed) {
            if (down) Log.info("{} is reachable again{}", address, flushed ? "; flushing resumes" : ", as a replica");
            if (down || stats.found() == ServerState.UNREACHABLE) stats.state(ServerState.OK, null);
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
            stats.state(ServerState.UNREACHABLE, now);
            if (!down) downSinceMillis = System.currentTimeMillis();
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
