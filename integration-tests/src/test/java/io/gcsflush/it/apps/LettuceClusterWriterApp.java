package io.gcsflush.it.apps;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes keys to a Redis Cluster with Lettuce's {@link RedisClusterClient}, one thread (see {@link ClusterWriterLoop});
 * {@code --host} and {@code --port} name one node, from which the client learns the others. Modes: {@code sync} (the
 * synchronous API), {@code async} (the asynchronous API with {@code setAutoFlushCommands(false)},
 * {@value WriterArgs#BATCH} SETs per {@code flushCommands()}, which writes each node's share on that node's
 * connection).
 */
public final class LettuceClusterWriterApp {

    public enum Mode { SYNC, ASYNC }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LettuceClusterWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        WriterArgs args = WriterArgs.parse(arguments, "sync");
        Mode mode = Mode.valueOf(args.mode.toUpperCase(Locale.ROOT));
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create(args.host, args.port));
        try {
            ClusterWriterLoop.run(args, () -> new Writer(client, args, mode));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2)); // no quiet period: exit promptly
        }
        System.exit(0);
    }

    private static final class Writer implements ClusterWriterLoop.Writer {
        private final WriterArgs args;
        private final Mode mode;
        private final StatefulRedisClusterConnection<String, String> connection;

        Writer(RedisClusterClient client, WriterArgs args, Mode mode) {
            this.args = args;
            this.mode = mode;
            this.connection = client.connect();
        }

        @Override
        public void write(String prefix, int from, int to) {
            if (mode == Mode.SYNC) {
                for (int i = from; i < to; i++) {
                    connection.sync().set(WriterArgs.key(prefix, i), WriterArgs.value(i, args.valueSize));
                }
                return;
            }
            RedisAdvancedClusterAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            try {
                for (int start = from; start < to; start += WriterArgs.BATCH) {
                    List<RedisFuture<String>> replies = new ArrayList<>();
                    for (int i = start; i < Math.min(to, start + WriterArgs.BATCH); i++) {
                        replies.add(async.set(WriterArgs.key(prefix, i), WriterArgs.value(i, args.valueSize)));
                    }
                    connection.flushCommands();
                    if (!LettuceFutures.awaitAll(TIMEOUT, replies.toArray(new RedisFuture<?>[0]))) {
                        throw new IllegalStateException("no replies within " + TIMEOUT + " from " + prefix + ":" + start);
                    }
                }
            } finally {
                connection.setAutoFlushCommands(true);
            }
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
