package io.gcsflush.bench.apps;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Target 1: SETs of distinct keys ({@code key:%010d}) with values of VALUE_BYTES, as fast as one client allows, timed.
 * A warm-up of WARMUP SETs ({@code warm:%010d}) comes first and is not timed.
 *
 * <pre>WriteApp MODE HOST PORT N WARMUP VALUE_BYTES</pre>
 * MODE: {@code jedis-pipeline} (1000 a pipeline), {@code lettuce-async} (1000 in flight), {@code jedis-single}.
 * Prints {@code RESULT ops=N seconds=S opsPerSec=R}, then idles 1.5 s (so that the agent logs its last stats).
 */
public final class WriteApp {
    static final int PIPELINE = 1000;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        long n = Long.parseLong(args[3]);
        long warmup = Long.parseLong(args[4]);
        byte[] value = Keys.value(Integer.parseInt(args[5]));
        Writer writer;
        switch (mode) {
            case "jedis-pipeline": writer = new JedisPipelined(host, port); break;
            case "jedis-single": writer = new JedisSingle(host, port); break;
            case "lettuce-async": writer = new LettuceAsync(host, port); break;
            default: throw new IllegalArgumentException("mode " + mode);
        }
        writer.write(Keys.ascii("warm:"), warmup, value);
        long start = System.nanoTime();
        writer.write(Keys.ascii("key:"), n, value);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("RESULT ops=%d seconds=%.3f opsPerSec=%.0f%n", n, seconds, n / seconds);
        System.out.flush();
        writer.close();
        Thread.sleep(1500);
    }

    interface Writer extends AutoCloseable {
        void write(byte[] prefix, long n, byte[] value) throws Exception;
    }

    static final class JedisPipelined implements Writer {
        private final Jedis jedis;

        JedisPipelined(String host, int port) {
            jedis = new Jedis(host, port);
        }

        @Override
        public void write(byte[] prefix, long n, byte[] value) {
            for (long i = 0; i < n; ) {
                Pipeline p = jedis.pipelined();
                for (int j = 0; j < PIPELINE && i < n; j++, i++) p.set(Keys.key(prefix, i, 10), value);
                p.sync();
            }
        }

        @Override
        public void close() {
            jedis.close();
        }
    }

    static final class JedisSingle implements Writer {
        private final Jedis jedis;

        JedisSingle(String host, int port) {
            jedis = new Jedis(host, port);
        }

        @Override
        public void write(byte[] prefix, long n, byte[] value) {
            for (long i = 0; i < n; i++) jedis.set(Keys.key(prefix, i, 10), value);
        }

        @Override
        public void close() {
            jedis.close();
        }
    }

    static final class LettuceAsync implements Writer {
        private final RedisClient client;
        private final StatefulRedisConnection<byte[], byte[]> connection;
        private final RedisAsyncCommands<byte[], byte[]> async;

        LettuceAsync(String host, int port) {
            client = RedisClient.create(RedisURI.create(host, port));
            connection = client.connect(ByteArrayCodec.INSTANCE);
            async = connection.async();
        }

        @Override
        public void write(byte[] prefix, long n, byte[] value) throws InterruptedException {
            Semaphore inFlight = new Semaphore(PIPELINE);
            for (long i = 0; i < n; i++) {
                inFlight.acquire();
                async.set(Keys.key(prefix, i, 10), value).whenComplete((r, t) -> inFlight.release());
            }
            if (!inFlight.tryAcquire(PIPELINE, 60, TimeUnit.SECONDS)) throw new IllegalStateException("replies missing");
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
