package io.gcsflush.bench.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Target 4: writes N metadata entries ({@code task:%016d}, VALUE_BYTES each) as fast as pipelined Jedis allows, 1000 a
 * pipeline. Prints {@code START}, a {@code PROGRESS} line a second, and {@code RESULT ops=N seconds=S opsPerSec=R}.
 * A line {@code stop} on standard input ends the writing early (the harness's memory cap).
 *
 * <pre>BoundApp HOST PORT N VALUE_BYTES</pre>
 */
public final class BoundApp {
    private static volatile boolean stop;

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        long n = Long.parseLong(args[2]);
        byte[] value = Keys.value(Integer.parseInt(args[3]));
        byte[] prefix = Keys.ascii("task:");
        Thread stdin = new Thread(() -> {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) if (line.equals("stop")) stop = true;
            } catch (Exception ignored) {
                // the harness went away
            }
        });
        stdin.setDaemon(true);
        stdin.start();
        long written = 0;
        try (Jedis jedis = new Jedis(host, port)) {
            System.out.println("START");
            System.out.flush();
            long start = System.nanoTime();
            long nextProgress = start + 1_000_000_000L;
            while (written < n && !stop) {
                Pipeline p = jedis.pipelined();
                for (int j = 0; j < 1000 && written < n; j++, written++) p.set(Keys.key(prefix, written, 16), value);
                p.sync();
                long now = System.nanoTime();
                if (now >= nextProgress) {
                    System.out.printf("PROGRESS %d %.3f%n", written, (now - start) / 1e9);
                    System.out.flush();
                    nextProgress += 1_000_000_000L;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("RESULT ops=%d seconds=%.3f opsPerSec=%.0f stopped=%s%n", written, seconds,
                    written / seconds, stop);
            System.out.flush();
        }
        Thread.sleep(1500);
    }
}
