package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * An application on a Redis client the agent does not follow at all, the Vert.x Redis client (its version from
 * {@link ClientApps#VERTX_VERSION}), runs as it would without the agent: every key written stays, though used_memory
 * is over the threshold, and the agent says once, naming the client and its version, that its commands are not
 * tracked, and nothing else but its start. (Versions of followed clients outside the agent's ranges are in
 * {@link ClientVersionsIT}.)
 */
class UnsupportedClientIT {
    /** Seven of the agent's periods: a tracked client's oldest keys would be gone by then. */
    private static final long UNTOUCHED_MILLIS = 1_500;

    @Test
    void theVertxRedisClientRunsAsWithoutTheAgentWhichSaysSoOnce(TestInfo test) throws InterruptedException {
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(0))) {
            s.foreign.strings(0, "foreign", 300);
            long threshold = s.writeForeignAndSetThreshold();
            try (ChildJvm app = s.writer(ClientApps.VERTX_MAIN, ClientApps.vertx(), "set").start()) {
                app.waitForLine("^client vertx-redis-client " + Pattern.quote(ClientApps.VERTX_VERSION) + " from ",
                        Scenario.TIMEOUT);
                app.waitForLine("^wrote " + s.keys.count + "$", Scenario.TIMEOUT);
                assertTrue(s.redis.usedMemory() >= threshold, () -> "used_memory " + s.redis.usedMemory()
                        + " is not over the threshold " + threshold + ": the test proves nothing");
                Thread.sleep(UNTOUCHED_MILLIS);
                assertTrue(s.keys.allPresent(s.redis), () -> "keys gone: "
                        + ChildKeys.describe(s.keys.goneRanges(s.redis, 0, s.keys.count)) + "; " + app.report());
                s.foreign.assertUntouched(s.redis);
                assertEquals(List.of(), AgentLog.flushes(app), app::report);
                Scenario.assertCleanExit(app);

                String notFollowed = AgentLog.line("INFO") + "The Vert\\.x Redis client "
                        + Pattern.quote(ClientApps.VERTX_VERSION)
                        + " is not a client this agent supports; its commands are not tracked$";
                assertEquals(1, AgentLog.lines(app, notFollowed).size(), app::report);
                List<String> others = AgentLog.lines(app, AgentLog.ANY).stream()
                        .filter(l -> !Pattern.compile(notFollowed).matcher(l).find())
                        .filter(l -> !Pattern.compile(AgentLog.STARTED).matcher(l).find())
                        .collect(Collectors.toList());
                assertEquals(List.of(), others, () -> "the agent's other lines; " + app.report());
            }
        }
    }
}
