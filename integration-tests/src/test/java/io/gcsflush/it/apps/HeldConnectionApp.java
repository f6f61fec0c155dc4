package io.gcsflush.it.apps;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/**
 * An application that opens one connection as it starts and writes every key over it, for as long as it runs, as a
 * service with a long-lived connection does: the connection an agent attached later meets in the middle of its life.
 * It selects its database as it connects (Jedis: {@code select(db)}; Lettuce: the database in the URI).
 *
 * <pre>
 * --port P --db D --prefix X --value-size S   as {@link WriterArgs} (no --count: nothing is written at start)
 * --mode jedis|lettuce
 * </pre>
 * Then follows stdin, each line over that one connection: {@code write N} writes the next N keys and prints
 * {@code wrote TOTAL}. Prints {@code ready} once connected, and {@code exit} at the end of stdin.
 */
public final class HeldConnectionApp {
    private HeldConnectionApp() {
    }

    /** Writes over the held connection. */
    private interface Held extends AutoCloseable {
        void set(String key, String value);

        @Override
        void close();
    }

    public static void main(String[] arguments) throws Exception {
        WriterArgs args = WriterArgs.parse(arguments, "jedis");
        StartLog.writing(args);
        try (Held held = args.mode.equals("lettuce") ? lettuce(args) : jedis(args)) {
            System.out.println("ready");
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            int written = 0;
            for (String line; (line = stdin.readLine()) != null; ) {
                String[] words = line.trim().split("\\s+");
                if (words.length == 2 && words[0].equals("write")) {
                    int total = written + Integer.parseInt(words[1]);
                    for (int i = written; i < total; i++) held.set(args.key(i), args.value(i));
                    written = total;
                    System.out.println("wrote " + total);
                } else if (!line.isBlank()) {
                    System.out.println("unknown command: " + line);
                }
            }
        }
        System.out.println("exit");
        System.exit(0);
    }

    private static Held jedis(WriterArgs args) {
        Jedis jedis = new Jedis(args.host, args.port);
        if (args.db != 0) jedis.select(args.db);
        return new Held() {
            @Override
            public void set(String key, String value) {
                jedis.set(key, value);
            }

            @Override
            public void close() {
                jedis.close();
            }
        };
    }

    private static Held lettuce(WriterArgs args) {
        RedisClient client = RedisClient.create();
        StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(args.uri()));
        RedisCommands<String, String> commands = connection.sync();
        return new Held() {
            @Override
            public void set(String key, String value) {
                commands.set(key, value);
            }

            @Override
            public void close() {
                connection.close();
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        };
    }
}
