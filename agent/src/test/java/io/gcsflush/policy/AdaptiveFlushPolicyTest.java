package io.gcsflush.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AdaptiveFlushPolicyTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1000 * MS;
    private static final long MB = 1_000_000L;
    /** 100 MB, low water 95 MB, period 1 s (looks every 5 ms to 100 ms), at most 10,000 keys a flush. */
    private final AdaptiveFlushPolicy settings = new AdaptiveFlushPolicy(100 * MB, 0.95, SECOND, 10_000);
    private final AdaptiveFlushPolicy server = (AdaptiveFlushPolicy) settings.forServer();

    @Nested
    class Settings {
        @Test
        void lowWaterIsAShareOfTheThreshold() {
            assertEquals(95 * MB, settings.lowWaterBytes());
            assertEquals(1L << 31, new AdaptiveFlushPolicy(1L << 31, 1.0, SECOND, 1).lowWaterBytes());
            assertEquals(2040109465L, new AdaptiveFlushPolicy(1L << 31, 0.95, SECOND, 1).lowWaterBytes(),
                    "rounded down");
        }

        @Test
        void looksEvery5MsAtMostAndATenthOfThePeriodAtLeast() {
            assertEquals(5 * MS, settings.checkIntervalNanos());
            assertEquals(2 * MS, new AdaptiveFlushPolicy(1, 0.95, 2 * MS, 1).checkIntervalNanos(),
                    "not beyond the period");
            assertEquals(10_000, settings.entriesToFlush(), "the bound");
            assertEquals(SECOND, settings.periodNanos());
            assertEquals(5 * MS, settings.spacingNanos(), "flushes a look apart, not a period");
        }

        @Test
        void eachServerHasItsOwnState() {
            AdaptiveFlushPolicy other = (AdaptiveFlushPolicy) settings.forServer();
            assertNotSame(server, other);
            assertTrue(server.shouldFlush(110 * MB, 0, Long.MIN_VALUE));
            assertEquals(10_000, server.entriesToFlush(110 * MB, 1_000_000));
            server.flushed(110 * MB, 108 * MB, 10_000, 0, MS);
            assertTrue(server.behind());
            assertEquals(200, server.bytesPerKey(), 1e-9);
            assertFalse(other.behind());
            assertEquals(0, other.bytesPerKey());
            assertTrue(other.due(0, Long.MIN_VALUE), "never looked at");
            assertFalse(server.due(0, Long.MIN_VALUE));
        }

        @Test
        void describesItself() {
            assertEquals("adaptive: when used_memory >= 95.4 MiB, flush the oldest keys down to 90.6 MiB (95% of it), "
                    + "at most 10000 a flush; memory read every 5ms to 100ms", settings.describe());
        }

        @Test
        void rejectsNonsense() {
            assertThrows(IllegalArgumentException.class, () -> new AdaptiveFlushPolicy(0, 0.95, SECOND, 1));
            assertThrows(IllegalArgumentException.class, () -> new AdaptiveFlushPolicy(1, 0, SECOND, 1));
            assertThrows(IllegalArgumentException.class, () -> new AdaptiveFlushPolicy(1, 1.01, SECOND, 1));
            assertThrows(IllegalArgumentException.class, () -> new AdaptiveFlushPolicy(1, Double.NaN, SECOND, 1));
            assertThrows(IllegalArgumentException.class, () -> new AdaptiveFlushPolicy(1, 0.95, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> new AdaptiveFlushPolicy(1, 0.95, SECOND, 0));
        }
    }

    @Nested
    class Threshold {
        @Test
        void removesAtOrOverTheThresholdOnly() {
            assertFalse(server.shouldFlush(100 * MB - 1, 0, Long.MIN_VALUE));
            assertTrue(server.shouldFlush(100 * MB, 10 * MS, Long.MIN_VALUE), "at least: equal counts");
        }

        @Test
        void betweenTheMarksAfterAFlushThatDidAllItWasAsked_waitsForTheThresholdAgain() {
            assertTrue(server.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            assertEquals(2_500, server.entriesToFlush(100 * MB, 50_000)); // 2,000 B a key
            server.flushed(100 * MB, 96 * MB, 2_500, 0, MS); // what it freed was less than thought
            assertFalse(server.behind());
            assertFalse(server.shouldFlush(97 * MB, 20 * MS, 0));
            assertTrue(server.shouldFlush(100 * MB, 40 * MS, 0));
        }

        @Test
        void aFlushCutShortByTheBoundIsFollowedByAnotherUntilUnderTheMark() {
            assertTrue(server.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            assertEquals(10_000, server.entriesToFlush(100 * MB, 1_000_000)); // 50,000 wanted
            server.flushed(100 * MB, 98 * MB, 10_000, 0, MS);
            assertTrue(server.behind());
            assertTrue(server.shouldFlush(97 * MB, 2 * MS, 0), "under the threshold, behind");
            assertFalse(server.shouldFlush(95 * MB, 4 * MS, 0), "at the mark: no longer behind");
            assertFalse(server.behind());
            assertFalse(server.shouldFlush(96 * MB, 6 * MS, 0));
        }

        @Test
        void stillAtTheThresholdAfterAFlushIsBehind() {
            assertTrue(server.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            assertEquals(2_500, server.entriesToFlush(100 * MB, 50_000));
            server.flushed(100 * MB, 100 * MB, 2_500, 0, MS); // the writer filled what the flush freed
            assertTrue(server.behind());
        }
    }

    @Nested
    class Estimate {
        @Test
        void firstEstimateIsUsedMemoryOverTheKeysTracked() {
            assertTrue(server.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            // 100 bytes a key: 5 MB over the mark is 50,000 keys, bounded to 10,000.
            assertEquals(10_000, server.entriesToFlush(100 * MB, 1_000_000));
            // 10,000 bytes a key: 500 keys.
            assertEquals(500, server.entriesToFlush(100 * MB, 10_000));
        }

        @Test
        void learntFromWhatAFlushFreedPerKeyRemoved() {
            assertTrue(server.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            server.flushed(100 * MB, 98 * MB, 10_000, 0, 5 * MS); // 200 B a key; no growth seen yet
            assertEquals(200, server.bytesPerKey(), 1e-9);
            // 98 MB is 3 MB over the mark: 15,000 keys of 200 B, bounded.
            assertEquals(10_000, server.entriesToFlush(98 * MB, 100_000));
            assertEquals(5_000, server.entriesToFlush(96 * MB, 100_000), "1 MB over: 5,000 keys of 200 B");
        }

        @Test
        void neverMoreThanUsedMemoryOverTheKeysTracked() {
            // A flush that freed 2 MB while the server also freed memory of its own: 1,000 B a key measured.
            assertTrue(server.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            server.flushed(100 * MB, 90 * MB, 10_000, 0, 5 * MS);
            assertEquals(1_000, server.bytesPerKey(), 1e-9);
            // But 400,000 keys in 100 MB are 250 B each at most: 5 MB over the mark is 20,000 keys, not 5,000.
            assertEquals(10_000, server.entriesToFlush(100 * MB, 400_000));
            assertEquals(1_000, server.entriesToFlush(96 * MB, 96_000), "1 MB over, 1,000 B a key: the measure");
        }

        @Test
        void smoothedOverFlushes() {
            assertTrue(server.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            assertEquals(10_000, server.entriesToFlush(100 * MB, 1_000_000)); // cut short: behind
            server.flushed(100 * MB, 98 * MB, 10_000, 0, 5 * MS); // 200 B
            assertTrue(server.shouldFlush(98 * MB, 15 * MS, 0));
            server.flushed(98 * MB, 94 * MB, 10_000, 15 * MS, 20 * MS); // 400 B
            assertEquals(200 + 0.25 * (400 - 200), server.bytesPerKey(), 1e-9);
        }

        @Test
        void countsWhatTheServerGrewByDuringTheFlush() {
            // Two looks 10 ms apart, 1 MB apart: 100 MB/s.
            assertFalse(server.shouldFlush(99 * MB, 0, Long.MIN_VALUE));
            assertTrue(server.shouldFlush(100 * MB, 10 * MS, Long.MIN_VALUE));
            assertEquals(100 * MB, server.growthRate(), 1e-3);
            // The flush took 10 ms: 1 MB was written meanwhile, so 10,000 keys freed 2 MB + 1 MB, not 2 MB.
            server.flushed(100 * MB, 98 * MB, 10_000, 10 * MS, 20 * MS);
            assertEquals(300, server.bytesPerKey(), 1e-6);
        }

        @Test
        void aFlushThatFreedNothingTeachesNothing() {
            assertTrue(server.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            server.flushed(100 * MB, 100 * MB + 1, 10_000, 0, 5 * MS);
            assertEquals(0, server.bytesPerKey());
            server.flushed(100 * MB, 99 * MB, 0, 0, 5 * MS);
            assertEquals(0, server.bytesPerKey(), "no key removed");
            assertEquals(500, server.entriesToFlush(100 * MB, 10_000), "still the first estimate");
        }
    }

    @Nested
    class Bounds {
        @Test
        void atMostMaxBatchAndAtLeastOne() {
            assertTrue(server.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            server.flushed(100 * MB, 99 * MB, 1_000, 0, MS); // 1,000 B a key
            assertEquals(10_000, server.entriesToFlush(1_000 * MB, 1_000_000));
            assertEquals(1, server.entriesToFlush(95 * MB + 1, 1_000_000), "1 byte over the mark: a key");
            assertEquals(0, server.entriesToFlush(95 * MB - 1, 1_000_000), "under the mark: none");
        }

        @Test
        void aLowWaterMarkOf100PercentStillRemovesAKeyAtTheThreshold() {
            AdaptiveFlushPolicy s = (AdaptiveFlushPolicy) new AdaptiveFlushPolicy(100 * MB, 1.0, SECOND, 100)
                    .forServer();
            assertTrue(s.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            assertEquals(1, s.entriesToFlush(100 * MB, 1_000));
        }

        @Test
        void withoutAnyEstimateTheBound() {
            assertTrue(server.shouldFlush(100 * MB, 0, Long.MIN_VALUE));
            assertEquals(10_000, server.entriesToFlush(100 * MB, 0));
        }
    }

    @Nested
    class Behind {
        @Test
        void behind_looksAgainAtTheFlushersNextRound() {
            assertTrue(server.shouldFlush(110 * MB, 0, Long.MIN_VALUE));
            assertEquals(10_000, server.entriesToFlush(110 * MB, 1_000_000));
            server.flushed(110 * MB, 105 * MB, 10_000, 0, 7 * MS);
            assertTrue(server.behind());
            assertEquals(7 * MS, server.nextLookNanos());
            assertFalse(server.due(7 * MS - 1, 0));
            assertTrue(server.due(7 * MS, 0));
        }

        @Test
        void underTheMarkAfterAFlush_notBehind() {
            assertFalse(server.shouldFlush(90 * MB, 0, Long.MIN_VALUE));
            assertTrue(server.shouldFlush(100 * MB, 100 * MS, Long.MIN_VALUE)); // 100 MB/s
            server.flushed(100 * MB, 94 * MB, 10_000, 100 * MS, 110 * MS);
            assertFalse(server.behind());
            // 6 MB of room at 100 MB/s: half of it in 30 ms.
            assertEquals(140 * MS, server.nextLookNanos());
            assertFalse(server.shouldFlush(99 * MB, 140 * MS, 0), "under the threshold, not behind");
        }

        @Test
        void aFlushThatRemovedNothingIsRetriedOnlyATenthOfAPeriodLater() {
            // No key left, a refusing server, a dry run: looking every 5 ms would only read INFO for nothing.
            assertTrue(server.shouldFlush(110 * MB, 0, Long.MIN_VALUE));
            assertEquals(100 * MS, server.nextLookNanos(), "until the flush says otherwise");
            assertEquals(10_000, server.entriesToFlush(110 * MB, 1_000_000));
            server.flushed(110 * MB, 110 * MB, 0, MS, 2 * MS);
            assertEquals(100 * MS, server.nextLookNanos());
            assertTrue(server.behind());
            assertFalse(server.due(99 * MS, 0));
            assertTrue(server.due(100 * MS, 0));
        }
    }

    @Nested
    class WhenToLook {
        @Test
        void firstLookAtOnceAndTheSecondSoonToLearnTheRate() {
            assertTrue(server.due(12345, Long.MIN_VALUE));
            assertFalse(server.shouldFlush(10 * MB, 0, Long.MIN_VALUE));
            assertEquals(5 * MS, server.nextLookNanos());
        }

        @Test
        void halfTheRoomLeftAtTheRateSeen() {
            assertFalse(server.shouldFlush(10 * MB, 0, Long.MIN_VALUE));
            assertFalse(server.shouldFlush(11 * MB, 10 * MS, Long.MIN_VALUE)); // 100 MB/s, 89 MB of room
            assertEquals(10 * MS + 100 * MS, server.nextLookNanos(), "445 ms, bounded to a tenth of the period");
            AdaptiveFlushPolicy other = (AdaptiveFlushPolicy) settings.forServer();
            other.shouldFlush(10 * MB, 0, Long.MIN_VALUE);
            other.shouldFlush(11 * MB, 10 * MS, Long.MIN_VALUE);
            assertFalse(server.shouldFlush(91 * MB, 110 * MS, Long.MIN_VALUE)); // 800 MB/s, 9 MB of room
            assertEquals(110 * MS + 5_625_000, server.nextLookNanos(), "5.6 ms");
            assertFalse(other.shouldFlush(95 * MB, 110 * MS, Long.MIN_VALUE)); // 840 MB/s, 5 MB of room
            assertEquals(110 * MS + 5 * MS, other.nextLookNanos(), "3 ms, at least 5 ms");
        }

        @Test
        void anIdleServerOnceATenthOfAPeriod() {
            assertFalse(server.shouldFlush(10 * MB, 0, Long.MIN_VALUE));
            assertFalse(server.shouldFlush(10 * MB, 10 * MS, Long.MIN_VALUE));
            assertEquals(110 * MS, server.nextLookNanos());
            assertFalse(server.shouldFlush(9 * MB, 110 * MS, Long.MIN_VALUE), "shrinking counts as idle");
            assertEquals(210 * MS, server.nextLookNanos());
        }

        @Test
        void aBurstCountsAtOnceNotSmoothedAway() {
            assertFalse(server.shouldFlush(10 * MB, 0, Long.MIN_VALUE));
            for (long t = 100 * MS; t <= 1000 * MS; t += 100 * MS) server.shouldFlush(10 * MB, t, Long.MIN_VALUE);
            assertFalse(server.shouldFlush(60 * MB, 1100 * MS, Long.MIN_VALUE)); // 500 MB/s now; 40 MB of room
            assertEquals(1100 * MS + 40 * MS, server.nextLookNanos());
        }

        @Test
        void worksAcrossNanoTimeOverflow() {
            long t = Long.MAX_VALUE - 5 * MS;
            assertFalse(server.shouldFlush(10 * MB, t, Long.MIN_VALUE));
            assertFalse(server.due(t + 5 * MS - 1, Long.MIN_VALUE));
            assertTrue(server.due(t + 5 * MS, Long.MIN_VALUE));
        }
    }

    /**
     * A policy against a simulated server: a writer adds keys of {@code keyBytes} at a steady rate; a flush of n keys
     * takes {@code nanosPerKey} each and a millisecond more, during which the writer goes on. The flusher's loop is
     * {@code Flusher.run}'s: rounds every check interval, the next one scheduled before the round runs, and run at
     * once when a round took longer than the interval. Returns the peak used_memory.
     *
     * @param policy one server's policy ({@link FlushPolicy#forServer()})
     */
    static long simulate(FlushPolicy policy, long writeBytesPerSecond, long keyBytes, long nanosPerKey, long seconds) {
        long interval = policy.checkIntervalNanos();
        double rate = writeBytesPerSecond / 1e9;
        double used = 1 * MB; // the server's own
        long peak = 0;
        long clock = 0;
        long next = 0;
        long lastFlush = Long.MIN_VALUE;
        while (clock < seconds * SECOND) {
            if (next > clock) {
                used += rate * (next - clock);
                clock = next;
            }
            peak = Math.max(peak, (long) used);
            long tick = next;
            next = Math.max(next + interval, clock);
            if (!policy.due(tick, lastFlush)) continue;
            long before = (long) used;
            if (!policy.shouldFlush(before, tick, lastFlush)) continue;
            lastFlush = tick;
            long keys = (long) ((used - MB) / keyBytes);
            int n = (int) Math.min(keys, policy.entriesToFlush(before, keys));
            long start = clock;
            long took = n * nanosPerKey + MS;
            used += rate * took;
            peak = Math.max(peak, (long) used);
            used -= (double) n * keyBytes;
            clock += took;
            policy.flushed(before, (long) used, n, start, clock);
        }
        return peak;
    }

    @Nested
    class HoldsTheThreshold {
        @Test
        void aWriterFasterThanBatchOverPeriodPassesRaysThresholdButNotThisOne() {
            // 400,000 keys of 200 B a second: 80 MB/s. Ray's 10,000 keys a second remove 2 MB/s of it.
            long ray = simulate(new SimpleFlushPolicy(100 * MB, SECOND, 10_000), 80 * MB, 200, 1_000, 10);
            long adaptive = simulate(settings.forServer(), 80 * MB, 200, 1_000, 10);
            assertTrue(ray > 500 * MB, "Ray's: " + ray);
            assertTrue(adaptive <= 105 * MB, "adaptive: " + adaptive);
        }

        @Test
        void learnsTheSizeOfAKeyWhileTheWriterGoesOn() {
            long peak = simulate(server, 40 * MB, 200, 1_000, 5);
            assertTrue(peak <= 105 * MB, "peak " + peak);
            assertEquals(200, server.bytesPerKey(), 20, "within 10% of the key size");
        }

        @Test
        void aSlowWriterIsFlushedLittleAndOften() {
            long peak = simulate(server, 1 * MB, 200, 1_000, 200);
            assertTrue(peak <= 101 * MB, "peak " + peak);
        }

        @Test
        void aWriterFasterThanTheBoundAllowsIsNotHeld() {
            // 10,000 keys a flush of 11 ms, then 5 ms or more: under 625,000 keys a second. The bound is a bound.
            long peak = simulate(settings.forServer(), 200 * MB, 200, 1_000, 5);
            assertTrue(peak > 150 * MB, "peak " + peak);
        }
    }
}
