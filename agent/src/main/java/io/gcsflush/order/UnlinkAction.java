package io.gcsflush.order;

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
 * one hash slot only; keys whose slot has moved are followed to their new node (MOVED, ASK), and a command refused
 * while its slot is half migrated (TRYAGAIN) is retried key by key. A key whose command failed stays tracked.
 */
public final class UnlinkAction implements KeyAction {
    static final int KEYS_PER_COMMAND = 256;
    private static final byte[] UNLINK = "UNLINK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ASKING = "ASKING".getBytes(StandardCharsets.US_ASCII);

    @Override
    public Result apply(RespConnection connection, FlushBatch batch, Nodes nodes) throws IOException {
        Result result = new Result(batch.size());
        if (connection.clusterEnabled()) applyOnClusterNode(connection, batch, nodes, result);
        else applyStandalone(connection, batch, result);
        return result;
    }

    /** Keys grouped by database, in order; a SELECT is confirmed before any UNLINK relies on it. */
    private void applyStandalone(RespConnection connection, FlushBatch batch, Result result) throws IOException {
        int n = batch.size();
        for (int from = 0; from < n; ) {
            int db = batch.db(from);
            int end = from;
            while (end < n && batch.db(end) == db) end++;
            if (!connection.select(db)) {
                result.failed("SELECT " + db + " refused");
                from = end;
                continue;
            }
            List<int[]> commands = new ArrayList<>();
            for (int start = from; start < end; start += KEYS_PER_COMMAND) {
                int stop = Math.min(end, start + KEYS_PER_COMMAND);
                connection.write(UNLINK, batch.keys(), start, stop);
                commands.add(new int[] {start, stop});
            }
            connection.flush();
            for (int[] c : commands) {
                Object reply = connection.read();
                if (reply instanceof Long) result.done(c[0], c[1], (Long) reply);
                else result.failed(String.valueOf(reply));
            }
            from = end;
        }
    }

    private void applyOnClusterNode(RespConnection connection, FlushBatch batch, Nodes nodes, Result result)
            throws IOException {
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            int slot = ClusterSlots.slot(batch.key(i));
            List<Integer> indexes = bySlot.get(slot);
            if (indexes == null) bySlot.put(slot, indexes = new ArrayList<>());
            indexes.add(i);
        }
        List<List<Integer>> commands = new ArrayList<>();
        for (List<Integer> indexes : bySlot.values()) {
            for (int from = 0; from < indexes.size(); from += KEYS_PER_COMMAND) {
                List<Integer> chunk = indexes.subList(from, Math.min(indexes.size(), from + KEYS_PER_COMMAND));
                write(connection, null, batch, chunk);
                commands.add(chunk);
            }
        }
        connection.flush();
        List<Object[]> retries = new ArrayList<>();
        for (List<Integer> chunk : commands) retries.add(new Object[] {chunk, connection.read()});
        for (Object[] r : retries) {
            @SuppressWarnings("unchecked")
            List<Integer> chunk = (List<Integer>) r[0];
            settle(connection, nodes, batch, chunk, r[1], result, true);
        }
    }

    /** Records one UNLINK's reply; follows a redirect; splits a refused multi-key command into single keys. */
    private void settle(RespConnection origin, Nodes nodes, FlushBatch batch, List<Integer> chunk, Object reply,
            Result result, boolean mayRetry) throws IOException {
        if (reply instanceof Long) {
            result.done(chunk, (Long) reply);
            return;
        }
        String error = String.valueOf(reply);
        Redirect redirect = reply instanceof RespConnection.RedisError ? Redirect.parse(error) : null;
        if (redirect != null && mayRetry) {
            RespConnection node = nodes.connect(redirect.host, redirect.port);
            write(node, redirect.ask ? ASKING : null, batch, chunk);
            node.flush();
            if (redirect.ask) node.read();
            settle(origin, nodes, batch, chunk, node.read(), result, false);
        } else if (mayRetry && chunk.size() > 1 && error.startsWith("TRYAGAIN")) {
            // Some of the slot's keys have moved and some not: each key alone is served here, or redirected.
            for (int i : chunk) {
                List<Integer> one = List.of(i);
                write(origin, null, batch, one);
                origin.flush();
                settle(origin, nodes, batch, one, origin.read(), result, true);
            }
        } else {
            result.failed(error);
        }
    }

    private static void write(RespConnection connection, byte[] before, FlushBatch batch, List<Integer> indexes)
            throws IOException {
        if (before != null) connection.write(before);
        List<byte[]> keys = new ArrayList<>(indexes.size());
        for (int i : indexes) keys.add(batch.key(i));
        connection.write(UNLINK, keys, 0, keys.size());
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
