package io.gcsflush.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The life of a writer application, whatever its client: open a connection, (optionally try the conditional writes,)
 * write keys 0..count-1 in order, close it, print {@code wrote N}. Then, with {@code --hold-ms}, stay that long;
 * otherwise follow commands on stdin until end of file, each over a new connection (so that a server restarted
 * meanwhile is no matter):
 * <pre>
 * write M                   write the next M keys; prints "wrote TOTAL"
 * rewrite FROM TO           write keys FROM..TO-1 again (new values of the same size); prints "done LINE"
 * del|unlink|getdel FROM TO remove keys FROM..TO-1 with that command; prints "done LINE"
 * rename FROM TO PREFIX     RENAME keys FROM..TO-1 to the same index under PREFIX; prints "done LINE"
 * </pre>
 * Finally print {@code exit}. Everything happens on the main thread, so commands reach Redis in the order given.
 */
public final class WriterLoop {

    /** Writes over one connection of the application's client. */
    public interface Writer extends AutoCloseable {
        /** Writes the keys with indices {@code from} (inclusive) to {@code to} (exclusive), in order. */
        void write(int from, int to);

        /** Removes a key with {@code DEL}, {@code UNLINK} or {@code GETDEL}. */
        void delete(String command, String key);

        /** {@code RENAME from to}. */
        void rename(String from, String to);

        /** The conditional writes of {@link ConditionalKeys}, in the plainest mode of the client only. */
        ConditionalKeys.Tally conditional(String foreignPrefix, int count, String ownPrefix);

        @Override
        void close();
    }

    /** Opens a connection. */
    public interface Connector {
        Writer open() throws Exception;
    }

    private WriterLoop() {
    }

    public static void run(WriterArgs args, Connector connector) throws Exception {
        StartLog.writing(args);
        try (Writer writer = connector.open()) {
            if (args.conditionalPrefix != null) {
                System.out.println(writer.conditional(args.conditionalPrefix, args.conditionalCount, args.prefix));
            }
            writer.write(0, args.count);
        }
        int written = args.count;
        System.out.println("wrote " + written);
        if (args.holdMillis >= 0) {
            Thread.sleep(args.holdMillis);
        } else {
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = stdin.readLine()) != null; ) {
                if (!line.isBlank()) {
                    written = follow(args, connector, line.trim(), written);
                }
            }
        }
        System.out.println("exit");
    }

    /** Carries out one command from stdin; returns the number of keys written so far. */
    private static int follow(WriterArgs args, Connector connector, String line, int written) throws Exception {
        String[] words = line.split("\\s+");
        try (Writer writer = connector.open()) {
            if (words[0].equals("write") && words.length == 2) {
                int total = written + Integer.parseInt(words[1]);
                writer.write(written, total);
                System.out.println("wrote " + total);
                return total;
            }
            int from = words.length > 2 ? Integer.parseInt(words[1]) : -1;
            int to = words.length > 2 ? Integer.parseInt(words[2]) : -1;
            switch (words[0] + "/" + words.length) {
                case "rewrite/3":
                    writer.write(from, to);
                    break;
                case "del/3":
                case "unlink/3":
                case "getdel/3":
                    for (int i = from; i < to; i++) {
                        writer.delete(words[0], args.key(i));
                    }
                    break;
                case "rename/4":
                    for (int i = from; i < to; i++) {
                        writer.rename(args.key(i), WriterArgs.key(words[3], i));
                    }
                    break;
                default:
                    System.out.println("unknown command: " + line);
                    return written;
            }
            System.out.println("done " + line);
            return written;
        }
    }
}
