package io.gcsflush.it;

import io.gcsflush.it.apps.LettuceWriterApp;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An application writing through Lettuce, in each of the ways Lettuce sends commands, goes over the threshold: the
 * agent removes exactly its oldest keys until used_memory is below the threshold, and nothing of the test's own, not
 * even keys of the same names in another database. The database comes from the URI
 * ({@code redis://host:port/3}), which Lettuce selects as it connects, or, in the {@code select} case, from
 * {@code select(3)} on a connection opened in database 0.
 */
class LettuceFlushIT {

    @ParameterizedTest(name = "{0}, database {1}")
    @CsvSource({"sync, 0", "async, 0", "multi, 0", "reactive, 0", "bytes, 0", "sync, 3", "select, 3"})
    void removesExactlyTheOldestKeysOfTheApplication(String mode, int db, TestInfo test) {
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(db))) {
            s.foreign.strings(db, "foreign", 300).sameNamesAs(s.keys, db == 0 ? 1 : 0, 500);
            s.writeForeignAndSetThreshold();
            try (ChildJvm app = s.writer(LettuceWriterApp.class, mode).start()) {
                s.assertOldestFlushed(app);
            }
        }
    }
}
