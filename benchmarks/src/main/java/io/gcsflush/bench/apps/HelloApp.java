package io.gcsflush.bench.apps;

import redis.clients.jedis.Jedis;

/** Target 5: the smallest Jedis application. Connects, SET, GET, exits. {@code HelloApp HOST PORT} */
public final class HelloApp {
    public static void main(String[] args) {
        try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
            jedis.set("hello", "world");
            System.out.println("hello " + jedis.get("hello"));
        }
    }
}
