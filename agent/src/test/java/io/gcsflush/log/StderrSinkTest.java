package io.gcsflush.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.config.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StderrSinkTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final StderrSink sink = new StderrSink(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theAgentsOwnFormatWithTheTimeTheLineWasLogged() {
        long at = Instant.parse("2026-11-27T09:40:08.078Z").toEpochMilli();
        sink.write(new LogLine(LogLevel.WARN, at, "cannot flush 127.0.0.1:6379", null));
        assertEquals("2026-11-27T09:40:08.078Z WARN gcs-flush - cannot flush 127.0.0.1:6379" + System.lineSeparator(),
                written());
    }

    @Test
    void timestampsMatchTheJdksAcrossYearsAndLeapDays() {
        for (String instant : new String[] {"1970-01-01T00:00:00.000Z", "2000-02-29T23:59:59.999Z",
                "2024-12-31T00:00:00.001Z", "2100-03-01T12:00:00.010Z", "1969-12-31T23:59:59.900Z"}) {
            StringBuilder text = new StringBuilder();
            StderrSink.timestamp(text, Instant.parse(instant).toEpochMilli());
            assertEquals(instant, text.toString());
        }
    }

    @Test
    void aThrowableFollowsItsLine() {
        sink.write(new LogLine(LogLevel.ERROR, 0, "the flusher failed", new IllegalStateException("boom")));
        String[] lines = written().split(System.lineSeparator());
        assertEquals("1970-01-01T00:00:00.000Z ERROR gcs-flush - the flusher failed", lines[0]);
        assertEquals("java.lang.IllegalStateException: boom", lines[1]);
        assertTrue(lines[2].startsWith("\tat "), lines[2]);
    }
}
