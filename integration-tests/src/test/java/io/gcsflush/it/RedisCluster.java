package io.gcsflush.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.MigrateParams;

/**
 * A Redis Cluster of three masters (no replicas) for one test, each a {@link RedisServer} of its own on a loopback
 * port, joined and given the 16384 hash slots with plain cluster commands (no redis-cli): node 0 has 0-5460, node 1
 * 5461-10922, node 2 10923-16383, as {@code redis-cli --cluster create} would split them. Returned once every node
 * says {@code cluster_state:ok} and sees the same owner for every slot.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start("MyIT.test")) {
 *     RedisCluster.Node node = cluster.nodeFor("app:000000");
 *     cluster.migrateSlot(cluster.slotOf("app:000000"), node, cluster.nodes().get(1));
 * }
 * }</pre>
 *
 * <p>Works with redis-server 7.0 (the PATH) and 6.2 (the embedded-redis jar): slots are assigned with
 * {@code CLUSTER ADDSLOTSRANGE} from 7.0 on, with {@code CLUSTER ADDSLOTS} before. Each node's cluster bus listens on
 * its port + 10000 (6.2 has no {@code cluster-port}), so the ports are chosen here, below 30000, with that second port
 * free too. Docker is not a source: a node in a container announces an address the others cannot reach.
 */
public final class RedisCluster implements AutoCloseable {
    public static final int SLOTS = 16384;
    public static final int SIZE = 3;

    private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
    private static final Duration CONVERGENCE = Duration.ofSeconds(30);
    private static final int BUS_OFFSET = 10_000;
    private static final int MIGRATE_BATCH = 100;
    private static final int MIGRATE_TIMEOUT_MILLIS = 5_000;
    private static final int START_ATTEMPTS = 8;

    /** One master: its server, its cluster node id, and its index (0, 1, 2) in {@link #nodes()}. */
    public static final class Node {
        private final RedisServer server;
        private final String id;
        private final int index;

        private Node(RedisServer server, String id, int index) {
            this.server = server;
            this.id = id;
            this.index = index;
        }

        public RedisServer server() {
            return server;
        }

        public String id() {
            return id;
        }

        public int index() {
            return index;
        }

        public String host() {
            return server.host();
        }

        public int port() {
            return server.port();
        }

        /** {@code host:port}, as clients that follow the cluster's topology name it. */
        public String address() {
            return server.host() + ":" + server.port();
        }

        /** {@code used_memory}, in bytes. */
        public long usedMemory() {
            return server.usedMemory();
        }

        /** {@code CLUSTER GETKEYSINSLOT}: the keys this node has in the slot (all of them, up to 100,000). */
        public List<String> keysInSlot(int slot) {
            try (Jedis jedis = jedis()) {
                return jedis.clusterGetKeysInSlot(slot, 100_000);
            }
        }

        /** A plain (non-cluster) connection to this node; the caller closes it. */
        public Jedis jedis() {
            return server.jedis();
        }

        @Override
        public String toString() {
            return "node" + index + " (" + address() + ")";
        }
    }

    private final List<Node> nodes;
    /** The index of the node that owns each slot, as the test set it. */
    private final int[] owner = new int[SLOTS];
    /** Slots under migration (begun, not finished), and the index of the node each is migrating to. */
    private final Map<Integer, Integer> migrating = new HashMap<>();

    private RedisCluster(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** A cluster of redis-servers from the default sources (PATH, then the embedded-redis jar), or those chosen. */
    public static RedisCluster start(String name) {
        return start(name, defaultSources());
    }

    /** A cluster of redis-servers from the given sources, e.g. {@code Source.EMBEDDED} for Redis 6.2. */
    public static RedisCluster start(String name, RedisServer.Source... sources) {
        List<RedisServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < SIZE; i++) {
                servers.add(startNode(name + "-node" + i, sources));
            }
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < SIZE; i++) {
                try (Jedis jedis = servers.get(i).jedis()) {
                    nodes.add(new Node(servers.get(i), jedis.clusterMyId(), i));
                }
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.form();
            LOG.info("redis cluster {} of {} masters up: {}", name, SIZE, nodes);
            return cluster;
        } catch (RuntimeException | Error e) {
            servers.forEach(RedisServer::close);
            throw e;
        }
    }

    private static RedisServer.Source[] defaultSources() {
        String configured = System.getProperty(RedisServer.SOURCES_PROPERTY);
        List<RedisServer.Source> sources = configured == null || configured.isBlank()
                ? List.of(RedisServer.Source.values())
                : Arrays.stream(configured.split("[,\\s]+")).filter(s -> !s.isEmpty())
                        .map(s -> RedisServer.Source.valueOf(s.trim().toUpperCase(Locale.ROOT)))
                        .collect(Collectors.toList());
        RedisServer.Source[] withoutDocker = sources.stream().filter(s -> s != RedisServer.Source.DOCKER)
                .toArray(RedisServer.Source[]::new);
        if (withoutDocker.length == 0) {
            throw new IllegalStateException("A Redis Cluster needs a redis-server binary (PATH or the embedded-redis"
                    + " jar); -D" + RedisServer.SOURCES_PROPERTY + "=" + configured + " allows Docker only");
        }
        return withoutDocker;
    }

    /** One node, on a port whose cluster bus port (+10000) is free as well; another port if either is taken. */
    private static RedisServer startNode(String name, RedisServer.Source... sources) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port = freePortPair();
            try {
                return RedisServer.builder().name(name).sources(sources).port(port)
                        .args("--cluster-enabled", "yes",
                                // Relative to the server's own working directory (--dir), which RedisServer
                                // creates for it and deletes on close: the file never outlives the test.
                                "--cluster-config-file", "nodes.conf",
                                "--cluster-node-timeout", "2000")
                        .start();
            } catch (RuntimeException e) {
                // Taken meanwhile (by another process, or another server of these tests): try another pair.
                last = e;
                LOG.info("cluster node {} could not start on port {}: {}", name, port, e.getMessage());
            }
        }
        throw last;
    }

    /** A port in [20000, 30000) that, with the port 10000 above it, nothing listens on now. */
    private static int freePortPair() {
        for (int i = 0; i < 1000; i++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (bindable(port) && bindable(port + BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free pair of ports p, p+10000 for a cluster node");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Distinct config epochs, the slots in three ranges, MEET, then waits for every node to agree. */
    private void form() {
        int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, SLOTS - 1}};
        for (Node node : nodes) {
            try (Jedis jedis = node.jedis()) {
                // As redis-cli --cluster create does: distinct epochs spare the nodes resolving a collision.
                expectOk(jedis.sendCommand(Protocol.Command.CLUSTER, "SET-CONFIG-EPOCH",
                        String.valueOf(node.index + 1)), "CLUSTER SET-CONFIG-EPOCH on " + node);
                int[] range = ranges[node.index];
                if (major(node.server.version()) >= 7) {
                    jedis.clusterAddSlotsRange(range[0], range[1]);
                } else {
                    jedis.clusterAddSlots(IntStream.rangeClosed(range[0], range[1]).toArray());
                }
                Arrays.fill(owner, range[0], range[1] + 1, node.index);
            }
        }
        try (Jedis first = nodes.get(0).jedis()) {
            for (Node node : nodes.subList(1, nodes.size())) {
                first.clusterMeet(node.host(), node.port());
            }
        }
        awaitConsistent("the cluster to form");
    }

    private static int major(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void expectOk(Object reply, String what) {
        String text = reply instanceof byte[] ? new String((byte[]) reply) : String.valueOf(reply);
        if (!text.equals("OK")) {
            throw new IllegalStateException(what + ": " + text);
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    /** A node to give a cluster client as its seed. */
    public Node seed() {
        return nodes.get(0);
    }

    /** The node that owns the slot now (as this cluster assigned and migrated it). */
    public Node nodeForSlot(int slot) {
        return nodes.get(owner[slot]);
    }

    /** The node that owns the key's slot now. */
    public Node nodeFor(String key) {
        return nodeForSlot(slotOf(key));
    }

    /** The slots that {@code node} owns now. */
    public List<Integer> slotsOf(Node node) {
        List<Integer> slots = new ArrayList<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            if (owner[slot] == node.index) {
                slots.add(slot);
            }
        }
        return slots;
    }

    /** {@code CLUSTER KEYSLOT key}: Redis's own answer, not a copy of its hash function. */
    public int slotOf(String key) {
        try (Jedis jedis = seed().jedis()) {
            return (int) jedis.clusterKeySlot(key);
        }
    }

    /** {@link #slotOf(String)} for many keys, in one pipeline. */
    public int[] slotsOf(List<String> keys) {
        int[] slots = new int[keys.size()];
        try (Jedis jedis = seed().jedis()) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<Object>> replies = new ArrayList<>(keys.size());
            for (String key : keys) {
                replies.add(pipeline.sendCommand(Protocol.Command.CLUSTER, "KEYSLOT", key));
            }
            pipeline.sync();
            for (int i = 0; i < slots.length; i++) {
                slots[i] = ((Long) replies.get(i).get()).intValue();
            }
        }
        return slots;
    }

    /**
     * A hash tag whose slot {@code node} owns and that is none of {@code avoid}: {@code "{" + tag + "}anything"} then
     * lives on that node, in that one slot.
     */
    public String hashTagOn(Node node, Collection<Integer> avoid) {
        for (int i = 0; i < 10_000; i++) {
            String tag = "t" + i;
            int slot = slotOf(tag);
            if (owner[slot] == node.index && !avoid.contains(slot)) {
                return tag;
            }
        }
        throw new IllegalStateException("no hash tag found for " + node);
    }

    /** {@code used_memory} of every node, in node order. */
    public Map<Node, Long> usedMemory() {
        Map<Node, Long> used = new LinkedHashMap<>();
        for (Node node : nodes) {
            used.put(node, node.usedMemory());
        }
        return used;
    }

    /** Whether the key exists, asked of the node that owns its slot. */
    public boolean exists(String key) {
        return exist(List.of(key), new int[] {slotOf(key)})[0];
    }

    /**
     * Whether each key exists, asked of the node that owns its slot now ({@code slots[i]} is the slot of
     * {@code keys.get(i)}), one pipeline a node. A key of a slot under migration exists if the source has it, or the
     * target has it (asked after {@code ASKING}, as a client redirected with ASK would).
     */
    public boolean[] exist(List<String> keys, int[] slots) {
        boolean[] exists = new boolean[keys.size()];
        Map<Integer, List<Integer>> byNode = new HashMap<>();
        Map<Integer, List<Integer>> importedBy = new HashMap<>();
        for (int i = 0; i < slots.length; i++) {
            byNode.computeIfAbsent(owner[slots[i]], n -> new ArrayList<>()).add(i);
            Integer target = migrating.get(slots[i]);
            if (target != null) {
                importedBy.computeIfAbsent(target, n -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<Integer, List<Integer>> e : byNode.entrySet()) {
            existOn(nodes.get(e.getKey()), keys, e.getValue(), false, exists);
        }
        for (Map.Entry<Integer, List<Integer>> e : importedBy.entrySet()) {
            existOn(nodes.get(e.getKey()), keys, e.getValue(), true, exists);
        }
        return exists;
    }

    /** Sets {@code exists[i]} for the keys {@code indices} that {@code node} has; an error reply (ASK) is a no. */
    private static void existOn(Node node, List<String> keys, List<Integer> indices, boolean asking, boolean[] exists) {
        try (Jedis jedis = node.jedis()) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<Boolean>> replies = new ArrayList<>(indices.size());
            for (int i : indices) {
                if (asking) {
                    pipeline.sendCommand(Protocol.Command.ASKING, new String[0]);
                }
                replies.add(pipeline.exists(keys.get(i)));
            }
            pipeline.sync();
            for (int j = 0; j < replies.size(); j++) {
                try {
                    if (replies.get(j).get()) {
                        exists[indices.get(j)] = true;
                    }
                } catch (JedisDataException redirected) {
                    // ASK: the key is not on the source of a migration any more; the target is asked too
                }
            }
        }
    }

    /**
     * Moves a slot, and its keys, from one node to another while the cluster runs, the standard way (see
     * {@link #beginMigration}, {@link #migrateKeys}, {@link #finishMigration}); returns the number of keys moved once
     * every node agrees on the slot's new owner. A client that then asks the source for a key of the slot is answered
     * {@code MOVED <slot> <target>}.
     */
    public int migrateSlot(int slot, Node from, Node to) {
        beginMigration(slot, from, to);
        return finishMigration(slot, from, to);
    }

    /**
     * Opens a migration: the target {@code IMPORTING}, the source {@code MIGRATING}. Until it is finished, the source
     * answers a command whose keys it has no longer {@code ASK <slot> <target>}, and one for some keys it has and some
     * it has not {@code TRYAGAIN} (Redis 7.0); the target serves keys of the slot only after {@code ASKING}.
     */
    public void beginMigration(int slot, Node from, Node to) {
        if (owner[slot] != from.index || migrating.containsKey(slot)) {
            throw new IllegalArgumentException("slot " + slot + " is on " + nodes.get(owner[slot]) + ", not " + from
                    + (migrating.containsKey(slot) ? ", or migrating already" : ""));
        }
        try (Jedis source = from.jedis(); Jedis target = to.jedis()) {
            target.clusterSetSlotImporting(slot, from.id);
            source.clusterSetSlotMigrating(slot, to.id);
        }
        migrating.put(slot, to.index);
    }

    /** {@code MIGRATE ... KEYS} of the given keys of a slot under migration (those the source has). */
    public int migrateKeys(int slot, Node from, Node to, List<String> keys) {
        if (migrating.get(slot) == null || migrating.get(slot) != to.index || owner[slot] != from.index) {
            throw new IllegalArgumentException("slot " + slot + " is not migrating from " + from + " to " + to);
        }
        int moved = 0;
        try (Jedis source = from.jedis()) {
            for (int i = 0; i < keys.size(); i += MIGRATE_BATCH) {
                List<String> batch = keys.subList(i, Math.min(keys.size(), i + MIGRATE_BATCH));
                String reply = source.migrate(to.host(), to.port(), 0, MIGRATE_TIMEOUT_MILLIS, new MigrateParams(),
                        batch.toArray(new String[0]));
                if ("OK".equals(reply)) {
                    moved += batch.size();
                } else if (!"NOKEY".equals(reply)) {
                    throw new IllegalStateException("MIGRATE of " + batch.size() + " keys of slot " + slot + " from "
                            + from + " to " + to + ": " + reply);
                }
            }
        }
        return moved;
    }

    /**
     * Finishes a migration: moves the keys the source still has in the slot, in batches, then {@code SETSLOT NODE}
     * on the target, the source and the others; returns the number of keys moved now, once every node agrees.
     */
    public int finishMigration(int slot, Node from, Node to) {
        int moved = 0;
        try (Jedis source = from.jedis(); Jedis target = to.jedis()) {
            for (List<String> keys; !(keys = source.clusterGetKeysInSlot(slot, MIGRATE_BATCH)).isEmpty(); ) {
                moved += migrateKeys(slot, from, to, keys);
            }
            target.clusterSetSlotNode(slot, to.id);
            source.clusterSetSlotNode(slot, to.id);
        }
        for (Node other : nodes) {
            if (other != from && other != to) {
                try (Jedis jedis = other.jedis()) {
                    jedis.clusterSetSlotNode(slot, to.id);
                }
            }
        }
        owner[slot] = to.index;
        migrating.remove(slot);
        awaitConsistent("every node to see slot " + slot + " on " + to);
        LOG.info("slot {} migrated from {} to {}", slot, from, to);
        return moved;
    }

    /** Waits until every node says cluster_state:ok, knows all nodes, and sees {@link #owner} for every slot. */
    private void awaitConsistent(String what) {
        String[] last = {""};
        Await.until(what, CONVERGENCE, () -> {
            for (Node node : nodes) {
                String problem = disagreement(node);
                if (problem != null) {
                    last[0] = node + ": " + problem;
                    return false;
                }
            }
            return true;
        }, () -> last[0]);
    }

    /** What {@code node} sees differently from {@link #owner}, or null. */
    private String disagreement(Node node) {
        String info;
        String clusterNodes;
        try (Jedis jedis = node.jedis()) {
            info = jedis.clusterInfo();
            clusterNodes = jedis.clusterNodes();
        }
        Map<String, String> fields = RedisServer.parseInfo(info);
        if (!"ok".equals(fields.get("cluster_state"))
                || !String.valueOf(SIZE).equals(fields.get("cluster_known_nodes"))) {
            return "cluster_state " + fields.get("cluster_state") + ", cluster_known_nodes "
                    + fields.get("cluster_known_nodes");
        }
        Map<String, Integer> indexById = new HashMap<>();
        nodes.forEach(n -> indexById.put(n.id, n.index));
        int[] seen = new int[SLOTS];
        Arrays.fill(seen, -1);
        for (String line : clusterNodes.split("\r?\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8) {
                continue;
            }
            Integer index = indexById.get(f[0]);
            if (index == null) {
                return "an unknown node " + line;
            }
            if (!f[7].equals("connected")) {
                return "not connected to " + nodes.get(index) + ": " + line;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    return "a migration under way: " + f[i];
                }
                int dash = f[i].indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash));
                int hi = dash < 0 ? lo : Integer.parseInt(f[i].substring(dash + 1));
                Arrays.fill(seen, lo, hi + 1, index);
            }
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            if (seen[slot] != owner[slot]) {
                return "slot " + slot + " on " + (seen[slot] < 0 ? "no node" : nodes.get(seen[slot]))
                        + ", expected " + nodes.get(owner[slot]);
            }
        }
        return null;
    }

    /** {@code INFO <section>} of a node as name/value pairs, e.g. {@code commandstats}. */
    public static Map<String, String> info(Node node, String section) {
        return node.server.info(section);
    }

    /** {@code CONFIG RESETSTAT} on every node: command and error counters start from zero. */
    public void resetStats() {
        for (Node node : nodes) {
            try (Jedis jedis = node.jedis()) {
                jedis.configResetStat();
            }
        }
    }

    /** Ports of the nodes, for messages. */
    public Set<Integer> ports() {
        return nodes.stream().map(Node::port).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            node.server.close();
        }
    }

    @Override
    public String toString() {
        return "redis cluster " + nodes;
    }
}
