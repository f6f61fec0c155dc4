package io.gcsflush;

import io.gcsflush.config.LogLevel;
import java.io.PrintStream;

/**
 * The agent's log: one line per event on standard error, {@code 2026-11-27T09:25:13.024Z INFO gcs-flush - ...}, with
 * SLF4J-style {@code {}} placeholders; a Throwable as the last argument adds its stack trace.
 *
 * <p>The agent does not use a logging library: initialising one (service discovery, date and locale formatting)
 * cost some 90 ms of an application's start-up in measurements here, and a logging library inside an agent risks
 * meeting the application's own configuration. This class is all the agent needs.
 */
public final class Log {
    private static volatile LogLevel level = LogLevel.INFO;
    private static volatile PrintStream out = System.err;

    private Log() {}

    public static void level(LogLevel value) {
        level = value;
    }

    /** For tests: where lines go. */
    static void output(PrintStream stream) {
        out = stream;
    }

    public static boolean enabled(LogLevel l) {
        return l != LogLevel.OFF && level.compareTo(l) >= 0;
    }

    public static boolean isDebug() {
        return enabled(LogLevel.DEBUG);
    }

    public static void debug(String message, Object... args) {
        if (enabled(LogLevel.DEBUG)) write("DEBUG", message, args);
    }

    public static void info(String message, Object... args) {
        if (enabled(LogLevel.INFO)) write("INFO", message, args);
    }

    public static void warn(String message, Object... args) {
        if (enabled(LogLevel.WARN)) write("WARN", message, args);
    }

    public static void error(String message, Object... args) {
        if (enabled(LogLevel.ERROR)) write("ERROR", message, args);
    }

    private static void write(String levelName, String message, Object[] args) {
        StringBuilder line = new StringBuilder(96 + message.length());
        timestamp(line, System.currentTimeMillis());
        line.append(' ').append(levelName).append(" gcs-flush - ");
        Throwable thrown = format(line, message, args);
        PrintStream stream = out;
        synchronized (stream) {
            stream.println(line);
            if (thrown != null) thrown.printStackTrace(stream);
        }
    }

    /** Appends the message with each {@code {}} replaced by the next argument; returns a Throwable left over. */
    static Throwable format(StringBuilder line, String message, Object[] args) {
        int used = 0;
        int from = 0;
        for (int at; (at = message.indexOf("{}", from)) >= 0 && used < args.length; from = at + 2) {
            line.append(message, from, at).append(args[used++]);
        }
        line.append(message, from, message.length());
        return used < args.length && args[args.length - 1] instanceof Throwable ? (Throwable) args[args.length - 1] : null;
    }

    /** ISO-8601 in UTC, computed without the date-time libraries (see the class comment). */
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
