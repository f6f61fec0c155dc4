package io.gcsflush.it.apps;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Writes new keys with Jedis at a steady rate, and records when it wrote each: the line {@code index epochMillis}
 * in a file, flushed every tenth of a second, so that a test can put keys of several applications (or of several
 * lives of one) in the order they were written, even after this JVM was killed.
 *
 * <pre>
 * --port P --prefix X --value-size S   as {@link WriterArgs}
 * --rate R        keys a second, written in small pipelines
 * --count N       keys to write, X:000000 to X:(N-1)
 * --times FILE    where the write times go
 * --delay-ms T    wait T ms before the first key
 * --hold-ms T     stay T ms after the last key, then exit (default: until stdin ends)
 * </pre>
 * Prints {@code writing}, then {@code wrote N} when done.
 */
public final class PacedWriterApp {
    private PacedWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> args = new java.util.HashMap<>();
        for (int i = 0; i + 1 < arguments.length; i += 2) args.put(arguments[i].substring(2), arguments[i + 1]);
        String prefix = args.get("prefix");
        int count = Integer.parseInt(args.get("count"));
        double rate = Double.parseDouble(args.get("rate"));
        int valueSize = Integer.parseInt(args.getOrDefault("value-size", "100"));
        Path times = Path.of(args.get("times"));
        Thread.sleep(Long.parseLong(args.getOrDefault("delay-ms", "0")));
        System.out.println("writing");
        try (Jedis jedis = new Jedis(args.getOrDefault("host", "127.0.0.1"), Integer.parseInt(args.get("port")));
             BufferedWriter out = Files.newBufferedWriter(times, StandardCharsets.US_ASCII)) {
            long start = System.nanoTime();
            long lastFlush = start;
            int perPipeline = Math.max(1, (int) Math.min(100, rate / 100));
            for (int i = 0; i < count; ) {
                long due = start + (long) (i / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                Pipeline p = jedis.pipelined();
                int end = Math.min(count, i + perPipeline);
                long now = System.currentTimeMillis();
                for (int k = i; k < end; k++) p.set(WriterArgs.key(prefix, k), WriterArgs.value(k, valueSize));
                p.sync();
                for (int k = i; k < end; k++) out.write(String.format(Locale.ROOT, "%d %d%n", k, now));
                i = end;
                if (System.nanoTime() - lastFlush > 100_000_000L) {
                    out.flush();
                    lastFlush = System.nanoTime();
                }
            }
        } catch (IOException e) {
            throw e;
        }
        System.out.println("wrote " + count);
        long hold = Long.parseLong(args.getOrDefault("hold-ms", "-1"));
        if (hold >= 0) {
            Thread.sleep(hold);
        } else {
            while (System.in.read() >= 0) {
                // until the test closes stdin
            }
        }
        System.out.println("exit");
        System.exit(0);
    }
}
