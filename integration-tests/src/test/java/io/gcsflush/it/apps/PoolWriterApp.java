package io.gcsflush.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.JedisPooled;

/**
 * A busy service: {@code --threads N} threads share one {@link JedisPooled} and write new keys
 * ({@code <prefix>:<thread>:<n>}, {@code --value-size} bytes) as fast as they can for {@code --seconds}, then it prints
 * {@code wrote TOTAL} and exits. What it makes the agent do: follow eight connections at full speed.
 */
public final class PoolWriterApp {
    private PoolWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        java.util.Map<String, String> args = new java.util.HashMap<>();
        for (int i = 0; i + 1 < arguments.length; i += 2) args.put(arguments[i].substring(2), arguments[i + 1]);
        int threads = Integer.parseInt(args.getOrDefault("threads", "8"));
        long seconds = Long.parseLong(args.getOrDefault("seconds", "10"));
        String prefix = args.getOrDefault("prefix", "pool");
        String value = "v".repeat(Integer.parseInt(args.getOrDefault("value-size", "100")));
        AtomicLong written = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try (JedisPooled redis = new JedisPooled(args.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(args.get("port")))) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread w = new Thread(() -> {
                    for (long n = 0; System.nanoTime() - end < 0; n++) {
                        redis.set(prefix + ":" + thread + ":" + n, value);
                        written.incrementAndGet();
                    }
                }, "writer-" + t);
                w.start();
                writers.add(w);
            }
            for (Thread w : writers) w.join();
        }
        System.out.println("wrote " + written.get());
        System.exit(0);
    }
}
