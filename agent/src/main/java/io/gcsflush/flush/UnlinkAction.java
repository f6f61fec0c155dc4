package io.gcsflush.flush;

import io.gcsflush.redis.ClusterSlots;
import io.gcsflush.redis.RespConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes the keys with UNLINK (Redis reclaims their memory in the background), many keys a command and every command
 * of the batch pipelined: one round trip a flush. A command holds at most {@value #KEYS_PER_COMMAND} keys, so that no
 * single command keeps Redis from serving the application for long. On a cluster node, each command holds keys of
 * one hash slot only, and keys whose slot has moved are followed to their new node (MOVED, ASK).
 */
public final class UnlinkAction implements KeyAction {
    static final int KEYS_PER_COMMAND = 256;
    private static final byte[] UNLINK = "UNLINK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ASKING = "ASKING".getBytes(StandardCharsets.US_ASCII);

    @Override
    public long apply(RespConnection connection, FlushBatch batch, Nodes nodes) throws IOException {
        return connection.clusterEnabled() ? applyOnClusterNode(connection, batch, nodes) : applyStandalone(connection, batch);
    }

    private long applyStandalone(RespConnection connection, FlushBatch batch) throws IOException {
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
            else if (reply instanceof RespConnection.RedisError && failure == null) failure = failed(reply);
        }
        if (failure != null) throw failure;
        return removed;
    }

    private long applyOnClusterNode(RespConnection connection, FlushBatch batch, Nodes nodes) throws IOException {
        Map<Integer, List<byte[]>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byte[] key = batch.key(i);
            int slot = ClusterSlots.slot(key);
            List<byte[]> keys = bySlot.get(slot);
            if (keys == null) bySlot.put(slot, keys = new ArrayList<>());
            keys.add(key);
        }
        List<List<byte[]>> commands = new ArrayList<>();
        for (List<byte[]> keys : bySlot.values()) {
            for (int from = 0; from < keys.size(); from += KEYS_PER_COMMAND) {
                List<byte[]> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_COMMAND));
                connection.write(UNLINK, chunk, 0, chunk.size());
                commands.add(chunk);
            }
        }
        connection.flush();
        long removed = 0;
        IOException failure = null;
        List<Object[]> redirected = new ArrayList<>();
        for (List<byte[]> chunk : commands) {
            Object reply = connection.read();
            if (reply instanceof Long) {
                removed += (Long) reply;
            } else if (reply instanceof RespConnection.RedisError) {
                Redirect redirect = Redirect.parse(((RespConnection.RedisError) reply).message());
                if (redirect != null) redirected.add(new Object[] {redirect, chunk});
                else if (failure == null) failure = failed(reply);
            }
        }
        for (Object[] r : redirected) {
            Redirect redirect = (Redirect) r[0];
            @SuppressWarnings("unchecked")
            List<byte[]> chunk = (List<byte[]>) r[1];
            RespConnection node = nodes.connect(redirect.host, redirect.port);
            if (redirect.ask) node.write(ASKING);
            node.write(UNLINK, chunk, 0, chunk.size());
            node.flush();
            if (redirect.ask) node.read();
            Object reply = node.read();
            if (reply instanceof Long) removed += (Long) reply;
            else if (failure == null) failure = failed(reply);
        }
        if (failure != null) throw failure;
        return removed;
    }

    private static IOException failed(Object reply) {
        return new IOException("UNLINK failed: " + reply);
    }

    @Override
    public boolean removes() {
        return true;
    }

    @Override
    public String verb() {
        return "removed";
    }

    /** {@code MOVED <slot> <host>:<port>} or {@code ASK <slot> <host>:<port>}. */
    static final class Redirect {
        final boolean ask;
        final String host;
        final int port;

        private Redirect(boolean ask, String host, int port) {
            this.ask = ask;
            this.host = host;
            this.port = port;
        }

        static Redirect parse(String error) {
            String[] parts = error.split(" ");
            if (parts.length != 3 || !(parts[0].equals("MOVED") || parts[0].equals("ASK"))) return null;
            int colon = parts[2].lastIndexOf(':');
            if (colon <= 0) return null;
            try {
                return new Redirect(parts[0].equals("ASK"), parts[2].substring(0, colon),
                        Integer.parseInt(parts[2].substring(colon + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
