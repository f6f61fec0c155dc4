package io.gcsflush.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.bootstrap.Bridge;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBufferTest {

    @Test
    void aFullBufferIsDrainedByItsProducersInOrder() {
        EventBuffer buffer = new EventBuffer(64);
        List<Object> seen = new ArrayList<>();
        buffer.helper(() -> {
            buffer.drain(seen::add, 16);
            return true;
        });
        for (int i = 0; i < 1000; i++) buffer.record(Bridge.JEDIS | Bridge.SENT, "connection", i);
        buffer.drain(seen::add, Integer.MAX_VALUE);
        assertEquals(1000, seen.size());
        for (int i = 0; i < 1000; i++) assertEquals(i, ((Event) seen.get(i)).payload);
        assertEquals(0, buffer.dropped());
        assertTrue(buffer.fullTimes() > 0);
    }

    @Test
    void anEventIsDroppedOnlyAfterTheBoundOnHelping() {
        EventBuffer buffer = new EventBuffer(64);
        buffer.helper(() -> false); // the agent's lock is never free, and nobody drains
        for (int i = 0; i < 64; i++) buffer.record(Bridge.JEDIS | Bridge.SENT, "connection", i);
        long start = System.nanoTime();
        buffer.record(Bridge.JEDIS | Bridge.SENT, "connection", 64);
        long took = System.nanoTime() - start;
        assertEquals(1, buffer.dropped());
        assertTrue(took >= EventBuffer.MAX_HELP_NANOS, took + " ns");
        assertTrue(buffer.helpNanos() >= EventBuffer.MAX_HELP_NANOS);
    }

    @Test
    void withoutAHelperAFullBufferDropsAtOnce() {
        EventBuffer buffer = new EventBuffer(64);
        for (int i = 0; i < 65; i++) buffer.record(Bridge.JEDIS | Bridge.SENT, "connection", i);
        assertEquals(1, buffer.dropped());
        assertEquals(0, buffer.fullTimes());
    }
}
