package io.gcsflush.it.apps;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.params.SetParams;

/**
 * Writes keys with Jedis, one thread, one connection at a time (see {@link WriterArgs} and {@link WriterLoop}).
 * Modes: {@code plain} ({@code jedis.set}), {@code pipeline} ({@link Pipeline}, {@value WriterArgs#BATCH} SETs per
 * sync), {@code transaction} (MULTI, {@value WriterArgs#BATCH} SETs, EXEC), {@code binary} ({@code jedis.set} of
 * {@code byte[]} keys and values), {@code pooled} ({@link JedisPooled}), {@code pool} (a {@link JedisPool}, a
 * {@link Jedis} borrowed for each batch). A database other than 0 is chosen with SELECT, or with the pool's client
 * configuration in the pool modes.
 */
public final class JedisWriterApp {

    public enum Mode { PLAIN, PIPELINE, TRANSACTION, BINARY, POOLED, POOL }

    private JedisWriterApp() {
    }

    public static void main(String[] args) throws Exception {
        run(args);
        System.exit(0);
    }

    /** Runs the application and returns, for applications that do more around it. */
    public static void run(String[] arguments) throws Exception {
        WriterArgs args = WriterArgs.parse(arguments, "plain");
        Mode mode = Mode.valueOf(args.mode.toUpperCase(Locale.ROOT));
        WriterLoop.run(args, () -> mode == Mode.POOLED ? new Pooled(args)
                : mode == Mode.POOL ? new Borrowing(args) : new Single(args, mode));
    }

    /**
     * A writer over a connection the caller opened (with its own authentication or TLS, say), in a mode of one
     * connection: plain, pipeline, transaction or binary. It selects the database of {@code args} if not 0.
     */
    static WriterLoop.Writer over(Jedis jedis, WriterArgs args) {
        Mode mode = Mode.valueOf(args.mode.toUpperCase(Locale.ROOT));
        if (mode == Mode.POOLED || mode == Mode.POOL) {
            throw new IllegalArgumentException("not a mode of one connection: " + args.mode);
        }
        return new Single(args, mode, jedis);
    }

    /** The commands on single keys, which every mode sends plainly. */
    private abstract static class SingleKeyCommands implements WriterLoop.Writer {
        private final JedisCommands commands;

        SingleKeyCommands(JedisCommands commands) {
            this.commands = commands;
        }

        @Override
        public void delete(String command, String key) {
            switch (command) {
                case "del":
                    commands.del(key);
                    break;
                case "unlink":
                    commands.unlink(key);
                    break;
                case "getdel":
                    commands.getDel(key);
                    break;
                default:
                    throw new IllegalArgumentException(command);
            }
        }

        @Override
        public void rename(String from, String to) {
            commands.rename(from, to);
        }

        @Override
        public ConditionalKeys.Tally conditional(String foreign, int count, String prefix) {
            throw new UnsupportedOperationException("conditional writes are written in the plain mode only");
        }
    }

    /** A {@link Jedis} connection, written to plainly, pipelined or in transactions. */
    private static final class Single extends SingleKeyCommands {
        private final WriterArgs args;
        private final Mode mode;
        private final Jedis jedis;

        Single(WriterArgs args, Mode mode) {
            this(args, mode, new Jedis(args.host, args.port));
        }

        Single(WriterArgs args, Mode mode, Jedis jedis) {
            super(jedis);
            this.args = args;
            this.mode = mode;
            this.jedis = jedis;
            if (args.db != 0) {
                jedis.select(args.db);
            }
        }

        @Override
        public void write(int from, int to) {
            switch (mode) {
                case PLAIN:
                    for (int i = from; i < to; i++) {
                        jedis.set(args.key(i), args.value(i));
                    }
                    break;
                case PIPELINE:
                    for (int start = from; start < to; start += WriterArgs.BATCH) {
                        Pipeline pipeline = jedis.pipelined();
                        for (int i = start; i < Math.min(to, start + WriterArgs.BATCH); i++) {
                            pipeline.set(args.key(i), args.value(i));
                        }
                        pipeline.sync();
                    }
                    break;
                case BINARY:
                    for (int i = from; i < to; i++) {
                        jedis.set(args.key(i).getBytes(StandardCharsets.UTF_8),
                                args.value(i).getBytes(StandardCharsets.UTF_8));
                    }
                    break;
                case TRANSACTION:
                    for (int start = from; start < to; start += WriterArgs.BATCH) {
                        Transaction transaction = jedis.multi();
                        for (int i = start; i < Math.min(to, start + WriterArgs.BATCH); i++) {
                            transaction.set(args.key(i), args.value(i));
                        }
                        transaction.exec();
                    }
                    break;
                default:
                    throw new IllegalStateException(mode.toString());
            }
        }

        @Override
        public ConditionalKeys.Tally conditional(String foreign, int count, String prefix) {
            if (mode != Mode.PLAIN) {
                return super.conditional(foreign, count, prefix);
            }
            ConditionalKeys.Tally tally = new ConditionalKeys.Tally();
            for (int i = 0; i < count; i++) {
                String existing = ConditionalKeys.string(foreign, i);
                tally.refused(jedis.set(existing, "app", SetParams.setParams().nx()) != null);
                tally.refused(jedis.setnx(existing, "app") == 1);
                tally.refused(jedis.msetnx(existing, "app", ConditionalKeys.ownMsetnx(prefix, i), "app") == 1);
                tally.refused(jedis.hsetnx(ConditionalKeys.hash(foreign, i), ConditionalKeys.HASH_FIELD, "app") == 1);

                String renamed = ConditionalKeys.ownRenamed(prefix, i);
                jedis.set(renamed, "app");
                tally.own();
                tally.refused(jedis.renamenx(renamed, ConditionalKeys.renameTarget(foreign, i)) == 1);

                Transaction transaction = jedis.multi();
                transaction.set(ConditionalKeys.discarded(foreign, i), "app");
                transaction.discard();
                tally.refused(false); // DISCARD: by definition nothing happened

                if (jedis.set(ConditionalKeys.ownNx(prefix, i), "app", SetParams.setParams().nx()) != null) {
                    tally.own();
                }
            }
            return tally;
        }

        @Override
        public void close() {
            jedis.close();
        }
    }

    /** A {@link JedisPooled}: each command borrows a connection from the pool and returns it. */
    private static final class Pooled extends SingleKeyCommands {
        private final WriterArgs args;
        private final JedisPooled jedis;

        Pooled(WriterArgs args) {
            this(args, new JedisPooled(new HostAndPort(args.host, args.port),
                    DefaultJedisClientConfig.builder().database(args.db).build()));
        }

        private Pooled(WriterArgs args, JedisPooled jedis) {
            super(jedis);
            this.args = args;
            this.jedis = jedis;
        }

        @Override
        public void write(int from, int to) {
            for (int i = from; i < to; i++) {
                jedis.set(args.key(i), args.value(i));
            }
        }

        @Override
        public void close() {
            jedis.close();
        }
    }

    /** A {@link JedisPool}: a {@link Jedis} borrowed for each batch and returned, as pooled applications do. */
    private static final class Borrowing extends SingleKeyCommands {
        private final WriterArgs args;
        private final JedisPool pool;

        Borrowing(WriterArgs args) {
            this(args, new JedisPool(new HostAndPort(args.host, args.port),
                    DefaultJedisClientConfig.builder().database(args.db).build()));
        }

        private Borrowing(WriterArgs args, JedisPool pool) {
            super(pool.getResource()); // one connection kept for the single-key commands of the lifecycle tests
            this.args = args;
            this.pool = pool;
        }

        @Override
        public void write(int from, int to) {
            for (int start = from; start < to; start += WriterArgs.BATCH) {
                try (Jedis jedis = pool.getResource()) {
                    for (int i = start; i < Math.min(to, start + WriterArgs.BATCH); i++) {
                        jedis.set(args.key(i), args.value(i));
                    }
                }
            }
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
