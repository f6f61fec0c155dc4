package io.gcsflush.order;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gcsflush.redis.RespConnection;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RespConnection#keyspace()} against a real redis-server ({@link TestRedis}): what the journal's discovery and
 * the flusher's estimate of a key's memory read. */
class KeyspaceTest {
    @Test
    void theKeysOfEachDatabaseThatHoldsAny(@TempDir Path dir) throws Exception {
        try (TestRedis redis = TestRedis.start(dir); RespConnection c = redis.connect()) {
            assertEquals(Map.of(), c.keyspace());
            for (int i = 0; i < 3; i++) c.call(b("SET"), b("a" + i), b("v"));
            c.select(5);
            c.call(b("SET"), b("b"), b("v"), b("EX"), b("100"));
            assertEquals(Map.of(0, 3L, 5, 1L), c.keyspace());
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }
}
