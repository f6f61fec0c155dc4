package io.gcsflush.log;

import io.gcsflush.config.LogLevel;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The application's SLF4J logger {@value #LOGGER_NAME}, called by reflection: the agent's own class loader sees the
 * JDK and nothing of the application, and the agent brings no SLF4J of its own. Works with SLF4J 1.7 and 2.x alike:
 * it calls only {@code Logger.error/warn/info/debug(String)} and {@code (String, Throwable)}, which both have. The
 * message goes as it is, never as a format, so braces in a key name stay as they are.
 */
final class Slf4jSink implements LineSink {
    static final String LOGGER_NAME = "io.gcsflush";

    private final Object logger;
    private final Method[] plain = new Method[LogLevel.values().length];
    private final Method[] withThrowable = new Method[LogLevel.values().length];

    /**
     * @param logger the application's {@code org.slf4j.Logger}
     * @param api the application's {@code org.slf4j.Logger} interface
     */
    Slf4jSink(Object logger, Class<?> api) throws NoSuchMethodException {
        this.logger = logger;
        for (LogLevel level : LogLevel.values()) {
            if (level == LogLevel.OFF) continue;
            plain[level.ordinal()] = api.getMethod(level.lowerName(), String.class);
            withThrowable[level.ordinal()] = api.getMethod(level.lowerName(), String.class, Throwable.class);
        }
    }

    @Override
    public void write(LogLine line) throws Exception {
        try {
            if (line.thrown == null) {
                plain[line.level.ordinal()].invoke(logger, line.message);
            } else {
                withThrowable[line.level.ordinal()].invoke(logger, line.message, line.thrown);
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception ? (Exception) cause : e;
        }
    }

    /** The logger's class, which names the binding: {@code ch.qos.logback.classic.Logger}. */
    @Override
    public String toString() {
        return logger.getClass().getName();
    }
}
