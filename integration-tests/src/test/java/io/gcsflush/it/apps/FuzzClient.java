package io.gcsflush.it.apps;

import io.gcsflush.it.apps.FuzzCommand.Err;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The fuzz application's connections through one client library. Replies come back as the server gave them: nil as
 * null, integers as Long (a client's booleans too), strings as byte[], arrays as List, error replies as {@link Err};
 * anything else a client throws is the application's to report.
 */
interface FuzzClient extends AutoCloseable {
    /** Connections the application alternates between; connection {@code CONNECTIONS} breaks WATCHes. */
    int CONNECTIONS = 2;

    Object call(int connection, FuzzCommand command);

    /** The commands sent together, the replies read after (a pipeline, or Lettuce's batch of async commands). */
    List<Object> pipeline(int connection, List<FuzzCommand> commands);

    /**
     * {@code [WATCH key] MULTI commands... EXEC} (or DISCARD), running {@code beforeExec} after the commands are
     * queued. Returns the replies, null if WATCH aborted the transaction or it was discarded, or an {@link Err} if
     * the server refused it (EXECABORT).
     */
    Object transaction(int connection, byte[] watch, List<FuzzCommand> commands, Runnable beforeExec, boolean discard);

    @Override
    void close();

    static Object normalize(Object reply) {
        if (reply == null || reply instanceof Long || reply instanceof byte[] || reply instanceof List
                || reply instanceof Err) {
            return reply;
        }
        if (reply instanceof Boolean b) return b ? 1L : 0L;
        if (reply instanceof Integer i) return (long) i;
        if (reply instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
        if (reply instanceof Double d) return d.toString().getBytes(StandardCharsets.US_ASCII);
        if (reply instanceof Throwable t) return new Err(String.valueOf(t.getMessage()));
        throw new IllegalStateException("unexpected reply " + reply.getClass().getName() + ": " + reply);
    }
}
