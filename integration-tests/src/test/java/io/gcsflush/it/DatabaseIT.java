package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gcsflush.it.apps.JedisWriterApp;
import io.gcsflush.it.apps.LettuceWriterApp;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The application writes to database 3 (Jedis: SELECT 3; Lettuce: {@code redis://host:port/3}), and every one of
 * its key names also exists in database 0, written by the test: the flush removes the oldest keys from database 3
 * only, and every copy in database 0 stays as it was.
 */
class DatabaseIT {
    private static final int APP_DB = 3;
    private static final int OTHER_DB = 0;

    static Stream<Arguments> clients() {
        return Stream.of(
                Arguments.of("Jedis, SELECT", JedisWriterApp.class, "plain"),
                Arguments.of("Lettuce, database in the URI", LettuceWriterApp.class, "sync"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void flushRemovesKeysFromTheApplicationsDatabaseOnly(String description, Class<?> app, String mode,
                                                         TestInfo test) {
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(APP_DB))) {
            s.foreign.sameNamesAs(s.keys, OTHER_DB, s.keys.count);
            s.writeForeignAndSetThreshold();
            try (ChildJvm child = s.writer(app, mode).start()) {
                // Checks that the oldest keys are gone from database APP_DB, and that every copy in OTHER_DB stays.
                s.assertOldestFlushed(child);
                assertEquals(s.keys.count, s.redis.dbSize(OTHER_DB), "keys in database " + OTHER_DB);
            }
        }
    }
}
