package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.JedisWriterApp;
import io.gcsflush.it.apps.LettuceWriterApp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * With {@code order=local}, two JVMs with the agent write to ONE server, each its own keys, in turns: each agent knows
 * only what its own application wrote, so each removes only its own application's keys, its oldest first; their
 * removal rates add up (each up to batch / period), and together they bring used_memory below the threshold. (With the
 * journal, the default, they share one order: see {@link SharedOrderIT}.)
 *
 * <p>What makes "only its own" checkable: each agent's log says how many keys it removed; for each application, the
 * keys gone must be exactly its oldest, and exactly as many as its own agent says it removed. A key of application A
 * removed by agent B would make A's keys gone outnumber what agent A removed (or, not being A's oldest, break the
 * prefix).
 */
class SeveralJvmsIT {
    /** Keys each application writes in a turn; some 1.6 MiB. */
    private static final int TURN = 1_500;
    private static final int TURNS = 4;
    private static final int TOTAL = TURN * TURNS;
    /**
     * Keys one flush removes: some 0.5 MiB, small next to what the two applications write, so that the server stays
     * over the threshold for several periods and both agents flush, often in the same period.
     */
    private static final int BATCH = 500;
    private static final Duration PERIOD = Duration.ofMillis(200);
    /**
     * The threshold is this much above the memory the server uses before the applications start: room for some 7,000
     * of their 12,000 keys. The agents have some 5,000 to remove between them, fewer than the 6,000 of either
     * application: however the work falls between them, neither application loses all its keys.
     */
    private static final long MARGIN = 8 * Scenario.MIB;

    @Test
    void eachAgentRemovesOnlyTheKeysOfItsOwnJvm(TestInfo test) {
        ChildKeys keysA = new ChildKeys(0, "jvmA", TURN, Scenario.VALUE_SIZE);
        ChildKeys keysB = new ChildKeys(0, "jvmB", TURN, Scenario.VALUE_SIZE);
        try (Scenario s = Scenario.start(test, keysA)) {
            s.foreign.strings(0, "foreign", 300).write(s.redis);
            long threshold = s.redis.usedMemory() + MARGIN;
            // log.sink=stderr: the flush times are read from the timestamps of the agent's own format.
            String agent = "threshold=" + threshold + ",period=" + Scenario.PERIOD + ",batch=" + BATCH
                    + ",log.sink=stderr,order=local";
            try (ChildJvm a = ChildJvm.builder(Scenario.name(test) + ".A").agent(agent)
                    .mainClass(JedisWriterApp.class).args(keysA.args(s.redis, "plain")).openStdin().start();
                 ChildJvm b = ChildJvm.builder(Scenario.name(test) + ".B").agent(agent)
                         .mainClass(LettuceWriterApp.class).args(keysB.args(s.redis, "sync")).openStdin().start()) {
                // Turns: A writes its first keys, then B, then A its next ones... so the two applications' keys
                // alternate in time on the server, and its memory is the sum of both.
                a.waitForLine("^wrote " + TURN + "$", Scenario.TIMEOUT);
                b.waitForLine("^wrote " + TURN + "$", Scenario.TIMEOUT);
                for (int turn = 2; turn <= TURNS; turn++) {
                    for (ChildJvm app : List.of(a, b)) {
                        app.send("write " + TURN);
                        app.waitForLine("^wrote " + TURN * turn + "$", Scenario.TIMEOUT);
                    }
                }

                int[] gone = new int[2];
                Await.until("used_memory below the threshold " + threshold + " and each application's keys gone as many"
                                + " as its own agent says it removed", Scenario.TIMEOUT,
                        () -> {
                            gone[0] = keysA.gonePrefix(s.redis, 0, TOTAL);
                            gone[1] = keysB.gonePrefix(s.redis, 0, TOTAL);
                            return s.redis.usedMemory() < threshold && gone[0] == AgentLog.removed(a)
                                    && gone[1] == AgentLog.removed(b);
                        },
                        () -> "used_memory " + s.redis.usedMemory() + "; A: " + gone[0] + " gone, its agent removed "
                                + AgentLog.removed(a) + "; B: " + gone[1] + " gone, its agent removed "
                                + AgentLog.removed(b) + "; " + a.report() + "; " + b.report());
                assertTrue(gone[0] > 0 && gone[0] < TOTAL, () -> "A: " + gone[0] + " gone; " + a.report());
                assertTrue(gone[1] > 0 && gone[1] < TOTAL, () -> "B: " + gone[1] + " gone; " + b.report());
                for (ChildJvm app : List.of(a, b)) {
                    assertEquals(1, AgentLog.lines(app, AgentLog.TRACKING).size(), app::report);
                    assertEquals(AgentLog.removed(app), AgentLog.picked(app),
                            () -> "an agent picked keys that were gone already; " + app.report());
                }

                // The rates add up: both agents flush while the server is over the threshold, each its own batch,
                // so that in one period as much as 2 x batch keys go.
                List<Instant> flushesA = flushTimes(a);
                List<Instant> flushesB = flushTimes(b);
                List<String> samePeriod = new ArrayList<>();
                for (Instant ta : flushesA) {
                    for (Instant tb : flushesB) {
                        if (Duration.between(ta, tb).abs().compareTo(PERIOD) < 0) {
                            samePeriod.add(ta + "/" + tb);
                        }
                    }
                }
                System.out.println("[SeveralJvmsIT] agent A: " + flushesA.size() + " flushes, " + AgentLog.removed(a)
                        + " removed at " + flushesA + "; agent B: " + flushesB.size() + " flushes, "
                        + AgentLog.removed(b) + " removed at " + flushesB + "; within one period of each other: "
                        + samePeriod);
                assertTrue(flushesA.size() >= 2 && flushesB.size() >= 2 && !samePeriod.isEmpty(),
                        () -> "expected both agents to flush, in the same period at least once: A at " + flushesA
                                + ", B at " + flushesB);

                s.foreign.assertUntouched(s.redis);
                Await.until("used_memory below the threshold " + threshold, Scenario.TIMEOUT,
                        () -> s.redis.usedMemory() < threshold, () -> "used_memory " + s.redis.usedMemory());
                Scenario.assertCleanExit(a);
                Scenario.assertCleanExit(b);
            }
        }
    }

    /** When each of the agent's flushes ended (the timestamp of its line, in the agent's own format). */
    private static List<Instant> flushTimes(ChildJvm app) {
        return AgentLog.lines(app, AgentLog.FLUSHED.pattern()).stream()
                .map(line -> Instant.parse(line.substring(0, line.indexOf(' '))))
                .collect(Collectors.toList());
    }
}
