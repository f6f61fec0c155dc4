package io.gcsflush.it.apps;

import io.gcsflush.it.apps.FuzzCommand.Err;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The fuzz application: random commands ({@link FuzzCommands}) through Jedis or Lettuce, one at a time, in pipelines,
 * in transactions (EXEC, DISCARD, EXECABORT, WATCH broken by another connection or not), over two connections that
 * each SELECT databases 0-3, from a seed. After each command it notes, from the reply, the keys whose tracking the
 * agent may legitimately not know ({@link FuzzModel}).
 *
 * <pre>
 * FuzzApp --client jedis|lettuce --port P [--host H] --seed S --marks FILE [--foreign N] [--trace FILE]
 *         [--swapdb false]
 * stdin:  run N    send at least N more commands, write the marks to FILE, print "paused ..."
 *         quit     (or end of input) close the connections, print "exit", exit 0
 * </pre>
 *
 * With {@code --trace}, every command is written to FILE with its connection, database and reply, for the test to
 * show the history of a key it finds wrong. Error replies are part of the game; any other exception is printed and
 * ends the application with status 1.
 */
public final class FuzzApp {
    private final FuzzClient client;
    private final FuzzCommands commands;
    private final FuzzModel model = new FuzzModel();
    private final Random r;
    private final int[] db = new int[FuzzClient.CONNECTIONS + 1];
    private final Map<String, Long> stats = new TreeMap<>();
    private long sent;
    private java.io.Writer trace;

    private FuzzApp(FuzzClient client, long seed, int foreign, boolean swapdb) {
        this.client = client;
        this.r = new Random(seed);
        this.commands = new FuzzCommands(new Random(seed * 31 + 7), foreign, swapdb);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        String host = o.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(o.get("port"));
        FuzzClient client = o.get("client").equals("jedis") ? new FuzzJedis(host, port) : new FuzzLettuce(host, port);
        FuzzApp app = new FuzzApp(client, Long.parseLong(o.get("seed")), Integer.parseInt(o.getOrDefault("foreign", "0")),
                Boolean.parseBoolean(o.getOrDefault("swapdb", "true")));
        Path marks = Path.of(o.get("marks"));
        if (o.containsKey("trace")) {
            app.trace = java.nio.file.Files.newBufferedWriter(Path.of(o.get("trace")), StandardCharsets.UTF_8);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                if (!line.startsWith("run ")) continue;
                long until = app.sent + Long.parseLong(line.substring(4).trim());
                while (app.sent < until) app.step();
                app.model.write(marks);
                if (app.trace != null) app.trace.flush();
                System.out.println("paused " + app.summary(false));
            }
        } catch (RuntimeException e) {
            System.out.println("failed after " + app.sent + " commands");
            e.printStackTrace();
            System.exit(1);
        }
        client.close();
        System.out.println("exit " + app.summary(true));
        System.exit(0);
    }

    /** @param commands whether to count each command (cmd.SET=...) too */
    private String summary(boolean commands) {
        StringBuilder b = new StringBuilder("commands=" + sent);
        stats.forEach((k, v) -> {
            if (commands || !k.startsWith("cmd.")) b.append(' ').append(k).append('=').append(v);
        });
        return b.toString();
    }

    /** One unit of work: a command, a pipeline, or a transaction. */
    private void step() {
        int c = r.nextInt(FuzzClient.CONNECTIONS);
        int u = r.nextInt(100);
        if (u < 72) {
            FuzzCommand cmd = commands.next(db[c]);
            sent++;
            Object reply = client.call(c, cmd);
            count("single", 1);
            applyAll(c, List.of(cmd), java.util.Collections.singletonList(reply));
        } else if (u < 84) {
            List<FuzzCommand> batch = batch(c, 2 + r.nextInt(24), false);
            sent += batch.size();
            count("pipelines", 1);
            applyAll(c, batch, client.pipeline(c, batch));
        } else {
            boolean discard = u >= 93 && u < 96;
            boolean watch = u >= 96;
            List<FuzzCommand> batch = batch(c, 1 + r.nextInt(8), true);
            byte[] watched = watch ? commands.anyKey() : null;
            boolean interfere = watch && r.nextBoolean();
            sent += batch.size() + 2 + (watch ? 1 : 0);
            Object result = client.transaction(c, watched, batch, () -> {
                if (interfere) interfere(db[c], watched);
            }, discard);
            count(discard ? "discards" : watch ? "watches" : "transactions", 1);
            trace(c, (watch ? "WATCH " + FuzzKeys.show(watched) + (interfere ? " (broken)" : "") + " " : "")
                    + "MULTI x" + batch.size() + (discard ? " DISCARD" : " EXEC") + " -> "
                    + (result instanceof List ? "ok" : result == null ? "aborted" : result));
            if (result instanceof Err e) {
                count("execabort", 1);
                if (!e.kind().equals("EXECABORT")) throw new IllegalStateException("EXEC: " + e.message());
            } else if (result == null) {
                // Another connection's write aborts it; so does the watched key expiring meanwhile.
                if (!discard) count(interfere ? "watchAborted" : "watchAbortedByExpiry", 1);
            } else {
                @SuppressWarnings("unchecked")
                List<Object> replies = (List<Object>) result;
                if (replies.size() != batch.size()) {
                    throw new IllegalStateException("EXEC gave " + replies.size() + " replies for " + batch.size());
                }
                applyAll(c, batch, replies);
            }
        }
    }

    /** Another connection writes the watched key, in the same database: EXEC must then abort. */
    private void interfere(int database, byte[] key) {
        int other = FuzzClient.CONNECTIONS;
        if (db[other] != database) {
            FuzzCommand select = new FuzzCommand("SELECT", new byte[][] {FuzzKeys.bytes(Integer.toString(database))},
                    0, FuzzCommand.Reply.STATUS, -1);
            sent++;
            applyAll(other, List.of(select), java.util.Collections.singletonList(client.call(other, select)));
        }
        FuzzCommand set = new FuzzCommand("SET", new byte[][] {key, FuzzKeys.bytes("interfered")}, 1,
                FuzzCommand.Reply.STATUS, -1);
        sent++;
        applyAll(other, List.of(set), java.util.Collections.singletonList(client.call(other, set)));
    }

    /**
     * Commands for one pipeline or transaction, each for the database the connection will be in when it runs (after
     * the SELECTs before it); a transaction now and then holds a command the server refuses to queue.
     */
    private List<FuzzCommand> batch(int c, int n, boolean transaction) {
        List<FuzzCommand> batch = new ArrayList<>();
        int projected = db[c];
        for (int i = 0; i < n; i++) {
            FuzzCommand cmd = commands.next(projected);
            if (cmd.name.equals("SELECT")) {
                int d = Integer.parseInt(cmd.arg(0));
                if (d < FuzzKeys.DBS) projected = d;
            }
            batch.add(cmd);
        }
        if (transaction && r.nextInt(12) == 0) batch.add(r.nextInt(batch.size() + 1), commands.queueError());
        return batch;
    }

    private void applyAll(int c, List<FuzzCommand> batch, List<Object> replies) {
        for (int i = 0; i < batch.size(); i++) {
            FuzzCommand cmd = batch.get(i);
            Object reply = replies.get(i);
            trace(c, cmd + " -> " + show(reply));
            if (reply instanceof Err e) count("err." + e.kind(), 1);
            if (cmd.name.equals("SELECT")) {
                if (!(reply instanceof Err)) db[c] = Integer.parseInt(cmd.arg(0));
                continue;
            }
            if (!(reply instanceof Err)) count("cmd." + cmd.name, 1);
            model.apply(db[c], cmd, reply);
        }
    }

    private void trace(int c, String line) {
        if (trace == null) return;
        try {
            trace.write(sent + " " + System.currentTimeMillis() % 100_000 + " c" + c + " db" + db[c] + " " + line + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String show(Object reply) {
        if (reply instanceof byte[] b) return FuzzKeys.show(b);
        if (reply instanceof List<?> l) return "[" + l.size() + " elements]";
        return String.valueOf(reply);
    }

    private void count(String what, long n) {
        stats.merge(what, n, Long::sum);
    }
}
