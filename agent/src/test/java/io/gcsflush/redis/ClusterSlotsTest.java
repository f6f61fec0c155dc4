package io.gcsflush.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Slots as Redis computes them: every expected value was read from CLUSTER KEYSLOT of a Redis 7.0 server. */
class ClusterSlotsTest {
    private static int slot(String key) {
        return ClusterSlots.slot(key.getBytes(UTF_8));
    }

    @Test
    void matchesRedis() {
        assertEquals(12182, slot("foo"));
        assertEquals(5061, slot("bar"));
        assertEquals(11058, slot("somekey"));
        assertEquals(12739, slot("123456789"));
        assertEquals(0, slot(""));
    }

    @Test
    void hashTags() {
        assertEquals(3443, slot("{user1000}.following"));
        assertEquals(slot("user1000"), slot("{user1000}.followers"));
        assertEquals(8363, slot("foo{}{bar}"), "an empty tag: the whole key");
        assertEquals(4015, slot("{bar"), "an unclosed tag: the whole key");
        assertEquals(5061, slot("foo{bar}{zap}"), "only the first tag");
    }
}
