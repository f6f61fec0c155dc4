package io.gcsflush.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.config.LogLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogRelayTest {
    private static final long LONG_HOLD = TimeUnit.MINUTES.toNanos(10);

    private final Lines stderr = new Lines();
    private final Lines app = new Lines();
    private final FakeDiscovery discovery = new FakeDiscovery();
    private LogRelay relay;

    @AfterEach
    void closeRelay() {
        if (relay != null) relay.close(1000);
    }

    private LogRelay relay(boolean sayWhenStderr, int capacity, long holdNanos) {
        relay = new LogRelay(sayWhenStderr, stderr, capacity, holdNanos);
        return relay;
    }

    private static LogLine line(String message) {
        return new LogLine(LogLevel.INFO, System.currentTimeMillis(), message, null);
    }

    private void write(String... messages) {
        for (String m : messages) relay.write(line(m));
    }

    @Test
    void linesAreHeldUntilTheApplicationsLoggingIsReadyThenWrittenInOrder() throws InterruptedException {
        relay(false, 64, LONG_HOLD).start(discovery);
        write("started", "tracking");
        Thread.sleep(300); // several of the relay's looks at the application
        assertEquals(List.of(), app.messages());
        assertEquals(List.of(), stderr.messages());
        assertFalse(discovery.settled);

        discovery.answer = Discovery.Answer.ready(app);
        write("flushed");
        await(() -> app.messages().size() == 3, "three lines in the application's log: " + app.messages());
        assertEquals(List.of("started", "tracking", "flushed"), app.messages());
        assertEquals(List.of(), stderr.messages());
        assertTrue(discovery.settled);
        assertTrue(discovery.polls > 1);
    }

    @Test
    void withoutSlf4jTheLinesGoToStderrAtOnceSayingNothingElse() {
        discovery.answer = Discovery.Answer.none("the application has no SLF4J on its class path");
        relay(false, 64, LONG_HOLD).start(discovery);
        write("started");
        await(() -> stderr.messages().size() == 1, "a line on stderr");
        assertEquals(List.of("started"), stderr.messages());
        assertTrue(discovery.settled);
    }

    @Test
    void logSinkSlf4jSaysOnceWhyItWritesToStderr() {
        discovery.answer = Discovery.Answer.none("the application has no SLF4J on its class path");
        relay(true, 64, LONG_HOLD).start(discovery);
        write("started", "flushed");
        await(() -> stderr.messages().size() == 3, "three lines on stderr: " + stderr.messages());
        assertEquals(List.of("log.sink=slf4j, but the application has no SLF4J on its class path: the agent logs to "
                + "standard error", "started", "flushed"), stderr.messages());
        assertEquals(LogLevel.WARN, stderr.lines.get(0).level);
    }

    @Test
    void afterTheHoldTheLinesGoToStderrAndToTheApplicationOnceItIsReady() {
        relay(false, 64, TimeUnit.MILLISECONDS.toNanos(200)).start(discovery);
        write("started");
        await(() -> stderr.messages().equals(List.of("started")), "the held line on stderr: " + stderr.messages());
        assertFalse(discovery.settled, "still watching the application");

        discovery.answer = Discovery.Answer.ready(app);
        write("flushed");
        await(() -> app.messages().equals(List.of("flushed")), "the next line in the application's log");
        assertEquals(List.of("started", "the application's logging is configured now: the agent's lines go to its "
                + "SLF4J logger io.gcsflush from here on"), stderr.messages());
    }

    @Test
    void theDiscoveryIsToldWhenTheHoldIsOver() {
        relay(false, 64, TimeUnit.MILLISECONDS.toNanos(200)).start(discovery);
        await(() -> discovery.sawHoldOver, "a look with the hold over");
    }

    @Test
    void aFullQueueDropsLinesAndSaysHowManyAfterThoseItKept() {
        relay(false, 4, LONG_HOLD).start(discovery);
        for (int i = 0; i < 10; i++) write("line " + i);
        discovery.answer = Discovery.Answer.ready(app);
        await(() -> app.messages().size() == 5, "four lines and the count of the others: " + app.messages());
        assertEquals(List.of("line 0", "line 1", "line 2", "line 3",
                "6 of the agent's log lines were dropped: more came than its queue of 4 lines holds"), app.messages());
        assertEquals(LogLevel.WARN, app.lines.get(4).level);
    }

    @Test
    void writingNeverWaitsForTheApplicationsLogging() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Lines stuck = new Lines() {
            @Override
            public void write(LogLine line) throws Exception {
                release.await();
                super.write(line);
            }
        };
        discovery.answer = Discovery.Answer.ready(stuck);
        relay(false, 16, LONG_HOLD).start(discovery);
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) write("line " + i);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 5_000, millis + " ms to log 100,000 lines while the application's appender is stuck");
        release.countDown();
        await(() -> stuck.messages().stream().anyMatch(m -> m.endsWith(" of the agent's log lines were dropped: more "
                + "came than its queue of 16 lines holds")), "the count of dropped lines: " + stuck.messages());
    }

    @Test
    void anApplicationLoggerThatFailsHasItsLinesOnStderrAndIsGivenUpAfterThreeInARow() {
        Lines failing = new Lines() {
            @Override
            public void write(LogLine line) {
                throw new IllegalStateException("appender closed");
            }
        };
        discovery.answer = Discovery.Answer.ready(failing);
        relay(false, 64, LONG_HOLD).start(discovery);
        write("a", "b", "c", "d");
        await(() -> stderr.messages().size() == 5, "five lines on stderr: " + stderr.messages());
        assertEquals(List.of("a", "b", "c", "the application's logging failed 3 times in a row (last: "
                + "java.lang.IllegalStateException: appender closed): the agent logs to standard error from here on",
                "d"), stderr.messages());
    }

    @Test
    void aLineLoggedFromInsideTheApplicationsLoggingDoesNotDeadlock() {
        Lines reentrant = new Lines() {
            @Override
            public void write(LogLine line) throws Exception {
                super.write(line);
                if (line.message.equals("first")) relay.write(line("logged by the appender"));
            }
        };
        discovery.answer = Discovery.Answer.ready(reentrant);
        relay(false, 64, LONG_HOLD).start(discovery);
        write("first");
        await(() -> reentrant.messages().size() == 2, "both lines: " + reentrant.messages());
    }

    @Test
    void linesStillHeldAtExitGoToStderrWithTheirOwnTimes() {
        relay(false, 64, LONG_HOLD).start(discovery);
        LogLine early = new LogLine(LogLevel.INFO, 1_000L, "started", null);
        relay.write(early);
        relay.close(2000);
        assertEquals(List.of("started"), stderr.messages());
        assertEquals(1_000L, stderr.lines.get(0).epochMillis);
        assertTrue(discovery.settled);
    }

    @Test
    void closeWritesWhatIsQueuedToTheApplicationOnceSettledThere() {
        discovery.answer = Discovery.Answer.ready(app);
        relay(false, 64, LONG_HOLD).start(discovery);
        await(() -> discovery.settled, "the relay settled on the application's logging");
        List<String> messages = IntStream.range(0, 50).mapToObj(i -> "line " + i).collect(Collectors.toList());
        messages.forEach(this::write);
        relay.close(2000);
        assertEquals(messages, app.messages());
    }

    @Test
    void aRelayThatNeverStartedWritesItsLinesToStderrOnClose() {
        relay(false, 64, LONG_HOLD);
        write("a setting was ignored");
        relay.close(1000);
        assertEquals(List.of("a setting was ignored"), stderr.messages());
    }

    @Test
    void aDiscoveryThatThrowsMeansStderr() {
        discovery.failure = new NoClassDefFoundError("org/slf4j/Logger");
        relay(true, 64, LONG_HOLD).start(discovery);
        write("started");
        await(() -> stderr.messages().size() == 2, "two lines: " + stderr.messages());
        assertEquals("log.sink=slf4j, but looking for it failed (java.lang.NoClassDefFoundError: org/slf4j/Logger): "
                + "the agent logs to standard error", stderr.messages().get(0));
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("no " + what + " within 10 s");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A sink that keeps what it is given. */
    static class Lines implements LineSink {
        final List<LogLine> lines = new ArrayList<>();

        @Override
        public void write(LogLine line) throws Exception {
            synchronized (lines) {
                lines.add(line);
            }
        }

        List<String> messages() {
            synchronized (lines) {
                return lines.stream().map(l -> l.message).collect(Collectors.toList());
            }
        }
    }

    private static final class FakeDiscovery implements Discovery {
        volatile Answer answer = Answer.PENDING;
        volatile Throwable failure;
        volatile boolean settled;
        volatile boolean sawHoldOver;
        volatile int polls;

        @Override
        public Answer poll(boolean holdOver) {
            polls++;
            if (holdOver) sawHoldOver = true;
            if (failure instanceof Error) throw (Error) failure;
            return answer;
        }

        @Override
        public void settled() {
            settled = true;
        }
    }
}
