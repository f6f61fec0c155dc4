package io.gcsflush.it.apps;

import java.util.Locale;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Writes keys to a Redis Cluster with {@link JedisCluster}, one thread (see {@link ClusterWriterLoop}); {@code --host}
 * and {@code --port} name one node, from which the client learns the others. Modes: {@code plain}
 * ({@code cluster.set}: each SET borrows a connection to the key's node), {@code pipeline} ({@link ClusterPipeline},
 * {@value WriterArgs#BATCH} SETs per sync, spread over one pipelined connection per node).
 */
public final class JedisClusterWriterApp {

    public enum Mode { PLAIN, PIPELINE }

    private JedisClusterWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        WriterArgs args = WriterArgs.parse(arguments, "plain");
        Mode mode = Mode.valueOf(args.mode.toUpperCase(Locale.ROOT));
        ClusterWriterLoop.run(args, () -> new Writer(args, mode));
        System.exit(0);
    }

    private static final class Writer implements ClusterWriterLoop.Writer {
        private final WriterArgs args;
        private final Mode mode;
        private final JedisCluster cluster;

        Writer(WriterArgs args, Mode mode) {
            this.args = args;
            this.mode = mode;
            this.cluster = new JedisCluster(new HostAndPort(args.host, args.port));
        }

        @Override
        public void write(String prefix, int from, int to) {
            if (mode == Mode.PLAIN) {
                for (int i = from; i < to; i++) {
                    cluster.set(WriterArgs.key(prefix, i), WriterArgs.value(i, args.valueSize));
                }
                return;
            }
            for (int start = from; start < to; start += WriterArgs.BATCH) {
                try (ClusterPipeline pipeline = cluster.pipelined()) {
                    for (int i = start; i < Math.min(to, start + WriterArgs.BATCH); i++) {
                        pipeline.set(WriterArgs.key(prefix, i), WriterArgs.value(i, args.valueSize));
                    }
                    pipeline.sync();
                }
            }
        }

        @Override
        public void close() {
            cluster.close();
        }
    }
}
