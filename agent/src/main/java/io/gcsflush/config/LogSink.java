package io.gcsflush.config;

import java.util.Locale;

/** Where the agent's log lines go. */
public enum LogSink {
    /** Through the application's SLF4J when it has one with a binding, else standard error. */
    AUTO,
    /** Standard error, in the agent's own format. */
    STDERR,
    /** Through the application's SLF4J; standard error, saying so once, when the application has none. */
    SLF4J;

    static LogSink parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected one of auto, stderr, slf4j");
        }
    }

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
