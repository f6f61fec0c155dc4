package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gcsflush.it.apps.ConditionalKeys;
import io.gcsflush.it.apps.JedisWriterApp;
import io.gcsflush.it.apps.LettuceWriterApp;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writes that did not happen do not make a key the application's. The test writes keys of its own; the application
 * tries conditional writes on them that the server refuses (SET NX, SETNX, MSETNX, HSETNX, RENAMENX onto them) and
 * SETs them inside transactions it discards, then writes keys of its own (see {@link ConditionalKeys}). With a
 * threshold of 1 byte the agent flushes every key it tracks: all of the application's keys go, and every one of the
 * test's stays. The agent's log must account for exactly the application's keys: a key it tracked by mistake would
 * be removed (if it is the test's) or picked and found missing (MSETNX's key that was never created).
 */
class ConditionalWritesIT {
    /** Indices of {@link ConditionalKeys}: each has 4 keys of the test's, 6 refused writes and 2 keys of the app's. */
    private static final int TARGETS = 50;
    private static final String FOREIGN = "foreign";

    static Stream<Arguments> clients() {
        return Stream.of(Arguments.of("Jedis", JedisWriterApp.class, "plain"),
                Arguments.of("Lettuce", LettuceWriterApp.class, "sync"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void refusedWritesAndDiscardedTransactionsNeverMakeAKeyTheApplications(String client, Class<?> app, String mode,
                                                                            TestInfo test) {
        try (Scenario s = Scenario.start(test, new ChildKeys(0, "app", 2_000, 100))) {
            s.foreign.conditionalTargets(0, FOREIGN, TARGETS).write(s.redis);
            int own = s.keys.count + ConditionalKeys.OWN_PER_INDEX * TARGETS;
            try (ChildJvm child = ChildJvm.builder(test)
                    .agent("threshold=1,period=" + Scenario.PERIOD + ",batch=100000,uncovered=flush")
                    .mainClass(app)
                    .args(s.keys.args(s.redis, mode))
                    .args("--conditional", FOREIGN + ":" + TARGETS)
                    .openStdin()
                    .start()) {
                // The premise: the server refused every one of those writes.
                assertEquals("conditional: " + ConditionalKeys.REFUSED_PER_INDEX * TARGETS + " writes on existing"
                                + " keys, 0 took effect; " + ConditionalKeys.OWN_PER_INDEX * TARGETS + " keys of its own",
                        child.waitForLine("^conditional: ", Scenario.TIMEOUT));
                child.waitForLine("^wrote " + s.keys.count + "$", Scenario.TIMEOUT);

                Await.until("the agent removed the " + own + " keys the application wrote and tracks none",
                        Scenario.TIMEOUT, () -> AgentLog.removed(child) >= own && lastLeft(child) == 0,
                        () -> "removed " + AgentLog.removed(child) + ", flushes " + AgentLog.flushes(child) + "; "
                                + child.report());
                assertEquals(own, AgentLog.removed(child), () -> "keys removed; " + child.report());
                assertEquals(own, AgentLog.picked(child), () -> "keys tracked and let go; " + child.report());
                assertEquals(s.foreign.size(), s.redis.dbSizeWithoutJournal(), "keys left: the test's own only");
                s.foreign.assertUntouched(s.redis);
                Scenario.assertCleanExit(child);
            }
        }
    }

    private static long lastLeft(ChildJvm app) {
        List<AgentLog.Flush> flushes = AgentLog.flushes(app);
        return flushes.isEmpty() ? -1 : flushes.get(flushes.size() - 1).left();
    }
}
