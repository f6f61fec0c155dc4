package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.PacedWriterApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The order of writes is one, kept in Redis (order=journal, the default): whichever JVM wrote a key, whether it still
 * runs, the oldest keys go first. Applications here record when they wrote each key ({@link PacedWriterApp}), so
 * that the test can check the global order: every key removed is older than every key kept, give or take one period
 * (a key is appended to the journal a tenth of a second after it is written, by its own JVM).
 */
class SharedOrderIT {
    private static final Duration PERIOD = Duration.ofMillis(500);
    /** Some 0.5 KiB of Redis memory a key. */
    private static final int VALUE_SIZE = 400;

    /**
     * A deploy: generation A writes and exits, generation B (a new JVM) writes more. The journal outlives A: what A
     * wrote is removed before anything of B's, and the server ends under the threshold.
     */
    @Test
    void aRestartKeepsTheNewestWindow(TestInfo test) throws Exception {
        try (RedisServer redis = RedisServer.builder().name(Scenario.name(test)).start()) {
            long threshold = redis.usedMemory() + 3 * Scenario.MIB;
            String agent = agent(threshold, 1500);
            Path timesA = TestDirs.underTarget("write-times").resolve(Scenario.name(test) + ".A");
            Path timesB = TestDirs.underTarget("write-times").resolve(Scenario.name(test) + ".B");
            try (ChildJvm a = paced(test, "A", redis, agent, "genA", 8_000, 4_000, 0, timesA, 500)) {
                assertEquals(0, a.waitForExit(Scenario.TIMEOUT), a::report);
            }
            try (ChildJvm b = paced(test, "B", redis, agent, "genB", 8_000, 4_000, 0, timesB, -1)) {
                b.waitForLine("^wrote ", Scenario.TIMEOUT);
                WriteTimes times = new WriteTimes();
                Await.until("used_memory under the threshold " + threshold, Scenario.TIMEOUT, () -> {
                    times.keys.clear();
                    times.add(redis, 0, "genA", timesA).add(redis, 0, "genB", timesB);
                    return redis.usedMemory() < threshold && times.removed() > 8_000;
                }, () -> "used_memory " + redis.usedMemory() + "; " + times.describe() + b.report());
                System.out.println("[SharedOrderIT] restart: " + times.describe() + "inversion "
                        + times.inversionMillis() + " ms; used_memory " + redis.usedMemory() + " for a threshold of "
                        + threshold);
                // Every key of A is gone before any of B's (the journal had them first), and B lost its oldest.
                assertTrue(times.inversionMillis() <= 0, times::describe);
                assertTrue(times.present() > 0, times::describe);
                Scenario.assertNoAgentErrors(b);
            }
        }
    }

    /**
     * Two instances of one service at once, at different rates: C writes 1,000 keys a second for 8 s, D 4,000 a second
     * from the 2nd to the 5th second. Both flush the one journal: what is gone is the oldest of both, within a period,
     * and no key was taken twice (the keys taken, over both agents' lines, are as many as the keys gone).
     */
    @Test
    void twoInstancesShareOneOrder(TestInfo test) throws Exception {
        try (RedisServer redis = RedisServer.builder().name(Scenario.name(test)).start()) {
            long threshold = redis.usedMemory() + 4 * Scenario.MIB;
            String agent = agent(threshold, 2_000);
            Path timesC = TestDirs.underTarget("write-times").resolve(Scenario.name(test) + ".C");
            Path timesD = TestDirs.underTarget("write-times").resolve(Scenario.name(test) + ".D");
            try (ChildJvm c = paced(test, "C", redis, agent, "instC", 8_000, 1_000, 0, timesC, -1);
                 ChildJvm d = paced(test, "D", redis, agent, "instD", 12_000, 4_000, 2_000, timesD, -1)) {
                c.waitForLine("^wrote ", Scenario.TIMEOUT);
                d.waitForLine("^wrote ", Scenario.TIMEOUT);
                WriteTimes times = new WriteTimes();
                Await.until("used_memory under the threshold " + threshold, Scenario.TIMEOUT, () -> {
                    times.keys.clear();
                    times.add(redis, 0, "instC", timesC).add(redis, 0, "instD", timesD);
                    return redis.usedMemory() < threshold;
                }, () -> "used_memory " + redis.usedMemory() + "; " + times.describe());
                long inversion = times.inversionMillis();
                System.out.println("[SharedOrderIT] two instances: " + times.describe() + "inversion " + inversion
                        + " ms");
                assertTrue(inversion <= PERIOD.toMillis(), () -> "a key removed is " + inversion + " ms newer than "
                        + "the oldest kept: " + times.describe());
                assertTrue(times.removed() > 0 && times.present() > 0, times::describe);
                // The flush lines are counted once both have exited: an application that has not handed out a logger
                // yet has the agent's lines held (up to 10 s, see LogRelay), and written at the latest at exit.
                for (ChildJvm app : List.of(c, d)) {
                    app.closeStdin();
                    assertEquals(0, app.waitForExit(Scenario.TIMEOUT), app::report);
                }
                times.keys.clear();
                times.add(redis, 0, "instC", timesC).add(redis, 0, "instD", timesD);
                System.out.println("[SharedOrderIT] two instances, both exited: " + times.describe() + "flushes C "
                        + AgentLog.flushes(c).size() + ", D " + AgentLog.flushes(d).size() + "; used_memory "
                        + redis.usedMemory() + " for a threshold of " + threshold);
                long taken = AgentLog.picked(c) + AgentLog.picked(d);
                assertEquals(times.removed(), taken, () -> "keys taken from the journal by both agents, against "
                        + "keys gone: " + times.describe());
                assertEquals(times.removed(), AgentLog.removed(c) + AgentLog.removed(d), times::describe);
                for (ChildJvm app : List.of(c, d)) Scenario.assertNoAgentErrors(app);
            }
        }
    }

    static String agent(long threshold, int batch) {
        return "threshold=" + threshold + ",period=" + PERIOD.toMillis() + "ms,batch=" + batch;
    }

    /** A {@link PacedWriterApp} under the agent. */
    static ChildJvm paced(TestInfo test, String name, RedisServer redis, String agent, String prefix, int count,
            int rate, int delayMillis, Path times, long holdMillis) {
        return ChildJvm.builder(Scenario.name(test) + "." + name).agent(agent).mainClass(PacedWriterApp.class)
                .args("--port", String.valueOf(redis.port()), "--prefix", prefix, "--count", String.valueOf(count),
                        "--rate", String.valueOf(rate), "--value-size", String.valueOf(VALUE_SIZE),
                        "--delay-ms", String.valueOf(delayMillis), "--times", times.toString(),
                        "--hold-ms", String.valueOf(holdMillis))
                .openStdin().start();
    }
}
