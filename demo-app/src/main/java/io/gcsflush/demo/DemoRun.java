package io.gcsflush.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run: starts the writers, prints a progress line every second, stops on the duration, on
 * {@code --stop-at}, on Ctrl-C or when Redis stops answering, then prints a summary and writes the chart.
 */
final class DemoRun {
    // used_memory is checked against --stop-at ten times a second, so that a fast writer cannot overshoot far.
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int TICKS_PER_REPORT = 10;
    private static final int MAX_MISSED_SAMPLES = 3;
    private static final long HOOK_WAIT_SECONDS = 20;

    private final DemoOptions options;
    private final RedisTarget target;
    private final RedisStats stats;
    private final PrintStream out;
    private final Recording recording = new Recording();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile String stopReason;
    private int exitCode;
    private String lastStatsFailure = "";

    DemoRun(DemoOptions options, RedisTarget target, RedisStats stats, PrintStream out) {
        this.options = options;
        this.target = target;
        this.stats = stats;
        this.out = out;
    }

    /** Runs to the end and returns the exit code. */
    int execute() {
        try {
            return writeAndWatch();
        } finally {
            ended.countDown();
        }
    }

    /** From a shutdown hook (Ctrl-C): ends the run and waits until its summary and chart are out. */
    void interrupt(String reason) {
        if (ended.getCount() == 0) return;
        stop(reason, 0);
        try {
            ended.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void stop(String reason, int code) {
        if (stopReason != null) return;
        exitCode = code;
        stopReason = reason;
        stopSignal.countDown();
    }

    private int writeAndWatch() {
        Sample initial = sample(0, 0);
        if (initial == null) {
            System.err.println("cannot read memory use from Redis at " + target + ": " + lastStatsFailure);
            return 1;
        }
        if (initial.usedMemory() >= options.stopAt) {
            out.println("not writing: used_memory " + Sizes.format(initial.usedMemory())
                    + " is already at --stop-at " + Sizes.format(options.stopAt));
            return 0;
        }
        recording.add(initial);

        Workload workload;
        try {
            workload = Workload.start(target, options.threads, options.rate, options.valueSize);
        } catch (RuntimeException e) {
            System.err.println("cannot reach Redis at " + target + ": " + WriteCounters.describe(e));
            return 1;
        }
        out.println(describe(workload));
        long start = System.nanoTime();
        try {
            watch(workload, start);
        } finally {
            workload.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        finish(workload, seconds);
        return exitCode;
    }

    private void watch(Workload workload, long start) {
        long deadline = options.duration == null ? Long.MAX_VALUE : start + options.duration.toNanos();
        Sample previous = new Sample(0, 0, 0, 0);
        int missed = 0;
        for (long tick = 1; stopReason == null; tick++) {
            if (awaitStop(Math.min(start + tick * TICK_NANOS, deadline))) return;
            boolean due = System.nanoTime() - deadline >= 0;
            if (tick % TICKS_PER_REPORT != 0 && !due) {
                checkStopAt();
                continue;
            }
            WriteCounters counters = workload.counters();
            Sample s = sample((System.nanoTime() - start) / 1e9, counters.written());
            if (s == null) {
                if (++missed >= MAX_MISSED_SAMPLES) stop("Redis stopped answering (" + lastStatsFailure + ")", 1);
                continue;
            }
            missed = 0;
            recording.add(s);
            out.println(progressLine(s, previous, counters));
            previous = s;
            if (s.usedMemory() >= options.stopAt) stopAtReached();
            else if (due) stop("--duration " + Durations.format(options.duration) + " reached", 0);
        }
    }

    private void checkStopAt() {
        try {
            if (stats.usedMemory() >= options.stopAt) stopAtReached();
        } catch (RuntimeException e) {
            // The once-a-second sample counts failures.
        }
    }

    private void stopAtReached() {
        stop("used_memory reached --stop-at " + Sizes.format(options.stopAt), 0);
    }

    /** Sleeps until {@code wakeNanos}; true if a stop was asked for meanwhile. */
    private boolean awaitStop(long wakeNanos) {
        try {
            long wait = wakeNanos - System.nanoTime();
            return stopSignal.await(Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop("interrupted", 0);
            return true;
        }
    }

    private Sample sample(double seconds, long entries) {
        try {
            return new Sample(seconds, entries, stats.usedMemory(), stats.keys());
        } catch (RuntimeException e) {
            lastStatsFailure = WriteCounters.describe(e);
            return null;
        }
    }

    private String describe(Workload w) {
        String until = options.duration == null ? "until Ctrl-C" : "for " + Durations.format(options.duration);
        String rate = options.rate > 0
                ? String.format(Locale.ROOT, "at most %,d entries/s", options.rate)
                : "no rate cap";
        return String.format(Locale.ROOT,
                "writing task and object metadata to %s with %d thread%s (%d Jedis, %d Lettuce), %s, %s;"
                        + " stopping at used_memory %s",
                target, options.threads, options.threads == 1 ? "" : "s", w.jedisThreads, w.lettuceThreads,
                rate, until, Sizes.format(options.stopAt));
    }

    private static String progressLine(Sample s, Sample previous, WriteCounters counters) {
        double dt = s.seconds() - previous.seconds();
        long perSecond = dt > 0 ? Math.round((s.entries() - previous.entries()) / dt) : 0;
        String line = String.format(Locale.ROOT, "[%4.0fs] entries %,12d (%,9d/s)  used_memory %9s  keys %,12d",
                s.seconds(), s.entries(), perSecond, Sizes.format(s.usedMemory()), s.keys());
        String failure = counters.takeLastFailure();
        if (failure != null) {
            line += String.format(Locale.ROOT, "  failed writes %,d (last: %s)", counters.failed(), failure);
        }
        return line;
    }

    private void finish(Workload workload, double seconds) {
        WriteCounters counters = workload.counters();
        long entries = counters.written();
        Sample last = sample(seconds, entries);
        boolean answered = last != null;
        if (answered) recording.add(last);
        else last = recording.last();
        long peak = recording.peakUsedMemory();
        out.println();
        out.println("stopped: " + stopReason);
        out.println("summary");
        out.printf(Locale.ROOT, "  duration         %.1f s%n", seconds);
        out.printf(Locale.ROOT, "  entries written  %,d (%,.0f/s)%n", entries, seconds > 0 ? entries / seconds : 0.0);
        if (counters.failed() > 0) out.printf(Locale.ROOT, "  failed writes    %,d%n", counters.failed());
        out.printf(Locale.ROOT, "  used_memory      peak %s, final %s%n",
                Sizes.format(peak), Sizes.format(last.usedMemory()));
        out.printf(Locale.ROOT, "  keys             %,d%n", last.keys());
        if (!answered) {
            // Typically Ctrl-C: the terminal sends it to the embedded redis-server as well.
            out.printf(Locale.ROOT,
                    "  (Redis no longer answered at the end: final figures are from the reading at %.0f s)%n",
                    last.seconds());
        }

        String subtitle = String.format(Locale.ROOT, "%,d entries in %.0f s (%d Jedis + %d Lettuce threads);"
                        + " peak %s, final %s, %,d keys",
                entries, seconds, workload.jedisThreads, workload.lettuceThreads,
                Sizes.format(peak), Sizes.format(last.usedMemory()), last.keys());
        SvgChart chart = new SvgChart("Redis used_memory over time", subtitle, options.mark);
        try {
            chart.write(options.chart, recording.samples());
            recording.writeCsv(options.csv());
            out.println("chart: " + options.chart.toAbsolutePath()
                    + " (samples: " + options.csv().toAbsolutePath() + ")");
        } catch (IOException e) {
            System.err.println("cannot write the chart " + options.chart + ": " + e);
            if (exitCode == 0) exitCode = 1;
        }
    }
}
