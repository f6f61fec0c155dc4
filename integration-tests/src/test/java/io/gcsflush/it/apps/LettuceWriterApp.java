package io.gcsflush.it.apps;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * Writes keys with Lettuce, one thread, one connection at a time (see {@link WriterArgs} and {@link WriterLoop}).
 * The database is always given in the URI ({@code redis://host:port/3}), so Lettuce selects it as it connects.
 * Modes: {@code sync} (the synchronous API), {@code async} (the asynchronous API with
 * {@code setAutoFlushCommands(false)}, {@value WriterArgs#BATCH} SETs per {@code flushCommands()}), {@code multi}
 * (MULTI, {@value WriterArgs#BATCH} SETs, EXEC, with the synchronous API), {@code reactive} (the reactive API,
 * {@value WriterArgs#BATCH} SETs in flight, dispatched in order), {@code bytes} (the synchronous API on a connection
 * with the {@code byte[]} codec), {@code select} (the synchronous API on a connection whose URI names no database,
 * after {@code select(db)}).
 */
public final class LettuceWriterApp {

    public enum Mode { SYNC, ASYNC, MULTI, REACTIVE, BYTES, SELECT }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LettuceWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        WriterArgs args = WriterArgs.parse(arguments, "sync");
        Mode mode = Mode.valueOf(args.mode.toUpperCase(Locale.ROOT));
        RedisClient client = RedisClient.create();
        try {
            WriterLoop.run(args, () -> new Connection(client, RedisURI.create(args.uri()), args, mode));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2)); // no quiet period: exit promptly
        }
        System.exit(0);
    }

    /** A writer in the mode of {@code args} over connections to {@code uri} (with authentication or TLS of its own). */
    static WriterLoop.Writer over(RedisClient client, RedisURI uri, WriterArgs args) {
        return new Connection(client, uri, args, Mode.valueOf(args.mode.toUpperCase(Locale.ROOT)));
    }

    private static final class Connection implements WriterLoop.Writer {
        private final WriterArgs args;
        private final Mode mode;
        private final StatefulRedisConnection<String, String> connection;
        private final RedisCommands<String, String> sync;
        private final StatefulRedisConnection<byte[], byte[]> bytesConnection;
        private final RedisCommands<byte[], byte[]> bytes;

        Connection(RedisClient client, RedisURI uri, WriterArgs args, Mode mode) {
            this.args = args;
            this.mode = mode;
            if (mode == Mode.SELECT) uri.setDatabase(0);
            this.connection = client.connect(uri);
            this.sync = connection.sync();
            if (mode == Mode.SELECT) sync.select(args.db);
            this.bytesConnection = mode == Mode.BYTES ? client.connect(ByteArrayCodec.INSTANCE, uri) : null;
            this.bytes = bytesConnection == null ? null : bytesConnection.sync();
        }

        @Override
        public void write(int from, int to) {
            switch (mode) {
                case SYNC:
                case SELECT:
                    for (int i = from; i < to; i++) {
                        sync.set(args.key(i), args.value(i));
                    }
                    break;
                case BYTES:
                    for (int i = from; i < to; i++) {
                        bytes.set(args.key(i).getBytes(StandardCharsets.UTF_8),
                                args.value(i).getBytes(StandardCharsets.UTF_8));
                    }
                    break;
                case ASYNC:
                    writeAsync(from, to);
                    break;
                case REACTIVE: {
                    // flatMap subscribes, and so dispatches, in the order of its source: keys go out in index order.
                    RedisReactiveCommands<String, String> reactive = connection.reactive();
                    Long written = Flux.range(from, to - from)
                            .flatMap(i -> reactive.set(args.key(i), args.value(i)), WriterArgs.BATCH)
                            .count().block(TIMEOUT);
                    if (written == null || written != to - from) {
                        throw new IllegalStateException(written + " of " + (to - from) + " replies from key " + from);
                    }
                    break;
                }
                case MULTI:
                    for (int start = from; start < to; start += WriterArgs.BATCH) {
                        sync.multi();
                        for (int i = start; i < Math.min(to, start + WriterArgs.BATCH); i++) {
                            sync.set(args.key(i), args.value(i));
                        }
                        TransactionResult result = sync.exec();
                        if (result.wasDiscarded()) {
                            throw new IllegalStateException("transaction from key " + start + " was discarded");
                        }
                    }
                    break;
                default:
                    throw new IllegalStateException(mode.toString());
            }
        }

        private void writeAsync(int from, int to) {
            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            try {
                for (int start = from; start < to; start += WriterArgs.BATCH) {
                    List<RedisFuture<String>> replies = new ArrayList<>();
                    for (int i = start; i < Math.min(to, start + WriterArgs.BATCH); i++) {
                        replies.add(async.set(args.key(i), args.value(i)));
                    }
                    connection.flushCommands();
                    if (!LettuceFutures.awaitAll(TIMEOUT, replies.toArray(new RedisFuture<?>[0]))) {
                        throw new IllegalStateException("no replies within " + TIMEOUT + " from key " + start);
                    }
                }
            } finally {
                connection.setAutoFlushCommands(true);
            }
        }

        @Override
        public void delete(String command, String key) {
            switch (command) {
                case "del":
                    sync.del(key);
                    break;
                case "unlink":
                    sync.unlink(key);
                    break;
                case "getdel":
                    sync.getdel(key);
                    break;
                default:
                    throw new IllegalArgumentException(command);
            }
        }

        @Override
        public void rename(String from, String to) {
            sync.rename(from, to);
        }

        @Override
        public ConditionalKeys.Tally conditional(String foreign, int count, String prefix) {
            if (mode != Mode.SYNC) {
                throw new UnsupportedOperationException("conditional writes are written in the sync mode only");
            }
            ConditionalKeys.Tally tally = new ConditionalKeys.Tally();
            for (int i = 0; i < count; i++) {
                String existing = ConditionalKeys.string(foreign, i);
                tally.refused(sync.set(existing, "app", SetArgs.Builder.nx()) != null);
                tally.refused(sync.setnx(existing, "app"));
                tally.refused(sync.msetnx(Map.of(existing, "app", ConditionalKeys.ownMsetnx(prefix, i), "app")));
                tally.refused(sync.hsetnx(ConditionalKeys.hash(foreign, i), ConditionalKeys.HASH_FIELD, "app"));

                String renamed = ConditionalKeys.ownRenamed(prefix, i);
                sync.set(renamed, "app");
                tally.own();
                tally.refused(sync.renamenx(renamed, ConditionalKeys.renameTarget(foreign, i)));

                sync.multi();
                sync.set(ConditionalKeys.discarded(foreign, i), "app");
                sync.discard();
                tally.refused(false); // DISCARD: by definition nothing happened

                if (sync.set(ConditionalKeys.ownNx(prefix, i), "app", SetArgs.Builder.nx()) != null) {
                    tally.own();
                }
            }
            return tally;
        }

        @Override
        public void close() {
            connection.close();
            if (bytesConnection != null) bytesConnection.close();
        }
    }
}
