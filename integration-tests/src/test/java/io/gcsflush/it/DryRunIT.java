package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.JedisWriterApp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@code dry-run=true}: the agent decides and logs its flushes as usual ("would remove"), and removes nothing. */
class DryRunIT {
    /** Dry-run flushes to wait for: each one would have removed keys, so several prove that none were. */
    private static final int FLUSHES = 3;

    @Test
    void logsTheFlushesItWouldDoAndRemovesNothing(TestInfo test) {
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(0))) {
            s.foreign.strings(0, "foreign", 300);
            s.writeForeignAndSetThreshold();
            try (ChildJvm app = s.writer(JedisWriterApp.class, "plain")
                    .agent(AgentJar.path(), s.agentArgs(Scenario.BATCH) + ",dry-run=true")
                    .start()) {
                app.waitForLine("^wrote " + s.keys.count + "$", Scenario.TIMEOUT);
                // Flushes that come after the last write, so that each saw every key tracked.
                int before = AgentLog.flushes(app).size();
                Await.until(FLUSHES + " dry-run flushes after the last write", Scenario.TIMEOUT,
                        () -> AgentLog.flushes(app).size() >= before + FLUSHES, app::report);

                List<AgentLog.Flush> flushes = AgentLog.flushes(app);
                for (AgentLog.Flush flush : flushes) {
                    assertTrue(flush.dryRun(), () -> "a flush that is not a dry run: " + flush + "; " + app.report());
                    assertEquals(Math.min(Scenario.BATCH, flush.trackedBefore()), flush.picked(), flush::toString);
                    assertEquals(flush.picked(), flush.acted(), flush::toString);
                    // The application may write more while a flush runs, but a dry run forgets nothing.
                    assertTrue(flush.left() >= flush.trackedBefore(), () -> "a dry run forgot keys: " + flush);
                }
                assertEquals(s.keys.count, flushes.get(flushes.size() - 1).trackedBefore(),
                        () -> "the last dry run did not see every key tracked; " + app.report());
                assertTrue(s.keys.allPresent(s.redis), () -> "keys gone: "
                        + ChildKeys.describe(s.keys.goneRanges(s.redis, 0, s.keys.count)) + "; " + app.report());
                s.foreign.assertUntouched(s.redis);
                assertTrue(s.redis.usedMemory() >= s.threshold(), "used_memory stays over the threshold");
                Scenario.assertCleanExit(app);
            }
        }
    }
}
