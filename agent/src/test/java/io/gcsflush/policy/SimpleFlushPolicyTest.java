package io.gcsflush.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimpleFlushPolicyTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final SimpleFlushPolicy policy = new SimpleFlushPolicy(1L << 31, 10 * SECOND, 10_000);

    @Test
    void raysDefaults() {
        assertEquals(10_000, policy.entriesToFlush());
        assertEquals(10 * SECOND, policy.periodNanos());
        assertEquals(1L << 31, policy.thresholdBytes());
        assertEquals(10 * SECOND, policy.spacingNanos(), "no two flushes of a server within a period, by anyone");
        assertSame(policy, policy.forServer(), "nothing kept per server");
        assertEquals(10_000, policy.entriesToFlush(3L << 30, 1_000_000), "the batch, whatever the memory");
    }

    @Test
    void flushesOnlyAtOrAboveTheThreshold() {
        assertFalse(policy.shouldFlush((1L << 31) - 1, 0, Long.MIN_VALUE));
        assertTrue(policy.shouldFlush(1L << 31, 0, Long.MIN_VALUE), "at least: equal counts");
        assertTrue(policy.shouldFlush(5L << 30, 0, Long.MIN_VALUE));
    }

    @Test
    void atMostOncePerPeriod() {
        long last = 100 * SECOND;
        assertFalse(policy.shouldFlush(3L << 30, last + 9 * SECOND, last));
        assertTrue(policy.shouldFlush(3L << 30, last + 10 * SECOND, last));
        assertFalse(policy.shouldFlush(1L << 20, last + 60 * SECOND, last), "due, but under the threshold");
    }

    @Test
    void dueAPeriodAfterTheLastFlushAndAlwaysBeforeTheFirst() {
        long last = 100 * SECOND;
        assertTrue(policy.due(0, Long.MIN_VALUE));
        assertFalse(policy.due(last + 10 * SECOND - 1, last));
        assertTrue(policy.due(last + 10 * SECOND, last));
    }

    @Test
    void looksAtEachServerTenTimesAPeriod() {
        assertEquals(SECOND, policy.checkIntervalNanos(), "Ray's 10 s period");
        assertEquals(SECOND / 10, new SimpleFlushPolicy(1, SECOND, 1).checkIntervalNanos());
        assertEquals(10_000_000L, new SimpleFlushPolicy(1, SECOND / 20, 1).checkIntervalNanos(), "at least 10 ms");
        assertEquals(5_000_000L, new SimpleFlushPolicy(1, 5_000_000L, 1).checkIntervalNanos(), "at most the period");
    }

    @Test
    void worksAcrossNanoTimeOverflow() {
        long last = Long.MAX_VALUE - SECOND;
        assertTrue(policy.shouldFlush(3L << 30, last + 10 * SECOND, last));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new SimpleFlushPolicy(0, SECOND, 1));
        assertThrows(IllegalArgumentException.class, () -> new SimpleFlushPolicy(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SimpleFlushPolicy(1, SECOND, 0));
    }
}
