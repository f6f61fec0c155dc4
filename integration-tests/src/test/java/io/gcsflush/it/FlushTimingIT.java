package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.JedisWriterApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import redis.clients.jedis.Jedis;

/**
 * The flusher looks at each server ten times a period: a server that is due (never flushed, or flushed a period ago)
 * and passes the threshold between two looks is flushed at the next look, not a whole period later. With a 10 s
 * period, looking once a period would first flush this server 10 s after the agent started, long after the test
 * pushed it over the threshold.
 */
class FlushTimingIT {
    private static final Duration PERIOD = Duration.ofSeconds(10);
    /** A tenth of the period, plus room for a slow machine: well under the rest of the period. */
    private static final Duration PROMPT = Duration.ofSeconds(4);

    @Test
    void aDueServerIsFlushedWithinATenthOfThePeriodOfPassingTheThreshold(TestInfo test) {
        // About 1.1 MiB of the application's keys, under the threshold (2 MiB above the memory used before).
        try (Scenario s = Scenario.start(test, new ChildKeys(0, "app", 1_000, Scenario.VALUE_SIZE))) {
            long threshold = s.writeForeignAndSetThreshold();
            try (ChildJvm app = ChildJvm.builder(test)
                    .agent("threshold=" + threshold + ",period=" + PERIOD.toSeconds() + "s,batch=100")
                    .mainClass(JedisWriterApp.class)
                    .args(s.keys.args(s.redis, "plain"))
                    .openStdin()
                    .start()) {
                app.waitForLine("^wrote " + s.keys.count + "$", Scenario.TIMEOUT);
                assertTrue(s.redis.usedMemory() < threshold, "the application alone must stay under the threshold");
                try (Jedis jedis = s.redis.jedis()) {
                    // The test's own 1.3 MiB: over the threshold with the application's keys, not alone (then
                    // removing the application's keys could not help, and the agent would leave them: uncovered).
                    jedis.setrange("ballast", 13 * Scenario.MIB / 10, "x");
                }
                long pushed = System.nanoTime();
                app.waitForLine(AgentLog.FLUSHED.pattern(), Scenario.TIMEOUT);
                Duration took = Duration.ofNanos(System.nanoTime() - pushed);
                assertTrue(took.compareTo(PROMPT) < 0, () -> "flushed " + took.toMillis() + " ms after the server passed"
                        + " the threshold, not within " + PROMPT.toMillis() + " ms; " + app.report());
                Scenario.assertCleanExit(app);
            }
        }
    }
}
