package io.gcsflush.demo;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes Ray-like metadata: half "task table" entries ({@code task:<id>} hashes describing a task), half
 * "object table" entries ({@code object:<id>}, a value or a hash saying where the object lives).
 * Ids are 20 random bytes in hex, as Ray's were, so every entry is a new key. One generator per thread.
 */
final class MetadataGenerator {
    static final int MIN_OBJECT_SIZE = 100;
    static final int MAX_OBJECT_SIZE = 900;
    private static final int ID_BYTES = 20;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String[] FUNCTIONS = {
        "train.sgd_step", "train.evaluate", "data.load_shard", "data.shuffle_partition", "data.preprocess_batch",
        "rl.rollout_worker.sample", "rl.learner.update", "serve.replica.handle_request", "tune.trial.report",
        "util.actor_pool.submit", "sim.environment.step", "etl.join_partitions"
    };
    private static final String[] STATES = {"WAITING", "SCHEDULED", "RUNNING", "FINISHED", "FINISHED", "FINISHED"};
    private static final String[] NODES = nodeIds(8);

    private final SplittableRandom random;
    private final int valueSize;

    /** @param valueSize size of every object value, or 0 for random sizes (and some objects as hashes) */
    MetadataGenerator(long seed, int valueSize) {
        this.random = new SplittableRandom(seed);
        this.valueSize = valueSize;
    }

    Entry next() {
        return random.nextBoolean() ? task() : object();
    }

    Entry task() {
        long submitted = System.currentTimeMillis();
        long started = submitted + random.nextInt(50);
        Map<byte[], byte[]> f = new LinkedHashMap<>();
        put(f, "function", FUNCTIONS[random.nextInt(FUNCTIONS.length)]);
        put(f, "args", new String(hex(4 + random.nextInt(150)), StandardCharsets.US_ASCII));
        put(f, "state", STATES[random.nextInt(STATES.length)]);
        put(f, "node_id", NODES[random.nextInt(NODES.length)]);
        put(f, "num_returns", Integer.toString(1 + random.nextInt(3)));
        put(f, "submitted_ms", Long.toString(submitted));
        put(f, "started_ms", Long.toString(started));
        put(f, "finished_ms", Long.toString(started + 1 + random.nextInt(2000)));
        return Entry.hash(key("task:"), f);
    }

    Entry object() {
        if (valueSize > 0) return Entry.string(key("object:"), bytes(valueSize));
        if (random.nextInt(4) > 0) {
            int size = MIN_OBJECT_SIZE + random.nextInt(MAX_OBJECT_SIZE - MIN_OBJECT_SIZE + 1);
            return Entry.string(key("object:"), bytes(size));
        }
        Map<byte[], byte[]> f = new LinkedHashMap<>();
        put(f, "location", NODES[random.nextInt(NODES.length)]);
        put(f, "size", Integer.toString(1 + random.nextInt(64 << 20)));
        put(f, "owner_task", new String(hex(ID_BYTES), StandardCharsets.US_ASCII));
        put(f, "created_ms", Long.toString(System.currentTimeMillis()));
        return Entry.hash(key("object:"), f);
    }

    private byte[] key(String prefix) {
        byte[] id = hex(ID_BYTES);
        byte[] key = new byte[prefix.length() + id.length];
        for (int i = 0; i < prefix.length(); i++) key[i] = (byte) prefix.charAt(i);
        System.arraycopy(id, 0, key, prefix.length(), id.length);
        return key;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private byte[] hex(int n) {
        byte[] raw = bytes(n);
        byte[] out = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = HEX[(raw[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[raw[i] & 0xf];
        }
        return out;
    }

    private static void put(Map<byte[], byte[]> fields, String name, String value) {
        fields.put(name.getBytes(StandardCharsets.US_ASCII), value.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] nodeIds(int n) {
        MetadataGenerator g = new MetadataGenerator(42, 0);
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) ids[i] = new String(g.hex(ID_BYTES), StandardCharsets.US_ASCII);
        return ids;
    }
}
