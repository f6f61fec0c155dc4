package io.gcsflush;

import io.gcsflush.config.LogLevel;

/**
 * Sets up the agent's own, relocated SLF4J simple logger: lines on standard error, prefixed with the time and
 * {@code gcs-flush}. The property names below are relocated with the logger when the agent jar is built, so they
 * never touch the application's logging configuration.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {}

    static void configure(LogLevel level) {
        set("defaultLogLevel", level.lowerName());
        set("logFile", "System.err");
        set("showDateTime", "true");
        set("dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        set("showThreadName", "false");
        set("showLogName", "true");
        set("levelInBrackets", "false");
    }

    private static void set(String key, String value) {
        System.setProperty(PREFIX + key, value);
    }
}
