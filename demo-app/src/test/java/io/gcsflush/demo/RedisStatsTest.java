package io.gcsflush.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RedisStatsTest {
    @Test
    void readsUsedMemoryFromInfo() {
        String info = "# Memory\r\nused_memory:874120\r\nused_memory_human:853.63K\r\nused_memory_rss:9000000\r\n";
        assertEquals(874120, RedisStats.usedMemory(info));
        assertThrows(IllegalStateException.class, () -> RedisStats.usedMemory("# Memory\r\n"));
    }
}
