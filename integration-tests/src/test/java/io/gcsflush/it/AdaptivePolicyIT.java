package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.JedisWriterApp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import redis.clients.jedis.Jedis;

/**
 * An application that creates keys faster than Ray's {@code batch / period}: {@value #FILL} keys at once (about 80%
 * of the room under the threshold), then {@value #PACED} more at most {@value #RATE} a second, paced by the test,
 * some 2 MB/s against the {@value #RAY_BATCH} keys (about 0.25 MB) Ray's policy removes a second. With
 * {@code policy=adaptive} the server's peak {@code used_memory} stays within 5% of the threshold; with Ray's it
 * passes it, by about what the application writes beyond {@code batch / period} (README: "memory will pass the
 * threshold by the difference").
 *
 * <p>Margins for a busy machine: the 5% allowance above a 32 MiB room is 1.6 MiB, which the paced writer fills in
 * some 800 ms, so the agent's flusher may be kept off the CPU that long without the test failing; a slower writer
 * only makes the adaptive case easier. Ray's case writes some 12 MB more than the room, of which Ray's policy removes
 * 0.25 MB a second: at half the paced rate it still ends 20% over the threshold (the failure message gives the rate
 * the writer reached). The peak is Redis's own
 * {@code used_memory_peak}, which Redis updates at each INFO (the agent's own reads, taken when memory is highest,
 * before each flush) and each cron run, not only at the test's samples.
 */
class AdaptivePolicyIT {
    private static final long MIB = 1L << 20;
    /** The threshold is this far above the memory the server uses before the application starts. */
    private static final long ROOM = 32 * MIB;
    /** Redis spends about 500 bytes on a key {@code app:000000} with a 400-byte value. */
    private static final int VALUE_SIZE = 400;
    private static final int FILL = 50_000;
    private static final int PACED = 40_000;
    private static final int RATE = 4_000;
    /** Keys per paced write: ten a second. */
    private static final int STEP = RATE / 10;
    private static final int RAY_BATCH = 500;
    private static final String PERIOD = "1s";

    @Test
    void adaptiveHoldsTheServerWithinFivePercentOfTheThreshold(TestInfo test) {
        // Ray's batch too, which the adaptive policy does not use: the two runs differ in the policy alone.
        Run run = run(test, "batch=" + RAY_BATCH + ",policy=adaptive", true);
        assertTrue(run.peak <= run.threshold * 1.05, () -> "peak used_memory " + run.peak + " is more than 5% over the "
                + "threshold " + run.threshold + "; " + run);
        // Not by removing everything: once the writer stops, the server holds at least the low-water mark's worth
        // but for the one flush's error (95% of the threshold, less 10% of it).
        assertTrue(run.last >= run.threshold * 0.85, () -> "used_memory " + run.last + " fell far below the "
                + "threshold " + run.threshold + ": the policy removed more than the excess; " + run);
        assertTrue(run.last < run.threshold, () -> "used_memory " + run.last + " is still at the threshold; " + run);
        assertTrue(run.flushes.stream().map(AgentLog.Flush::picked).distinct().count() > 1,
                () -> "the adaptive policy sizes each flush; " + run);
    }

    @Test
    void raysPolicyPassesTheThresholdWhenTheApplicationOutrunsBatchOverPeriod(TestInfo test) {
        Run run = run(test, "batch=" + RAY_BATCH, false);
        assertTrue(run.peak > run.threshold * 1.05, () -> "peak used_memory " + run.peak + " within 5% of the "
                + "threshold " + run.threshold + ": Ray's policy kept up with a writer it cannot keep up with; " + run);
        for (AgentLog.Flush f : run.flushes) {
            assertEquals(RAY_BATCH, f.picked(), () -> "Ray's policy removes batch keys a flush; " + run);
        }
    }

    /**
     * An application writing pipelined at full speed, far faster than the journal is appended a tenth of a second
     * later: its keys not appended yet are the order's too, never memory the order "does not hold" (uncovered), for
     * which the agent would stop flushing while the application filled the server. Seen before with 16 MiB of room
     * and 230,000 keys a second: the agent paused after four flushes and the server reached 5.8 times the threshold.
     * Here 2 KB values and 4 MiB of room, so that a tenth of a second's keys fill it: without the fix, the warning came
     * in each of two runs ("the order holds only 107 keys").
     */
    @Test
    void aWriterAtFullSpeedIsNotTakenForDataTheOrderDoesNotHold(TestInfo test) {
        ChildKeys keys = new ChildKeys(0, "fast", 40_000, 2_000);
        try (Scenario s = Scenario.start(test, keys)) {
            long threshold = s.redis.usedMemory() + 4 * MIB;
            try (ChildJvm app = ChildJvm.builder(test)
                    .agent("threshold=" + threshold + ",period=" + PERIOD + ",policy=adaptive,log.sink=stderr")
                    .mainClass(JedisWriterApp.class)
                    .args(keys.args(s.redis, "pipeline"))
                    .openStdin()
                    .start()) {
                app.waitForLine("^wrote " + keys.count + "$", Scenario.TIMEOUT);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!quietFor(app, Duration.ofSeconds(1)) && System.nanoTime() - deadline < 0) {
                    continue;
                }
                long last = s.redis.usedMemory();
                Scenario.assertCleanExit(app);
                List<String> uncovered = AgentLog.lines(app, "the order holds only");
                assertTrue(uncovered.isEmpty(), () -> "the application's own keys were taken for keys the order does "
                        + "not hold: " + uncovered + "; " + app.report());
                assertTrue(last < threshold, () -> "used_memory " + last + " over the threshold " + threshold
                        + " once the application stopped; " + app.report());
                assertTrue(keys.gonePrefix(s.redis) > 0, app::report);
            }
        }
    }

    /** What one run saw: the threshold, Redis's peak, used_memory at the end, the agent's flushes. */
    private static final class Run {
        long threshold;
        long peak;
        long sampledPeak;
        long last;
        int gone;
        int written;
        double seconds;
        double pacedRate;
        List<AgentLog.Flush> flushes;
        String child;

        @Override
        public String toString() {
            return String.format("threshold %d, Redis's peak %d (%.3f of it; the test's samples saw %d), at the "
                            + "end %d; %d keys written in %.1f s (paced at %.0f keys/s), the oldest %d gone, in %d "
                            + "flushes; child %s", threshold, peak, (double) peak / threshold, sampledPeak, last,
                    written, seconds, pacedRate, gone, flushes.size(), child);
        }
    }

    /**
     * Runs the application under the agent with {@code policy}; with {@code settle}, waits after the last write until
     * the agent has not flushed for a second (Ray's policy, over the threshold, goes on flushing every period).
     */
    private static Run run(TestInfo test, String policy, boolean settle) {
        int total = FILL + PACED;
        ChildKeys keys = new ChildKeys(0, "app", FILL, VALUE_SIZE);
        ChildKeys all = new ChildKeys(0, "app", total, VALUE_SIZE);
        Run run = new Run();
        try (Scenario s = Scenario.start(test, keys)) {
            run.threshold = s.redis.usedMemory() + ROOM;
            AtomicLong sampled = new AtomicLong();
            Thread sampler = sampler(s.redis, sampled);
            try (ChildJvm app = ChildJvm.builder(test)
                    .agent("threshold=" + run.threshold + ",period=" + PERIOD + "," + policy)
                    .mainClass(JedisWriterApp.class)
                    .args(keys.args(s.redis, "pipeline"))
                    .openStdin()
                    .start()) {
                long start = System.nanoTime();
                app.waitForLine("^wrote " + FILL + "$", Scenario.TIMEOUT);
                assertTrue(s.redis.usedMemory() < run.threshold, () -> "the fill alone passed the threshold; "
                        + app.report());
                long paced = System.nanoTime();
                for (int written = FILL, step = 0; written < total; written += STEP, step++) {
                    app.send("write " + STEP);
                    app.waitForLine("^wrote " + (written + STEP) + "$", Scenario.TIMEOUT);
                    long due = paced + TimeUnit.SECONDS.toNanos(step + 1) / (RATE / STEP);
                    sleepUntil(due);
                }
                run.seconds = (System.nanoTime() - start) / 1e9;
                run.pacedRate = PACED / ((System.nanoTime() - paced) / 1e9);
                run.written = total;
                if (settle) {
                    // Not an assertion: a policy that never settles fails the checks on its peak and end state, which
                    // say more.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    while (!quietFor(app, Duration.ofSeconds(1)) && System.nanoTime() - deadline < 0) {
                        continue;
                    }
                }
                sampler.interrupt();
                run.last = s.redis.usedMemory();
                run.peak = Long.parseLong(s.redis.info("memory").get("used_memory_peak"));
                run.sampledPeak = sampled.get();
                Scenario.assertCleanExit(app); // the agent's last flush is over, or never logged
                run.gone = all.gonePrefix(s.redis, 0, total); // fails unless the gone keys are the oldest
                run.flushes = AgentLog.flushes(app);
                run.child = app.report();
                long removed = AgentLog.removed(app);
                assertTrue(run.gone > 0, () -> "nothing removed; " + run);
                // Unsettled, the application may have exited during a flush, which then never logged its line.
                assertTrue(run.gone >= removed && run.gone <= removed + (settle ? 0 : RAY_BATCH),
                        () -> "the keys gone are not those the agent says it removed (" + removed + "); " + run);
            } finally {
                sampler.interrupt();
            }
        }
        return run;
    }

    /** Whether the agent logged no flush for {@code quiet}: counts its flush lines twice, that far apart. */
    private static boolean quietFor(ChildJvm app, Duration quiet) {
        int before = AgentLog.flushes(app).size();
        sleepUntil(System.nanoTime() + quiet.toNanos());
        return AgentLog.flushes(app).size() == before;
    }

    /** Samples used_memory every 10 ms for the failure message; Redis's own peak is the figure checked. */
    private static Thread sampler(RedisServer redis, AtomicLong peak) {
        Thread t = new Thread(() -> {
            try (Jedis jedis = redis.jedis()) {
                while (!Thread.currentThread().isInterrupted()) {
                    long used = Long.parseLong(RedisServer.parseInfo(jedis.info("memory")).get("used_memory"));
                    peak.accumulateAndGet(used, Math::max);
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                // done
            } catch (RuntimeException e) {
                // the server is going away at the end of the test
            }
        }, "used_memory sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleepUntil(long due) {
        long wait = due - System.nanoTime();
        if (wait <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
