package io.gcsflush.config;

import java.util.Locale;

/** How much the agent says. Each level includes the ones before it. */
public enum LogLevel {
    OFF, ERROR, WARN, INFO, DEBUG;

    static LogLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected one of off, error, warn, info, debug");
        }
    }

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
