package io.gcsflush.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Keys the test writes to a cluster with its own client, which the child application never writes: the agent must
 * never remove or change them. Each is written to, and checked on, the node that owns its slot at that moment, so a
 * key whose slot migrated is checked where it went.
 */
final class ClusterForeignKeys {
    private final List<String> keys = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private int[] slots = new int[0];

    /** {@code count} strings {@code prefix:i}, values of about 100 bytes; a {hash tag} in the prefix pins the slot. */
    ClusterForeignKeys strings(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            keys.add(prefix + ":" + i);
            values.add("foreign " + i + " " + "f".repeat(90));
        }
        return this;
    }

    int size() {
        return keys.size();
    }

    /** How many live on {@code node} now. */
    long countOn(RedisCluster cluster, RedisCluster.Node node) {
        return Arrays.stream(slots).filter(s -> cluster.nodeForSlot(s) == node).count();
    }

    /** Writes every key to its node, one pipeline a node. */
    ClusterForeignKeys write(RedisCluster cluster) {
        slots = cluster.slotsOf(keys);
        for (Map.Entry<RedisCluster.Node, List<Integer>> e : byNode(cluster).entrySet()) {
            try (Jedis jedis = e.getKey().jedis()) {
                Pipeline pipeline = jedis.pipelined();
                for (int i : e.getValue()) {
                    pipeline.set(keys.get(i), values.get(i));
                }
                pipeline.sync();
            }
        }
        return this;
    }

    /** Fails, naming the first few, if any key is gone or changed. */
    void assertUntouched(RedisCluster cluster) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<RedisCluster.Node, List<Integer>> e : byNode(cluster).entrySet()) {
            try (Jedis jedis = e.getKey().jedis()) {
                Pipeline pipeline = jedis.pipelined();
                List<Response<String>> replies = new ArrayList<>();
                for (int i : e.getValue()) {
                    replies.add(pipeline.get(keys.get(i)));
                }
                pipeline.sync();
                for (int j = 0; j < replies.size(); j++) {
                    int i = e.getValue().get(j);
                    if (!values.get(i).equals(replies.get(j).get())) {
                        problems.add(e.getKey() + " " + keys.get(i) + ": found " + replies.get(j).get());
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " of the test's own " + keys.size() + " keys were removed or"
                    + " changed: " + problems.stream().limit(10).collect(Collectors.joining("; ")));
        }
    }

    private Map<RedisCluster.Node, List<Integer>> byNode(RedisCluster cluster) {
        Map<RedisCluster.Node, List<Integer>> byNode = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            byNode.computeIfAbsent(cluster.nodeForSlot(slots[i]), n -> new ArrayList<>()).add(i);
        }
        return byNode;
    }
}
