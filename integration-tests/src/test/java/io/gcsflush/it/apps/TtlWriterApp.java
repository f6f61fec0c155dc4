package io.gcsflush.it.apps;

import java.io.InputStream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/**
 * Writes keys with an expiry time ({@code SET key value EX seconds}), then keys without, with Jedis in pipelines of
 * 100; prints {@code wrote N} after each part, and exits when stdin ends.
 * <pre>
 * --port P --prefix X --value-size S   as {@link WriterArgs}: X:000000 ...
 * --ttl-count N   keys X:000000 to X:(N-1) with EX --ttl-seconds (default 3600)
 * --count M       then keys X:N to X:(N+M-1) without
 * </pre>
 */
public final class TtlWriterApp {
    private TtlWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        java.util.Map<String, String> args = new java.util.HashMap<>();
        for (int i = 0; i + 1 < arguments.length; i += 2) args.put(arguments[i].substring(2), arguments[i + 1]);
        String prefix = args.get("prefix");
        int ttlCount = Integer.parseInt(args.get("ttl-count"));
        int count = Integer.parseInt(args.get("count"));
        int valueSize = Integer.parseInt(args.getOrDefault("value-size", "100"));
        long seconds = Long.parseLong(args.getOrDefault("ttl-seconds", "3600"));
        try (Jedis jedis = new Jedis("127.0.0.1", Integer.parseInt(args.get("port")))) {
            write(jedis, prefix, 0, ttlCount, valueSize, SetParams.setParams().ex(seconds));
            System.out.println("wrote " + ttlCount);
            write(jedis, prefix, ttlCount, ttlCount + count, valueSize, null);
            System.out.println("wrote " + (ttlCount + count));
        }
        InputStream in = System.in;
        while (in.read() >= 0) {
            // until the test closes stdin
        }
        System.out.println("exit");
        System.exit(0);
    }

    private static void write(Jedis jedis, String prefix, int from, int to, int valueSize, SetParams params) {
        for (int i = from; i < to; i += 100) {
            Pipeline p = jedis.pipelined();
            for (int k = i; k < Math.min(to, i + 100); k++) {
                if (params == null) p.set(WriterArgs.key(prefix, k), WriterArgs.value(k, valueSize));
                else p.set(WriterArgs.key(prefix, k), WriterArgs.value(k, valueSize), params);
            }
            p.sync();
        }
    }
}
