package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.JedisWriterApp;
import io.gcsflush.it.apps.WriterArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import redis.clients.jedis.Jedis;

/**
 * The journal when something happens to it or to its server: another client's FLUSHALL, the journal deleted or
 * overwritten, a writer killed with SIGKILL, Redis restarted from its AOF or restarted empty, a user that may not run
 * scripts. Each time the agent says so in one line at most, never removes a key it did not write, and goes on
 * removing the oldest of what it wrote.
 */
class JournalFaultsIT {
    private static final String JOURNAL = "gcs-flush:journal";
    /** Keys written before the event: some 1 MiB, under the threshold. */
    private static final int BEFORE = 1_000;

    /**
     * The application writes its keys; another client runs FLUSHALL, then writes keys of its own under the same
     * names as the application's oldest (app:000000..app:000099), then the application writes on, over the threshold.
     * The journal went with the FLUSHALL: the agent forgets what it tracked, and never touches the other client's keys.
     */
    @Test
    void anotherClientsFlushAllIsNoticedAndItsKeysAreNeverRemoved(TestInfo test) {
        ChildKeys keys = new ChildKeys(0, "app", BEFORE, Scenario.VALUE_SIZE);
        try (Scenario s = Scenario.start(test, keys)) {
            s.writeForeignAndSetThreshold();
            try (ChildJvm app = s.writer(JedisWriterApp.class, "plain").start()) {
                app.waitForLine("^wrote " + BEFORE + "$", Scenario.TIMEOUT);
                awaitJournaled(s.redis, BEFORE);
                try (Jedis jedis = s.redis.jedis()) {
                    jedis.flushAll();
                }
                ForeignKeys sameNames = new ForeignKeys().namesLetGoBy(keys, 0, 100).write(s.redis);
                app.send("write " + Scenario.COUNT);
                app.waitForLine("^wrote " + (BEFORE + Scenario.COUNT) + "$", Scenario.TIMEOUT);
                app.waitForLine("the journal of database 0 is new and the keys this application wrote there are gone",
                        Scenario.TIMEOUT);
                ChildKeys later = new ChildKeys(0, "app", BEFORE + Scenario.COUNT, Scenario.VALUE_SIZE);
                int[] gone = new int[1];
                Await.until("used_memory under the threshold", Scenario.TIMEOUT, () -> {
                    gone[0] = later.gonePrefix(s.redis, BEFORE, BEFORE + Scenario.COUNT);
                    return s.redis.usedMemory() < s.threshold() && gone[0] > 0 && gone[0] == AgentLog.removed(app);
                }, () -> s.state(app, gone[0]));
                sameNames.assertUntouched(s.redis);
                assertEquals(gone[0], AgentLog.removed(app), app::report);
                Scenario.assertCleanExit(app);
            }
        }
    }

    /**
     * Another client deletes the journal (DEL), or writes a string over it: the agent says so once, puts back what
     * its application still has, as the oldest, and flushes on oldest first.
     */
    @Test
    void aJournalDeletedOrOverwrittenIsRebuilt(TestInfo test) {
        for (String damage : List.of("del", "set")) {
            ChildKeys keys = new ChildKeys(0, "app", BEFORE, Scenario.VALUE_SIZE);
            try (Scenario s = Scenario.start(test, keys)) {
                s.writeForeignAndSetThreshold();
                try (ChildJvm app = s.writer(JedisWriterApp.class, "plain").start()) {
                    app.waitForLine("^wrote " + BEFORE + "$", Scenario.TIMEOUT);
                    awaitJournaled(s.redis, BEFORE);
                    try (Jedis jedis = s.redis.jedis()) {
                        if (damage.equals("del")) jedis.del(JOURNAL, JOURNAL + ":state");
                        else jedis.set(JOURNAL, "someone else's");
                    }
                    app.send("write " + Scenario.COUNT);
                    app.waitForLine("^wrote " + (BEFORE + Scenario.COUNT) + "$", Scenario.TIMEOUT);
                    String warning = damage.equals("del") ? "was deleted or replaced by another client"
                            : "holds a value of another type";
                    app.waitForLine(warning, Scenario.TIMEOUT);
                    ChildKeys all = new ChildKeys(0, "app", BEFORE + Scenario.COUNT, Scenario.VALUE_SIZE);
                    int[] gone = new int[1];
                    Await.until("used_memory under the threshold", Scenario.TIMEOUT, () -> {
                        gone[0] = all.gonePrefix(s.redis); // the oldest, those written before the damage, first
                        return s.redis.usedMemory() < s.threshold() && gone[0] == AgentLog.removed(app);
                    }, () -> damage + ": " + s.state(app, gone[0]));
                    assertTrue(gone[0] > BEFORE, () -> damage + ": " + s.state(app, gone[0]));
                    assertEquals(1, AgentLog.lines(app, AgentLog.line("WARN")).size(), app::report);
                    s.foreign.assertUntouched(s.redis);
                    Scenario.assertCleanExit(app);
                }
            }
        }
    }

    /**
     * A writer killed with SIGKILL in the middle of its writes loses from the journal at most the keys it wrote in
     * the last moments: those not appended yet (the agent appends every tenth of a second).
     */
    @Test
    void aKilledWriterLosesAtMostItsLastTenthOfASecond(TestInfo test) throws Exception {
        int rate = 5_000;
        try (RedisServer redis = RedisServer.builder().name(Scenario.name(test)).start()) {
            Path times = TestDirs.underTarget("write-times").resolve(Scenario.name(test));
            String agent = "threshold=1g,period=1s";
            try (ChildJvm app = SharedOrderIT.paced(test, "writer", redis, agent, "kill", 100_000, rate, 0, times,
                    -1)) {
                app.waitForLine("^writing$", Scenario.TIMEOUT);
                Thread.sleep(3_000);
                app.destroy();
                app.waitForExit(Scenario.TIMEOUT);
            }
            Set<String> journaled = journalKeys(redis);
            List<String> written = new ArrayList<>();
            for (String line : Files.readAllLines(times, StandardCharsets.US_ASCII)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) written.add(WriterArgs.key("kill", Integer.parseInt(parts[0])));
            }
            long present = 0;
            long missing = 0;
            try (Jedis jedis = redis.jedis()) {
                for (String key : written) {
                    if (!jedis.exists(key)) continue;
                    present++;
                    if (!journaled.contains(key)) missing++;
                }
                // Keys the file did not get to (written in the last tenth of a second): present, not in it.
                for (int i = written.size(); jedis.exists(WriterArgs.key("kill", i)); i++) {
                    present++;
                    if (!journaled.contains(WriterArgs.key("kill", i))) missing++;
                }
            }
            long lost = missing;
            System.out.println("[JournalFaultsIT] killed writer: " + present + " keys in Redis, " + lost
                    + " of them not in the journal (" + rate + " keys a second)");
            assertTrue(present > rate / 2, "the writer wrote for a while: " + present);
            assertTrue(lost <= rate * 3 / 10, () -> lost + " keys missing from the journal, more than 0.3 s of "
                    + "writes at " + rate + " a second");
        }
    }

    /**
     * Redis restarted from its append-only file: the keys and their journal come back together (the same journal, by
     * its id), and the agent goes on with it: the keys written before the restart are removed first, and it says
     * nothing of a new journal.
     */
    @Test
    void aServerRestartedFromItsAofKeepsKeysAndOrderTogether(TestInfo test) throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("gcsflush-aof-");
        String[] aof = {"--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()};
        ChildKeys keys = new ChildKeys(0, "app", BEFORE, Scenario.VALUE_SIZE);
        RedisServer first = RedisServer.builder().name(Scenario.name(test)).args(aof).start();
        int port = first.port();
        long threshold = first.usedMemory() + 2 * Scenario.MIB;
        String agent = "threshold=" + threshold + ",period=" + Scenario.PERIOD + ",batch=" + Scenario.BATCH;
        try (ChildJvm app = ChildJvm.builder(test).agent(agent).mainClass(JedisWriterApp.class)
                .args(keys.args(first, "plain")).openStdin().start()) {
            app.waitForLine("^wrote " + BEFORE + "$", Scenario.TIMEOUT);
            awaitJournaled(first, BEFORE);
            first.close();
            try (RedisServer second = RedisServer.builder().name(Scenario.name(test) + "-second").port(port).args(aof)
                    .start()) {
                assertEquals(BEFORE, second.dbSizeWithoutJournal(), "the keys came back from the AOF");
                app.send("write " + Scenario.COUNT);
                app.waitForLine("^wrote " + (BEFORE + Scenario.COUNT) + "$", Scenario.TIMEOUT);
                ChildKeys all = new ChildKeys(0, "app", BEFORE + Scenario.COUNT, Scenario.VALUE_SIZE);
                int[] gone = new int[1];
                Await.until("used_memory under the threshold", Scenario.TIMEOUT, () -> {
                    gone[0] = all.gonePrefix(second);
                    return second.usedMemory() < threshold && gone[0] == AgentLog.removed(app);
                }, () -> "gone " + gone[0] + "; " + app.report());
                assertTrue(gone[0] > BEFORE, () -> gone[0] + " gone; " + app.report());
                assertEquals(List.of(), AgentLog.lines(app, "journal of database 0 is new|putting back"), app::report);
                Scenario.assertCleanExit(app);
            }
        } finally {
            first.close();
        }
    }

    /** The keys named in the journal of database 0, read as the README says: a blob a list element, a key a line. */
    static Set<String> journalKeys(RedisServer redis) {
        Set<String> keys = new HashSet<>();
        try (Jedis jedis = redis.jedis()) {
            for (String blob : jedis.lrange(JOURNAL, 0, -1)) {
                String[] lines = blob.split("\n");
                for (int i = 1; i < lines.length; i++) keys.add(lines[i]);
            }
        }
        return keys;
    }

    /** Waits until the journal holds at least {@code count} keys (its state says so). */
    static void awaitJournaled(RedisServer redis, long count) {
        Await.until(count + " keys in the journal", Scenario.TIMEOUT, () -> {
            try (Jedis jedis = redis.jedis()) {
                String keys = jedis.hget(JOURNAL + ":state", "keys");
                return keys != null && Long.parseLong(keys) >= count;
            }
        }, () -> "journal state " + stateOf(redis));
    }

    static String stateOf(RedisServer redis) {
        try (Jedis jedis = redis.jedis()) {
            return String.valueOf(jedis.hgetAll(JOURNAL + ":state"));
        }
    }
}
