package io.gcsflush.it.apps;

import redis.clients.jedis.Jedis;

/**
 * Writes keys with the plainest Jedis there is, for versions older than those {@link JedisWriterApp} runs on (Jedis
 * 2.x has no {@code redis.clients.jedis.commands.JedisCommands}). Compiled against the test classpath's Jedis, it
 * calls only what Jedis 2.x to 8.x all have with the same signature: {@code new Jedis(String, int)},
 * {@code String select(int)}, {@code String set(String, String)} and {@code void close()}. One mode, {@code plain};
 * a database other than 0 is chosen with SELECT.
 */
public final class LegacyJedisWriterApp {

    private LegacyJedisWriterApp() {
    }

    public static void main(String[] args) throws Exception {
        run(args);
        System.exit(0);
    }

    public static void run(String[] arguments) throws Exception {
        WriterArgs args = WriterArgs.parse(arguments, "plain");
        if (!args.mode.equals("plain")) {
            throw new IllegalArgumentException("mode " + args.mode + ": only plain");
        }
        WriterLoop.run(args, () -> new Plain(args));
    }

    private static final class Plain implements WriterLoop.Writer {
        private final WriterArgs args;
        private final Jedis jedis;

        Plain(WriterArgs args) {
            this.args = args;
            this.jedis = new Jedis(args.host, args.port);
            if (args.db != 0) {
                jedis.select(args.db);
            }
        }

        @Override
        public void write(int from, int to) {
            for (int i = from; i < to; i++) {
                jedis.set(args.key(i), args.value(i));
            }
        }

        @Override
        public void delete(String command, String key) {
            throw new UnsupportedOperationException("only writes");
        }

        @Override
        public void rename(String from, String to) {
            throw new UnsupportedOperationException("only writes");
        }

        @Override
        public ConditionalKeys.Tally conditional(String foreign, int count, String prefix) {
            throw new UnsupportedOperationException("only writes");
        }

        @Override
        public void close() {
            jedis.close();
        }
    }
}
