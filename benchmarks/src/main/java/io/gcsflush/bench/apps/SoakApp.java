package io.gcsflush.bench.apps;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * The soak's application: THREADS writer threads sharing one client (a {@link JedisPooled} with a pool of THREADS
 * connections, or one Lettuce connection, which is thread-safe), paced to RATE commands a second in all, until
 * {@code stop} on standard input. Each thread writes new keys mostly ({@code soak:T:N} strings of VALUE_BYTES, and
 * hashes), and now and then writes again, deletes or gives an expiry time to one of its recent keys. Prints
 * {@code START}, {@code PROGRESS ops seconds} every second, {@code HEAP live=B committed=B} every 30 s (after a
 * System.gc(): the live heap, the application's and the agent's), and {@code RESULT ops=N seconds=S opsPerSec=R
 * errors=E}.
 *
 * <pre>SoakApp HOST PORT jedis|lettuce THREADS RATE VALUE_BYTES</pre>
 */
public final class SoakApp {
    private static volatile boolean stop;

    /** One client's writes, called from any of the threads. */
    private interface Writes {
        void set(byte[] key, byte[] value);

        void setEx(byte[] key, byte[] value, long seconds);

        void hset(byte[] key, byte[] field, byte[] value);

        void del(byte[] key);

        void close();
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String client = args[2];
        int threads = Integer.parseInt(args[3]);
        double rate = Double.parseDouble(args[4]);
        byte[] value = Keys.value(Integer.parseInt(args[5]));
        Writes writes = client.equals("lettuce") ? lettuce(host, port) : jedis(host, port, threads);
        Thread stdin = new Thread(() -> {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) if (line.equals("stop")) stop = true;
            } catch (Exception ignored) {
                // the harness went away
            }
            stop = true;
        });
        stdin.setDaemon(true);
        stdin.start();
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        Thread[] writers = new Thread[threads];
        long intervalNanos = (long) (1e9 * threads / rate);
        for (int t = 0; t < threads; t++) {
            int id = t;
            writers[t] = new Thread(() -> write(writes, id, value, intervalNanos, start, ops, errors), "writer-" + t);
            writers[t].start();
        }
        System.out.println("START");
        System.out.flush();
        long nextProgress = start + 1_000_000_000L;
        long nextHeap = start + 30_000_000_000L;
        while (!stop) {
            LockSupport.parkNanos(nextProgress - System.nanoTime());
            long now = System.nanoTime();
            if (now - nextProgress >= 0) {
                System.out.printf("PROGRESS %d %.3f%n", ops.get(), (now - start) / 1e9);
                nextProgress += 1_000_000_000L;
            }
            if (now - nextHeap >= 0) {
                System.gc();
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                System.out.printf("HEAP live=%d committed=%d at=%.0f%n", heap.getUsed(), heap.getCommitted(),
                        (now - start) / 1e9);
                nextHeap += 30_000_000_000L;
            }
            System.out.flush();
        }
        for (Thread w : writers) w.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("RESULT ops=%d seconds=%.3f opsPerSec=%.0f errors=%d%n", ops.get(), seconds,
                ops.get() / seconds, errors.get());
        System.out.flush();
        writes.close();
        System.exit(0);
    }

    /** One thread: a command every {@code intervalNanos}, catching up (never more than a second) when late. */
    private static void write(Writes w, int thread, byte[] value, long intervalNanos, long start, AtomicLong ops,
                              AtomicLong errors) {
        byte[] prefix = Keys.ascii("soak:" + thread + ":");
        byte[] hashPrefix = Keys.ascii("soak-h:" + thread + ":");
        byte[] field = Keys.ascii("f");
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long n = 0;
        long next = start;
        while (!stop) {
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            else if (wait < -1_000_000_000L) next = System.nanoTime();
            int p = r.nextInt(100);
            try {
                if (p < 80 || n < 100) {
                    w.set(Keys.key(prefix, n++, 12), value);
                } else if (p < 88) {
                    w.hset(Keys.key(hashPrefix, n++, 12), field, value);
                } else if (p < 93) {
                    w.set(Keys.key(prefix, n - 1 - r.nextInt(100), 12), value); // a recent key, again
                } else if (p < 97) {
                    w.del(Keys.key(prefix, n - 1 - r.nextInt(100), 12));
                } else {
                    w.setEx(Keys.key(prefix, n++, 12), value, 5);
                }
                ops.incrementAndGet();
            } catch (RuntimeException e) {
                if (errors.incrementAndGet() <= 3) e.printStackTrace();
            }
        }
    }

    private static Writes jedis(String host, int port, int threads) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(threads);
        pool.setMaxIdle(threads);
        JedisPooled jedis = new JedisPooled(pool, host, port, 10_000);
        return new Writes() {
            @Override public void set(byte[] key, byte[] v) { jedis.set(key, v); }
            @Override public void setEx(byte[] key, byte[] v, long s) { jedis.set(key, v, SetParams.setParams().ex(s)); }
            @Override public void hset(byte[] key, byte[] f, byte[] v) { jedis.hset(key, f, v); }
            @Override public void del(byte[] key) { jedis.del(key); }
            @Override public void close() { jedis.close(); }
        };
    }

    private static Writes lettuce(String host, int port) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(host).withPort(port)
                .withTimeout(Duration.ofSeconds(10)).build());
        StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
        RedisCommands<byte[], byte[]> sync = connection.sync();
        return new Writes() {
            @Override public void set(byte[] key, byte[] v) { sync.set(key, v); }
            @Override public void setEx(byte[] key, byte[] v, long s) { sync.setex(key, s, v); }
            @Override public void hset(byte[] key, byte[] f, byte[] v) { sync.hset(key, f, v); }
            @Override public void del(byte[] key) { sync.del(key); }
            @Override
            public void close() {
                connection.close();
                client.shutdown();
            }
        };
    }
}
