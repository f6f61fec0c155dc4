package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.ClientVersions.ClientVersion;
import io.gcsflush.it.ClientVersions.Family;
import java.util.List;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An application writing through Redisson's objects (the newest Redisson of the matrix), in each of the ways of
 * {@code RedissonWriterApp}, goes over the threshold: the agent removes exactly its oldest keys until used_memory is
 * below the threshold, and nothing of the test's own, not even keys of the same names in another database. The
 * database is Redisson's {@code database} setting, which Redisson selects on each connection as it opens it.
 *
 * <p>Every key the agent picked was there to remove: it tracked nothing the application did not leave in Redis. That
 * matters for Redisson's Lua scripts, whose declared keys are not all written: a lock's key is gone once it is
 * unlocked, its pub/sub channel and its unlock latch (a key that expires) are never keys of the application's data.
 */
class RedissonFlushIT {
    static final ClientVersion VERSION = ClientVersions.newest(Family.REDISSON);

    @ParameterizedTest(name = "{0}, database {1}")
    @CsvSource({"bucket, 0", "tryset, 0", "map, 0", "fastput, 0", "list, 0", "batch, 0", "atomic, 0",
        "transaction, 0", "lock, 0", "bucket, 3", "atomic, 2"})
    void removesExactlyTheOldestKeysOfTheApplication(String mode, int db, TestInfo test) {
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(db))) {
            s.foreign.strings(db, "foreign", 300).sameNamesAs(s.keys, db == 0 ? 1 : 0, 500);
            s.writeForeignAndSetThreshold();
            try (ChildJvm app = s.writer(ClientApps.REDISSON_MAIN, ClientApps.redisson(VERSION), mode).start()) {
                s.assertOldestFlushed(app);
                List<AgentLog.Flush> flushes = AgentLog.flushes(app);
                assertFalse(flushes.isEmpty(), app::report);
                assertEquals(AgentLog.removed(app), AgentLog.picked(app), () -> "the agent picked keys that were not"
                        + " there: it tracked keys the application did not leave in Redis; " + app.report());
                long trackedBefore = flushes.get(0).trackedBefore();
                assertTrue(trackedBefore <= s.keys.count, () -> "the first flush found " + trackedBefore
                        + " keys tracked, more than the application's " + s.keys.count + "; " + app.report());
            }
        }
    }
}
