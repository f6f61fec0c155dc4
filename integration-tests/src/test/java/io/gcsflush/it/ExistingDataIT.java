package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.JedisWriterApp;
import io.gcsflush.it.apps.TtlWriterApp;
import io.gcsflush.it.apps.WriterArgs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The agent's first attach to an application whose Redis already holds data: keys it never saw written, so not in
 * the order. Left alone (the default), they are never removed, and when they alone are over the threshold the agent
 * says so once and removes nothing, rather than the application's newest keys every period. With {@code adopt}, they
 * enter the journal before anything newer, the most idle first, and go first.
 */
class ExistingDataIT {
    /** Each group of existing keys: some 2 MiB. */
    private static final int GROUP = 2_000;
    /** Seconds between the groups, so that their idle times differ (Redis counts them in seconds). */
    private static final long APART_MILLIS = 2_100;

    /**
     * Keys the agent never saw written take some 6 MiB, the threshold is 3 MiB over what the server used before:
     * they alone are over it. The agent flushes once (which tells it what a key of its order takes), sees that the
     * rest cannot help, says so once, and removes nothing more; the old keys are all there.
     */
    @Test
    void existingDataOverTheThresholdBySelfIsSaidOnceAndNothingMoreIsRemoved(TestInfo test) throws Exception {
        ChildKeys app = new ChildKeys(0, "app", 2_000, Scenario.VALUE_SIZE);
        try (Scenario s = Scenario.start(test, app)) {
            long base = s.redis.usedMemory();
            ChildKeys old = new ChildKeys(0, "old", 3 * GROUP, Scenario.VALUE_SIZE);
            write(s.redis, old, 0, old.count);
            long threshold = base + 3 * Scenario.MIB; // the old keys alone take some 6 MiB
            try (ChildJvm child = ChildJvm.builder(test).agent("threshold=" + threshold + ",period=" + Scenario.PERIOD
                    + ",batch=" + Scenario.BATCH).mainClass(JedisWriterApp.class).args(app.args(s.redis, "plain"))
                    .openStdin().start()) {
                child.waitForLine("^wrote " + app.count + "$", Scenario.TIMEOUT);
                String warning = child.waitForLine("but the order holds only", Scenario.TIMEOUT);
                assertTrue(warning.contains("adopt=") && warning.contains("uncovered=flush"), warning);
                Thread.sleep(2_000); // ten periods
                assertEquals(List.of(warning), AgentLog.lines(child, AgentLog.line("WARN")), child::report);
                // One flush, which measures what a key of the order takes; then nothing more.
                assertTrue(AgentLog.flushes(child).size() <= 1, child::report);
                assertEquals(AgentLog.removed(child), app.gonePrefix(s.redis), child::report);
                assertTrue(old.allPresent(s.redis), child::report);
                Scenario.assertCleanExit(child);
            }
        }
    }

    /**
     * The application's own keys with an expiry time are left to Redis, so they are memory the order does not hold:
     * 12,000 of them with EX 3600 (some 6 MiB) against 3 MiB of room, then 2,000 without. As with keys from before the
     * agent: one flush, the warning, nothing more removed, every key with a TTL still there. Before the keys with an
     * expiry time were left out of the count, they passed for the order's, and the agent removed the application's
     * newest keys as they came.
     */
    @Test
    void theApplicationsKeysWithATtlOverTheThresholdBySelfAreSaidOnce(TestInfo test) throws Exception {
        try (Scenario s = Scenario.start(test, new ChildKeys(0, "ttl", 14_000, Scenario.VALUE_SIZE))) {
            long threshold = s.redis.usedMemory() + 3 * Scenario.MIB;
            ChildKeys all = new ChildKeys(0, "ttl", 14_000, Scenario.VALUE_SIZE);
            try (ChildJvm child = ChildJvm.builder(test).agent("threshold=" + threshold + ",period=" + Scenario.PERIOD
                    + ",batch=" + Scenario.BATCH + ",log.sink=stderr").mainClass(TtlWriterApp.class)
                    .args("--port", String.valueOf(s.redis.port()), "--prefix", "ttl", "--ttl-count", "12000",
                            "--count", "2000", "--value-size", String.valueOf(Scenario.VALUE_SIZE))
                    .openStdin().start()) {
                child.waitForLine("^wrote 14000$", Scenario.TIMEOUT);
                String warning = child.waitForLine("but the order holds only", Scenario.TIMEOUT);
                assertTrue(warning.contains("with an expiry time"), warning);
                Thread.sleep(2_000); // ten periods
                assertEquals(List.of(warning), AgentLog.lines(child, AgentLog.line("WARN")), child::report);
                assertTrue(AgentLog.flushes(child).size() <= 1, child::report);
                assertTrue(all.goneRanges(s.redis, 0, 12_000).isEmpty(), child::report);
                Scenario.assertCleanExit(child);
            }
        }
    }

    @Test
    void adoptedKeysGoFirstTheMostIdleFirst(TestInfo test) throws Exception {
        ChildKeys app = new ChildKeys(0, "app", 3_000, Scenario.VALUE_SIZE);
        try (Scenario s = Scenario.start(test, app)) {
            long base = s.redis.usedMemory();
            ChildKeys a = new ChildKeys(0, "oldA", GROUP, Scenario.VALUE_SIZE);
            ChildKeys b = new ChildKeys(0, "oldB", GROUP, Scenario.VALUE_SIZE);
            ChildKeys c = new ChildKeys(0, "oldC", GROUP, Scenario.VALUE_SIZE);
            write(s.redis, a, 0, GROUP);
            Thread.sleep(APART_MILLIS);
            write(s.redis, b, 0, GROUP);
            Thread.sleep(APART_MILLIS);
            write(s.redis, c, 0, GROUP);
            // Room for some 5,500 of the 9,000 keys: the oldest group goes, the next one partly.
            long threshold = base + 6 * Scenario.MIB;
            try (ChildJvm child = ChildJvm.builder(test).agent("threshold=" + threshold + ",period=" + Scenario.PERIOD
                    + ",batch=" + Scenario.BATCH + ",adopt=old*").mainClass(JedisWriterApp.class)
                    .args(app.args(s.redis, "plain")).openStdin().start()) {
                child.waitForLine("^wrote " + app.count + "$", Scenario.TIMEOUT);
                child.waitForLine("took " + 3 * GROUP + " of the " + 3 * GROUP + " keys matching adopt=old\\*",
                        Scenario.TIMEOUT);
                int[] gone = new int[4];
                Await.until("used_memory under the threshold", Scenario.TIMEOUT, () -> {
                    // Within a group, one idle second: the order SCAN found them in.
                    gone[0] = a.goneCount(s.redis);
                    gone[1] = b.goneCount(s.redis);
                    gone[2] = c.goneCount(s.redis);
                    gone[3] = app.gonePrefix(s.redis);
                    return s.redis.usedMemory() < threshold
                            && gone[0] + gone[1] + gone[2] + gone[3] == AgentLog.removed(child);
                }, () -> "gone: A " + gone[0] + ", B " + gone[1] + ", C " + gone[2] + ", app " + gone[3] + "; "
                        + child.report());
                // The most idle group first, whole, before any of the next; the application's keys, the newest,
                // only once every existing one is gone.
                assertEquals(GROUP, gone[0], () -> "A, the most idle, went first: " + gone[0]);
                assertTrue(gone[1] > 0, () -> "B next: " + gone[1]);
                assertTrue(gone[2] == 0 || gone[1] == GROUP, () -> "C before all of B: " + gone[1] + ", " + gone[2]);
                assertTrue(gone[3] == 0 || gone[2] == GROUP, () -> "app keys before all of C: " + gone[3]);
                Scenario.assertNoAgentErrors(child);
                Scenario.assertCleanExit(child);
            }
        }
    }

    /** Writes keys as a writer application would, but with the test's own client: keys the agent never saw. */
    private static void write(RedisServer redis, ChildKeys keys, int from, int to) {
        try (Jedis jedis = redis.jedis(keys.db)) {
            Pipeline p = jedis.pipelined();
            for (int i = from; i < to; i++) p.set(keys.key(i), WriterArgs.value(i, keys.valueSize));
            p.sync();
        }
    }
}
