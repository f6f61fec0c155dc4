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
        if (client.equals("jedis")) {
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
}
