package io.gcsflush.it;

import io.gcsflush.it.apps.JedisWriterApp;
import java.util.Locale;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An application writing through Jedis, in each of the ways Jedis sends commands, goes over the threshold: the agent
 * removes exactly its oldest keys until used_memory is below the threshold, and nothing of the test's own, not even
 * keys of the same names in another database.
 */
class JedisFlushIT {

    @ParameterizedTest(name = "{0}")
    @EnumSource(JedisWriterApp.Mode.class)
    void removesExactlyTheOldestKeysOfTheApplication(JedisWriterApp.Mode mode, TestInfo test) {
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(0))) {
            s.foreign.strings(0, "foreign", 300).sameNamesAs(s.keys, 1, 500);
            s.writeForeignAndSetThreshold();
            try (ChildJvm app = s.writer(JedisWriterApp.class, mode.name().toLowerCase(Locale.ROOT)).start()) {
                s.assertOldestFlushed(app);
            }
        }
    }
}
