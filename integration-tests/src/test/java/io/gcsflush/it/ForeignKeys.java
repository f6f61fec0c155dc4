package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.gcsflush.it.apps.ConditionalKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Keys the test writes with its own client, which the child application never writes: the agent must never remove
 * or change them, whatever their names. Strings, and hashes of one field.
 */
final class ForeignKeys {

    private record Entry(int db, String key, String value, boolean hash) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** {@code count} strings {@code prefix:i} in database {@code db}, with values of about 100 bytes. */
    ForeignKeys strings(int db, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            entries.add(new Entry(db, prefix + ":" + i, "foreign " + i + " " + "f".repeat(90), false));
        }
        return this;
    }

    /** Strings in database {@code db} under the names of the first {@code count} keys of the child. */
    ForeignKeys sameNamesAs(ChildKeys child, int db, int count) {
        if (db == child.db) {
            throw new IllegalArgumentException("the same names in the child's own database would be the child's keys");
        }
        for (int i = 0; i < count; i++) {
            entries.add(new Entry(db, child.key(i), "foreign copy of " + child.key(i), false));
        }
        return this;
    }

    /**
     * Strings under the names of the child's keys {@code from..to-1}, in its own database: names the child let go of
     * (deleted, renamed), which are the test's once it writes them.
     */
    ForeignKeys namesLetGoBy(ChildKeys child, int from, int to) {
        for (int i = from; i < to; i++) {
            entries.add(new Entry(child.db, child.key(i), "the test's own " + child.key(i), false));
        }
        return this;
    }

    /** The keys the conditional writes of {@link ConditionalKeys} aim at, in database {@code db}. */
    ForeignKeys conditionalTargets(int db, String foreignPrefix, int count) {
        for (int i = 0; i < count; i++) {
            entries.add(new Entry(db, ConditionalKeys.string(foreignPrefix, i), "foreign string " + i, false));
            entries.add(new Entry(db, ConditionalKeys.hash(foreignPrefix, i), "foreign hash " + i, true));
            entries.add(new Entry(db, ConditionalKeys.renameTarget(foreignPrefix, i), "foreign target " + i, false));
            entries.add(new Entry(db, ConditionalKeys.discarded(foreignPrefix, i), "foreign discarded " + i, false));
        }
        return this;
    }

    int size() {
        return entries.size();
    }

    /** How many of the keys are in database {@code db}. */
    long countIn(int db) {
        return entries.stream().filter(e -> e.db == db).count();
    }

    /** Writes every key, one pipeline per database. */
    ForeignKeys write(RedisServer redis) {
        for (Map.Entry<Integer, List<Entry>> byDb : byDb().entrySet()) {
            try (Jedis jedis = redis.jedis(byDb.getKey())) {
                Pipeline pipeline = jedis.pipelined();
                for (Entry e : byDb.getValue()) {
                    if (e.hash) {
                        pipeline.hset(e.key, ConditionalKeys.HASH_FIELD, e.value);
                    } else {
                        pipeline.set(e.key, e.value);
                    }
                }
                pipeline.sync();
            }
        }
        return this;
    }

    /** Fails, naming the first few, if any key is gone or changed. */
    void assertUntouched(RedisServer redis) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Integer, List<Entry>> byDb : byDb().entrySet()) {
            try (Jedis jedis = redis.jedis(byDb.getKey())) {
                Pipeline pipeline = jedis.pipelined();
                List<Response<?>> replies = new ArrayList<>();
                for (Entry e : byDb.getValue()) {
                    replies.add(e.hash ? pipeline.hgetAll(e.key) : pipeline.get(e.key));
                }
                pipeline.sync();
                for (int i = 0; i < replies.size(); i++) {
                    Entry e = byDb.getValue().get(i);
                    Object expected = e.hash ? Map.of(ConditionalKeys.HASH_FIELD, e.value) : e.value;
                    Object actual = replies.get(i).get();
                    if (!expected.equals(actual)) {
                        problems.add("db " + e.db + " " + e.key + ": expected " + expected + ", found " + actual);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " of the test's own " + entries.size() + " keys were removed or changed: "
                    + problems.stream().limit(10).collect(Collectors.joining("; ")));
        }
    }

    private Map<Integer, List<Entry>> byDb() {
        return entries.stream().collect(Collectors.groupingBy(Entry::db, TreeMap::new, Collectors.toList()));
    }
}
