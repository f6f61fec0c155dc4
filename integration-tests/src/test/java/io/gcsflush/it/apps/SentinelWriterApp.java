package io.gcsflush.it.apps;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Set;
import redis.clients.jedis.JedisSentinelPool;

/**
 * The writer applications' keys (see {@link WriterArgs}, {@link WriterLoop}) through Redis Sentinel, as services
 * with a failover-ready Redis configure it: {@code --client jedis} takes a connection from a {@link JedisSentinelPool}
 * for each command of the loop; {@code --client lettuce} connects with a {@code redis-sentinel://} URI. {@code --port}
 * is the sentinel's, {@code --master} the name it monitors. After a failover both reach the new master.
 * {@code --client masterreplica}: Lettuce's MasterReplica on the master at {@code --port}, reading from the replica.
 */
public final class SentinelWriterApp {
    private SentinelWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        String client = "jedis";
        String master = "mymaster";
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < arguments.length; i += 2) {
            if (arguments[i].equals("--client")) client = arguments[i + 1];
            else if (arguments[i].equals("--master")) master = arguments[i + 1];
            else {
                rest.add(arguments[i]);
                rest.add(arguments[i + 1]);
            }
        }
        WriterArgs args = WriterArgs.parse(rest.toArray(new String[0]), client.equals("jedis") ? "plain" : "sync");
        String sentinel = args.host + ":" + args.port;
        if (client.equals("masterreplica")) {
            // Lettuce's MasterReplica: writes to the master, reads from the replica (--port is the master's).
            RedisClient redis = RedisClient.create();
            RedisURI uri = RedisURI.Builder.redis(args.host, args.port).withDatabase(args.db).build();
            try {
                WriterLoop.run(args, () -> new MasterReplicaWriter(redis, uri, args));
            } finally {
                redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } else if (client.equals("jedis")) {
            try (JedisSentinelPool pool = new JedisSentinelPool(master, Set.of(sentinel))) {
                WriterLoop.run(args, () -> JedisWriterApp.over(pool.getResource(), args));
            }
        } else {
            RedisURI uri = RedisURI.Builder.sentinel(args.host, args.port, master).withDatabase(args.db).build();
            RedisClient redis = RedisClient.create();
            try {
                WriterLoop.run(args, () -> LettuceWriterApp.over(redis, uri, args));
            } finally {
                redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        System.exit(0);
    }

    /** Writes through a MasterReplica connection, and reads each key back, from the replica when it can. */
    private static final class MasterReplicaWriter implements WriterLoop.Writer {
        private final io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection<String, String> connection;
        private final WriterArgs args;

        MasterReplicaWriter(RedisClient redis, RedisURI uri, WriterArgs args) {
            this.args = args;
            connection = io.lettuce.core.masterreplica.MasterReplica.connect(redis,
                    io.lettuce.core.codec.StringCodec.UTF8, uri);
            connection.setReadFrom(io.lettuce.core.ReadFrom.REPLICA_PREFERRED);
        }

        @Override
        public void write(int from, int to) {
            for (int i = from; i < to; i++) {
                connection.sync().set(args.key(i), args.value(i));
                connection.sync().get(args.key(i)); // a read, which goes to the replica
            }
        }

        @Override
        public void delete(String command, String key) {
            connection.sync().del(key);
        }

        @Override
        public void rename(String from, String to) {
            connection.sync().rename(from, to);
        }

        @Override
        public ConditionalKeys.Tally conditional(String foreignPrefix, int count, String ownPrefix) {
            throw new UnsupportedOperationException("not in this application");
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
