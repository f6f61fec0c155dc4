package io.gcsflush.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The life of a cluster writer application ({@link JedisClusterWriterApp}, {@link LettuceClusterWriterApp}): one
 * cluster client for the whole run (a cluster client is costly to set up, and an application keeps one), keys
 * {@code prefix:000000 .. prefix:<count-1>} written in that order on one thread, then {@code wrote N}. Then, with
 * {@code --hold-ms}, stay that long; otherwise follow commands on stdin until end of file:
 * <pre>
 * write M                   write the next M keys of --prefix; prints "wrote TOTAL"
 * write PREFIX FROM TO      write PREFIX:FROM .. PREFIX:TO-1 in that order (PREFIX may hold a {hash tag});
 *                           prints "done LINE"
 * </pre>
 * Finally print {@code exit}. The arguments are those of {@link WriterArgs} ({@code --db} must be 0: a cluster has no
 * other database).
 */
public final class ClusterWriterLoop {

    /** Writes through one cluster client, which routes each key to the node that owns its slot. */
    public interface Writer extends AutoCloseable {
        /** Writes {@code prefix:from} .. {@code prefix:to-1}, in order, with values of {@code valueSize} bytes. */
        void write(String prefix, int from, int to);

        @Override
        void close();
    }

    /** Opens the application's cluster client. */
    public interface Connector {
        Writer open() throws Exception;
    }

    private ClusterWriterLoop() {
    }

    public static void run(WriterArgs args, Connector connector) throws Exception {
        StartLog.writing(args);
        if (args.db != 0) {
            throw new IllegalArgumentException("a cluster has database 0 only, not --db " + args.db);
        }
        try (Writer writer = connector.open()) {
            writer.write(args.prefix, 0, args.count);
            int written = args.count;
            System.out.println("wrote " + written);
            if (args.holdMillis >= 0) {
                Thread.sleep(args.holdMillis);
            } else {
                BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = stdin.readLine()) != null; ) {
                    String[] words = line.trim().split("\\s+");
                    if (words[0].equals("write") && words.length == 2) {
                        int total = written + Integer.parseInt(words[1]);
                        writer.write(args.prefix, written, total);
                        written = total;
                        System.out.println("wrote " + total);
                    } else if (words[0].equals("write") && words.length == 4) {
                        writer.write(words[1], Integer.parseInt(words[2]), Integer.parseInt(words[3]));
                        System.out.println("done " + line.trim());
                    } else if (!line.isBlank()) {
                        System.out.println("unknown command: " + line);
                    }
                }
            }
        }
        System.out.println("exit");
    }
}
