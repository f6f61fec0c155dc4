package io.gcsflush.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import redis.clients.jedis.Jedis;

/**
 * The journal of an application whose keys die (a TTL given with the write, a TTL given later, a DEL), over some
 * minutes: it must not grow while memory stays under the threshold. Samples every 10 s the journal's keys (its state),
 * its memory ({@code MEMORY USAGE}), and the server's keys.
 * <pre>java -cp benchmarks/target/benchmarks.jar io.gcsflush.bench.DeadWeight [minutes] [rate]</pre>
 * Defaults: 10 minutes, 2,000 keys a second; each mode in turn, on a server of its own. Writes
 * {@code benchmarks/results/deadweight.txt}.
 */
public final class DeadWeight {
    public static void main(String[] args) throws Exception {
        long minutes = args.length > 0 ? Long.parseLong(args[0]) : 10;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path out = Paths.resultsDir();
        Files.createDirectories(out);
        List<String> notes = new ArrayList<>();
        notes.add("DeadWeight " + minutes + " min at " + rate + " keys/s, commit " + RunAll.git("rev-parse", "--short",
                "HEAD"));
        for (String mode : List.of("ex", "later", "delete")) {
            try (Redis redis = Redis.start(out, "deadweight-" + mode);
                 Child c = Child.start(out.resolve("deadweight-" + mode + ".log"), "threshold=1t,log.sink=stderr",
                         List.of(), "io.gcsflush.bench.apps.TtlApp", mode, redis.host, redis.port, rate,
                         minutes * 60, 100)) {
                long end = System.nanoTime() + minutes * 60_000_000_000L + 30_000_000_000L;
                long maxKeys = 0;
                long maxBytes = 0;
                String last = "";
                for (int sample = 0; System.nanoTime() < end && c.process.isAlive(); sample++) {
                    Thread.sleep(10_000);
                    try (Jedis j = redis.jedis()) {
                        String k = j.hget("gcs-flush:journal:state", "keys");
                        long keys = k == null ? 0 : Long.parseLong(k);
                        Long bytes = j.memoryUsage("gcs-flush:journal");
                        long b = bytes == null ? 0 : bytes;
                        maxKeys = Math.max(maxKeys, keys);
                        maxBytes = Math.max(maxBytes, b);
                        last = String.format(Locale.ROOT, "%s t=%ds: journal %,d keys, %,d bytes; dbsize %,d; "
                                + "used_memory %,d", mode, (sample + 1) * 10, keys, b, j.dbSize(),
                                Long.parseLong(redis.info("memory").get("used_memory")));
                        System.out.println(last);
                    }
                }
                notes.add(last);
                notes.add(String.format(Locale.ROOT, "%s: the journal held at most %,d keys, %,d bytes", mode, maxKeys,
                        maxBytes));
            }
        }
        Files.write(out.resolve("deadweight.txt"), notes, StandardCharsets.UTF_8);
        notes.forEach(System.out::println);
    }
}
