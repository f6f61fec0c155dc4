package io.gcsflush.log;

/** Where the agent's lines are written. */
public interface LineSink {
    /** Writes one line. An exception means this line was not written. */
    void write(LogLine line) throws Exception;
}
