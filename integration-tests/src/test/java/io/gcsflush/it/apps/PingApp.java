package io.gcsflush.it.apps;

import redis.clients.jedis.Jedis;

/**
 * The smallest application: connects with Jedis, SETs {@code count} keys {@code ping:0..count-1},
 * prints {@code done} and exits 0.
 *
 * <p>Arguments: {@code host port [count]} (count defaults to 100).
 */
public final class PingApp {

    private PingApp() {
    }

    public static void main(String[] args) {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        try (Jedis jedis = new Jedis(host, port)) {
            System.out.println("connected: " + jedis.ping());
            for (int i = 0; i < count; i++) {
                jedis.set("ping:" + i, "value-" + i);
            }
        }
        System.out.println("done");
    }
}
