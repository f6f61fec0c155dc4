package io.gcsflush.log;

import java.io.PrintStream;

/**
 * The agent's own format, one line per event on standard error: {@code 2026-11-27T09:25:13.024Z INFO gcs-flush - ...},
 * with the time the line was logged (not written: a line held back at start-up keeps its time), and a Throwable's
 * stack trace after it.
 */
public final class StderrSink implements LineSink {
    private final PrintStream out;

    public StderrSink(PrintStream out) {
        this.out = out;
    }

    /**
     * Standard error as it is now, at the agent's start: an application that later points {@code System.err} at its
     * own logging does not take the agent's lines along.
     */
    public static StderrSink standardError() {
        return new StderrSink(System.err);
    }

    @Override
    public void write(LogLine line) {
        StringBuilder text = new StringBuilder(48 + line.message.length());
        timestamp(text, line.epochMillis);
        text.append(' ').append(line.level.name()).append(" gcs-flush - ").append(line.message);
        synchronized (out) {
            out.println(text);
            if (line.thrown != null) line.thrown.printStackTrace(out);
        }
    }

    /**
     * ISO-8601 in UTC, computed without the date-time libraries: initialising them (and a logging library's
     * formatting) cost an application tens of milliseconds of start-up in measurements here.
     */
    static void timestamp(StringBuilder line, long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        long millisOfDay = Math.floorMod(epochMillis, 86_400_000L);
        // Howard Hinnant's days-to-civil algorithm.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        line.append(year).append('-');
        two(line, month).append('-');
        two(line, day).append('T');
        two(line, millisOfDay / 3_600_000).append(':');
        two(line, millisOfDay / 60_000 % 60).append(':');
        two(line, millisOfDay / 1000 % 60).append('.');
        long ms = millisOfDay % 1000;
        line.append(ms < 100 ? (ms < 10 ? "00" : "0") : "").append(ms).append('Z');
    }

    private static StringBuilder two(StringBuilder line, long value) {
        return line.append(value < 10 ? "0" : "").append(value);
    }
}
