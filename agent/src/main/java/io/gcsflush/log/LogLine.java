package io.gcsflush.log;

import io.gcsflush.config.LogLevel;

/** One line of the agent's log: its level, when it was logged, its text, and a Throwable to print with it. */
public final class LogLine {
    public final LogLevel level;
    public final long epochMillis;
    public final String message;
    /** Or null. */
    public final Throwable thrown;

    public LogLine(LogLevel level, long epochMillis, String message, Throwable thrown) {
        this.level = level;
        this.epochMillis = epochMillis;
        this.message = message;
        this.thrown = thrown;
    }

    @Override
    public String toString() {
        return level + " " + message;
    }
}
