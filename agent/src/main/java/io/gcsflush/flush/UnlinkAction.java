package io.gcsflush.flush;

import io.gcsflush.redis.RespConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Removes the keys with UNLINK (memory is reclaimed in the background), many keys a command and every command of the
 * batch pipelined: one round trip a flush. A command holds at most {@value #KEYS_PER_COMMAND} keys, so that no single
 * command keeps Redis from serving the application for long.
 */
public final class UnlinkAction implements KeyAction {
    static final int KEYS_PER_COMMAND = 256;
    private static final byte[] UNLINK = "UNLINK".getBytes(StandardCharsets.US_ASCII);

    @Override
    public long apply(RespConnection connection, FlushBatch batch) throws IOException {
        int replies = 0;
        int from = 0;
        int n = batch.size();
        while (from < n) {
            int db = batch.db(from);
            if (connection.selectIfNeeded(db)) replies++;
            int to = from;
            while (to < n && to - from < KEYS_PER_COMMAND && batch.db(to) == db) to++;
            connection.write(UNLINK, batch.keys(), from, to);
            replies++;
            from = to;
        }
        connection.flush();
        long removed = 0;
        IOException failure = null;
        for (int i = 0; i < replies; i++) {
            Object reply = connection.read();
            if (reply instanceof Long) removed += (Long) reply;
            else if (reply instanceof RespConnection.RedisError && failure == null) {
                failure = new IOException("UNLINK failed: " + reply);
            }
        }
        if (failure != null) throw failure;
        return removed;
    }

    @Override
    public boolean removes() {
        return true;
    }

    @Override
    public String verb() {
        return "removed";
    }
}
