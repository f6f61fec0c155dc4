package io.gcsflush;

import io.gcsflush.config.LogLevel;
import io.gcsflush.log.LineSink;
import io.gcsflush.log.LogLine;
import io.gcsflush.log.StderrSink;

/**
 * The agent's log, with SLF4J-style {@code {}} placeholders; a Throwable as the last argument adds its stack trace.
 * Lines at the level the {@code log} setting allows go to the sink: standard error, or the relay to the application's
 * SLF4J ({@link io.gcsflush.log.LogRelay}), as {@code log.sink} says.
 *
 * <p>The agent bundles no logging library: initialising one (service discovery, date and locale formatting) cost some
 * 90 ms of an application's start-up in measurements here, and a logging library inside an agent risks meeting the
 * application's own configuration. This class is all the agent needs; the application's SLF4J, when there is one,
 * is reached by reflection.
 */
public final class Log {
    private static volatile LogLevel level = LogLevel.INFO;
    private static volatile LineSink sink = StderrSink.standardError();

    private Log() {}

    public static void level(LogLevel value) {
        level = value;
    }

    /** Where lines go from now on. */
    public static void sink(LineSink value) {
        sink = value;
    }

    public static boolean enabled(LogLevel l) {
        return l != LogLevel.OFF && level.compareTo(l) >= 0;
    }

    public static boolean isDebug() {
        return enabled(LogLevel.DEBUG);
    }

    public static void debug(String message, Object... args) {
        if (enabled(LogLevel.DEBUG)) write(LogLevel.DEBUG, message, args);
    }

    public static void info(String message, Object... args) {
        if (enabled(LogLevel.INFO)) write(LogLevel.INFO, message, args);
    }

    public static void warn(String message, Object... args) {
        if (enabled(LogLevel.WARN)) write(LogLevel.WARN, message, args);
    }

    public static void error(String message, Object... args) {
        if (enabled(LogLevel.ERROR)) write(LogLevel.ERROR, message, args);
    }

    private static void write(LogLevel l, String message, Object[] args) {
        StringBuilder text = new StringBuilder(64 + message.length());
        Throwable thrown = format(text, message, args);
        try {
            sink.write(new LogLine(l, System.currentTimeMillis(), text.toString(), thrown));
        } catch (Exception e) {
            // Neither sink throws; and a log line is never worth an exception in the agent's work.
        }
    }

    /** The message with each {@code {}} replaced by the next argument, as the line would read. */
    public static String format(String message, Object... args) {
        StringBuilder line = new StringBuilder(64 + message.length());
        format(line, message, args);
        return line.toString();
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
}
