package io.gcsflush.bench.apps;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/**
 * An application whose keys do not live for ever, as a cache or a session store: RATE keys a second of VALUE_BYTES,
 * for SECONDS, in one of three ways.
 * <pre>TtlApp MODE HOST PORT RATE SECONDS VALUE_BYTES</pre>
 * MODE: {@code ex} (SET ... EX 20: Spring's @Cacheable with a time-to-live), {@code later} (SET, then EXPIRE 20 a
 * second later: a TTL given after the write), {@code delete} (SET, then DEL five seconds later: a job record removed
 * when the job is done). Prints {@code DONE n}.
 */
public final class TtlApp {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int rate = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        String value = "v".repeat(Integer.parseInt(args[5]));
        long n = 0;
        long start = System.nanoTime();
        try (Jedis jedis = new Jedis(args[1], Integer.parseInt(args[2]))) {
            for (long second = 0; second < seconds; second++) {
                Pipeline p = jedis.pipelined();
                for (int i = 0; i < rate; i++) {
                    String key = "item:" + (n + i);
                    if (mode.equals("ex")) p.set(key, value, SetParams.setParams().ex(20));
                    else p.set(key, value);
                }
                long late = n - rate; // the keys of the second before: a TTL now
                long gone = n - 5L * rate; // the keys of five seconds before: deleted now
                for (int i = 0; i < rate; i++) {
                    if (mode.equals("later") && late >= 0) p.expire("item:" + (late + i), 20);
                    if (mode.equals("delete") && gone >= 0) p.del("item:" + (gone + i));
                }
                p.sync();
                n += rate;
                long due = start + (second + 1) * 1_000_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000);
            }
        }
        System.out.println("DONE " + n);
    }
}
