package io.gcsflush.bench.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Targets 2 and 3: writes N distinct keys (PREFIX + DIGITS digits) with pipelined Jedis, 1000 a pipeline, at most
 * RATE keys a second (0: as fast as it can), prints {@code WRITTEN n seconds}, then obeys its standard input:
 * {@code gc} (System.gc() a few times, then {@code HEAP used=B committed=B}) and {@code exit}.
 *
 * <pre>FillApp HOST PORT N VALUE_BYTES RATE PREFIX DIGITS</pre>
 */
public final class FillApp {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        long n = Long.parseLong(args[2]);
        byte[] value = Keys.value(Integer.parseInt(args[3]));
        long rate = Long.parseLong(args[4]);
        byte[] prefix = Keys.ascii(args[5]);
        int digits = Integer.parseInt(args[6]);
        long start = System.nanoTime();
        try (Jedis jedis = new Jedis(host, port)) {
            for (long i = 0; i < n; ) {
                Pipeline p = jedis.pipelined();
                for (int j = 0; j < 1000 && i < n; j++, i++) p.set(Keys.key(prefix, i, digits), value);
                p.sync();
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
        System.out.printf("WRITTEN %d %.3f%n", n, (System.nanoTime() - start) / 1e9);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("gc")) {
                for (int i = 0; i < 4; i++) {
                    System.gc();
                    Thread.sleep(200);
                }
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                System.out.printf("HEAP used=%d committed=%d%n", heap.getUsed(), heap.getCommitted());
                System.out.flush();
            } else if (line.equals("exit")) {
                break;
            }
        }
    }
}
