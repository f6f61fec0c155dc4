package io.gcsflush.log;

import io.gcsflush.config.Durations;
import io.gcsflush.config.LogLevel;
import io.gcsflush.config.LogSink;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes the agent's lines from any thread and writes them in order, from a thread of its own, to the application's
 * SLF4J once that is configured, else to standard error.
 *
 * <p><b>A thread of its own.</b> The agent logs from places where calling into the application's logging could
 * deadlock or stall: from its class file transformers, on an application thread that holds class-loading locks an
 * appender may need too; from its event thread, which must never wait on a slow appender. Here a log call is an offer
 * to a bounded queue that never blocks (a line that does not fit is counted, and the count reported); only the
 * relay's thread calls the application's logger, and it holds no lock of the agent's while it does.
 *
 * <p><b>Early lines are held, not sent to stderr.</b> The agent starts before {@code main}: its start line, and any
 * warning about its settings, come before the application has configured its logging. Sent through SLF4J then, they
 * would make SLF4J start Logback or Log4j with their defaults (the agent must never be the one to), or be dropped, as
 * Spring Boot mutes logging until it has configured it; sent to stderr, they would not be where the application's
 * lines are, which is the point of this class. So they are held, at most {@value #CAPACITY} lines for at most
 * {@value #HOLD_SECONDS} s, and written once the application's logging is configured, in order; lines the agent logs
 * meanwhile wait behind them. If it is not configured by then, the lines go to stderr, and to the application's
 * logging from the moment it is. Lines still held when the JVM exits go to stderr, where they are not lost.
 */
public final class LogRelay implements LineSink {
    static final int CAPACITY = 1024;
    static final int HOLD_SECONDS = 10;
    /** How often the relay looks at the application's logging while it holds lines. */
    private static final long HOLD_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How often it looks again while writing to stderr, once the hold is over. */
    private static final long STDERR_POLL_MILLIS = 500;
    /** Failures of the application's logging in a row after which the relay gives up on it. */
    private static final int FAILURES_IN_A_ROW = 3;
    /** Put in the queue by {@link #close}: everything before it is written, nothing after it. */
    private static final LogLine CLOSE = new LogLine(LogLevel.OFF, 0, "", null);

    private final ArrayBlockingQueue<LogLine> queue;
    private final int capacity;
    private final AtomicLong dropped = new AtomicLong();
    private final LineSink stderr;
    private final boolean sayWhenStderr;
    private final long holdNanos;
    private final long created = System.nanoTime();
    private volatile boolean closing;
    private volatile Thread thread;

    // The relay thread's own.
    private LineSink target;
    private boolean settled;
    private int failures;

    /**
     * @param setting {@code slf4j}: say so on stderr when the application's SLF4J cannot be used; {@code auto}: only
     *     use it when it can
     */
    public LogRelay(LogSink setting, LineSink stderr) {
        this(setting == LogSink.SLF4J, stderr, CAPACITY, TimeUnit.SECONDS.toNanos(HOLD_SECONDS));
    }

    LogRelay(boolean sayWhenStderr, LineSink stderr, int capacity, long holdNanos) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.sayWhenStderr = sayWhenStderr;
        this.stderr = stderr;
        this.holdNanos = holdNanos;
    }

    /** From any thread; never blocks, never throws. */
    @Override
    public void write(LogLine line) {
        if (!queue.offer(line)) dropped.incrementAndGet();
    }

    /**
     * Starts writing, from a thread of its own, where {@code discovery} says once it knows; and makes sure that what
     * is held when the JVM exits is written.
     */
    void start(Discovery discovery) {
        // Runnables, not lambdas: this runs before main, where the first lambda costs the application milliseconds.
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                LogRelay.this.run(discovery);
            }
        }, "gcs-flush-log");
        t.setDaemon(true);
        thread = t;
        t.start();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                @Override
                public void run() {
                    close(2000);
                }
            }, "gcs-flush-log-exit"));
        } catch (IllegalStateException | SecurityException e) {
            // Already exiting, or not allowed: lines still held at exit are lost, nothing else changes.
        }
    }

    /** Starts writing to stderr, without looking at the application: the agent could not start. */
    public void startOnStderr() {
        start(null);
    }

    /**
     * Writes what is queued (held lines to stderr), waiting for it at most {@code timeoutMillis}: a stuck appender
     * must not hold up the JVM's exit. Lines logged after this are not written.
     */
    public void close(long timeoutMillis) {
        closing = true;
        queue.offer(CLOSE);
        Thread t = thread;
        if (t == null) {
            LogLine line;
            while ((line = queue.poll()) != null && line != CLOSE) quietly(stderr, line);
            return;
        }
        LockSupport.unpark(t);
        try {
            t.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Discovery discovery) {
        if (discovery == null) settle(null, stderr);
        while (true) {
            if (!settled) decide(discovery);
            if (target == null) {
                LockSupport.parkNanos(this, HOLD_POLL_NANOS);
                continue;
            }
            LogLine line = next();
            if (line == CLOSE) return;
            if (line != null) {
                // The application's logging may have become ready while this thread waited for the line.
                if (!settled) decide(discovery);
                deliver(line);
                // Said once the queue is empty: after the lines that were kept, which came before those dropped.
                if (queue.isEmpty()) reportDropped();
            }
            if (closing && queue.isEmpty()) return;
        }
    }

    /** Looks at the application's logging, and at the clock, while it is not settled where lines go. */
    private void decide(Discovery discovery) {
        if (closing) {
            // Exiting before the application's logging was ready: stderr keeps the lines, whatever comes now.
            settle(discovery, stderr);
            return;
        }
        boolean holdOver = System.nanoTime() - created >= holdNanos;
        Discovery.Answer answer;
        try {
            answer = discovery.poll(holdOver);
        } catch (Throwable t) {
            answer = Discovery.Answer.none("looking for it failed (" + t + ")");
        }
        if (answer.sink != null) {
            if (target == stderr) {
                say(LogLevel.INFO, "the application's logging is configured now: the agent's lines go to its SLF4J "
                        + "logger " + Slf4jSink.LOGGER_NAME + " from here on");
            }
            settle(discovery, answer.sink);
        } else if (answer.none != null) {
            if (sayWhenStderr) {
                say(LogLevel.WARN, "log.sink=slf4j, but " + answer.none + ": the agent logs to standard error");
            }
            settle(discovery, stderr);
        } else if (target == null && holdOver) {
            if (sayWhenStderr) {
                say(LogLevel.WARN, "log.sink=slf4j, but the application's logging is not configured after "
                        + Durations.format(holdNanos) + ": the agent logs to standard error until it is");
            }
            target = stderr;
        }
    }

    private void settle(Discovery discovery, LineSink sink) {
        target = sink;
        settled = true;
        if (discovery == null) return;
        try {
            discovery.settled();
        } catch (Throwable ignored) {
            // Only lets go of what it watched.
        }
    }

    /** The next line: waiting for one once settled; while not, for a while, to look at the application again. */
    private LogLine next() {
        try {
            return settled && !closing ? queue.take() : queue.poll(STDERR_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return null; // Nothing interrupts this thread but the JVM's end; the loop looks at closing.
        }
    }

    private void deliver(LogLine line) {
        try {
            target.write(line);
            failures = 0;
        } catch (Throwable t) {
            if (target == stderr) return; // Nowhere else to write it.
            quietly(stderr, line);
            if (++failures >= FAILURES_IN_A_ROW) {
                say(LogLevel.WARN, "the application's logging failed " + failures + " times in a row (last: " + t
                        + "): the agent logs to standard error from here on");
                target = stderr;
            }
        }
    }

    private void reportDropped() {
        long n = dropped.getAndSet(0);
        if (n > 0) {
            deliver(new LogLine(LogLevel.WARN, System.currentTimeMillis(), n + " of the agent's log lines were "
                    + "dropped: more came than its queue of " + capacity + " lines holds", null));
        }
    }

    /** A line of the relay's own, about where the lines go: on stderr, where the lines before it went. */
    private void say(LogLevel level, String message) {
        quietly(stderr, new LogLine(level, System.currentTimeMillis(), message, null));
    }

    private static void quietly(LineSink sink, LogLine line) {
        try {
            sink.write(line);
        } catch (Throwable ignored) {
            // Standard error does not fail; if it does, there is nowhere left to say so.
        }
    }
}
