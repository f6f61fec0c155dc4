package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.HeldConnectionApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The agent attached to an application that runs already ({@code java -jar gcs-flush.jar attach PID ...}), whose one
 * connection was opened, and its database selected, before the agent came: the keys it writes after the attach are
 * followed in that database from its next command, and flushed oldest first; the keys written before are not in the
 * order unless {@code adopt=} takes them in, and then they go first, the most idle first.
 */
class AttachIT {
    private static final Duration TIMEOUT = Scenario.TIMEOUT;
    private static final int VALUE_SIZE = Scenario.VALUE_SIZE;
    /** Keys written before the attach, in two halves two seconds apart (idle time counts whole seconds). */
    private static final int HALF = 1_000;
    /** Keys written after it: some 6.6 MiB, 4.6 MiB over the threshold, more than the keys from before. */
    private static final int AFTER = 6_000;

    @Test
    void jedisConnectionFromBeforeIsFollowedInItsDatabaseAndAdoptedKeysGoFirst(TestInfo test) throws Exception {
        ChildKeys keys = new ChildKeys(2, "app", 2 * HALF + AFTER, VALUE_SIZE);
        try (Scenario s = Scenario.start(test, keys)) {
            // Keys of the same names in database 0: neither adopted nor removed, as only database 2 is followed.
            s.foreign.strings(2, "foreign", 200).strings(0, "app", 200);
            s.foreign.write(s.redis);
            try (ChildJvm app = held(test, s, keys, "jedis")) {
                write(app, HALF, HALF);
                Thread.sleep(2_100);
                write(app, HALF, 2 * HALF);
                long threshold = s.redis.usedMemory() + Scenario.MARGIN;

                GcsFlushCli.Result attached = GcsFlushCli.run("attach", String.valueOf(app.pid()),
                        "threshold=" + threshold + ",period=200ms,batch=500,adopt=@2:app:*");
                assertEquals(0, attached.exitCode(), attached::toString);
                assertTrue(attached.out().startsWith("gcs-flush ") && attached.out().contains(" started in JVM "
                        + app.pid()), attached::toString);
                app.waitForLine(AgentLog.STARTED, TIMEOUT);
                // One key brings the agent to the database; the keys from before are taken in before the next ones.
                write(app, 1, 2 * HALF + 1);
                app.waitForLine(AgentLog.line("INFO") + "\\S+: took " + 2 * HALF + " of the \\d+ keys matching "
                        + "adopt=@2:app:\\* in database 2 into the journal", TIMEOUT);
                write(app, AFTER - 1, keys.count);

                int[] gone = new int[2];
                Await.until("used_memory under the threshold " + threshold + ", the keys from before gone, and as many"
                                + " keys gone as the agent says it removed", TIMEOUT,
                        () -> {
                            // The keys from before go the most idle first: the first half, then the second, each
                            // in the order the scan found them (idle time counts whole seconds); then the oldest of
                            // those written after the attach, in the order they were written.
                            gone[1] = keys.gonePrefix(s.redis, 2 * HALF, keys.count);
                            int second = goneIn(keys, s.redis, HALF, 2 * HALF);
                            gone[0] = goneIn(keys, s.redis, 0, HALF) + second;
                            if (second > 0 && gone[0] - second < HALF || gone[1] > 0 && gone[0] < 2 * HALF) {
                                throw new AssertionError("not the oldest first: gone before the attach "
                                        + ChildKeys.describe(keys.goneRanges(s.redis, 0, 2 * HALF)) + ", after "
                                        + gone[1] + "; " + app.report());
                            }
                            return s.redis.usedMemory() < threshold && gone[0] + gone[1] == AgentLog.removed(app);
                        },
                        () -> "gone before the attach " + gone[0] + ", after " + gone[1] + "; used_memory "
                                + s.redis.usedMemory() + "; " + app.report());
                // The oldest first: every key from before (the most idle half first), then the oldest after it.
                assertEquals(2 * HALF, gone[0], app::report);
                assertTrue(gone[1] > 0 && gone[1] < AFTER, () -> gone[1] + " keys gone of those written after; "
                        + app.report());
                s.foreign.assertUntouched(s.redis);
                assertTrue(app.output().stream().anyMatch(l -> l.contains("instrumented ")
                        && l.contains("followed from their next command")), app::report);
                Scenario.assertNoAgentErrors(app);
            }
        }
    }

    @Test
    void lettuceConnectionFromBeforeIsFollowedAndKeysFromBeforeStayWithoutAdopt(TestInfo test) throws Exception {
        int before = 1_500;
        ChildKeys keys = new ChildKeys(3, "app", before + AFTER, VALUE_SIZE);
        try (Scenario s = Scenario.start(test, keys)) {
            s.foreign.strings(3, "foreign", 200);
            s.foreign.write(s.redis);
            try (ChildJvm app = held(test, s, keys, "lettuce")) {
                write(app, before, before);
                long threshold = s.redis.usedMemory() + Scenario.MARGIN;
                GcsFlushCli.Result attached = GcsFlushCli.run("attach", String.valueOf(app.pid()),
                        "threshold=" + threshold, "period=200ms", "batch=500");
                assertEquals(0, attached.exitCode(), attached::toString);
                app.waitForLine(AgentLog.STARTED, TIMEOUT);
                write(app, AFTER, keys.count);

                int[] gone = new int[1];
                Await.until("used_memory under the threshold " + threshold, TIMEOUT,
                        () -> {
                            gone[0] = keys.gonePrefix(s.redis, before, keys.count);
                            return s.redis.usedMemory() < threshold && gone[0] == AgentLog.removed(app);
                        },
                        () -> gone[0] + " gone of those after; used_memory " + s.redis.usedMemory() + "; "
                                + app.report());
                assertTrue(gone[0] > 0 && gone[0] < AFTER, app::report);
                assertTrue(keys.goneRanges(s.redis, 0, before).isEmpty(), "a key from before the attach is gone");
                s.foreign.assertUntouched(s.redis);
                Scenario.assertNoAgentErrors(app);
            }
        }
    }

    @Test
    void attachingTwiceIsRefusedAndTheSettingsAreCheckedFirst(TestInfo test) throws Exception {
        ChildKeys keys = new ChildKeys(0, "app", 10, 10);
        try (Scenario s = Scenario.start(test, keys); ChildJvm app = held(test, s, keys, "jedis")) {
            GcsFlushCli.Result bad = GcsFlushCli.run("attach", String.valueOf(app.pid()), "threshold=2x");
            assertEquals(2, bad.exitCode(), bad::toString);
            assertTrue(bad.err().startsWith("gcs-flush: invalid threshold=2x in the agent argument"), bad::toString);
            assertTrue(AgentLog.lines(app, AgentLog.ANY).isEmpty(), app::report);

            assertEquals(0, GcsFlushCli.run("attach", String.valueOf(app.pid()), "threshold=1g").exitCode());
            app.waitForLine(AgentLog.STARTED, TIMEOUT);
            GcsFlushCli.Result twice = GcsFlushCli.run("attach", String.valueOf(app.pid()));
            assertEquals(1, twice.exitCode(), twice::toString);
            assertTrue(twice.err().contains("already runs gcs-flush"), twice::toString);
            assertEquals(1, AgentLog.lines(app, AgentLog.STARTED).size(), app::report);
        }
    }

    private static int goneIn(ChildKeys keys, RedisServer redis, int from, int to) {
        return keys.goneRanges(redis, from, to).stream().mapToInt(r -> (int) (r[1] - r[0] + 1)).sum();
    }

    /** The application, without the agent, its connection open and its database selected. */
    static ChildJvm held(TestInfo test, Scenario s, ChildKeys keys, String mode) {
        ChildJvm app = ChildJvm.builder(test).mainClass(HeldConnectionApp.class)
                .args("--host", s.redis.host(), "--port", String.valueOf(s.redis.port()), "--db",
                        String.valueOf(keys.db), "--prefix", keys.prefix, "--value-size", String.valueOf(keys.valueSize),
                        "--mode", mode)
                .openStdin().start();
        app.waitForLine("^ready$", TIMEOUT);
        return app;
    }

    /** Writes {@code n} more keys over the application's connection; {@code total} written then. */
    static void write(ChildJvm app, int n, int total) {
        app.send("write " + n);
        app.waitForLine("^wrote " + total + "$", TIMEOUT);
    }
}
