package io.gcsflush.demo;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;

/** The writer threads, half on Jedis and half on Lettuce, and the clients they share. */
final class Workload implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long JOIN_MILLIS = 5_000;

    private final WriteCounters counters = new WriteCounters();
    private final List<MetadataWriter> writers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private JedisPooled jedis;
    private RedisClient lettuce;
    final int jedisThreads;
    final int lettuceThreads;

    private Workload(int threads) {
        // With an odd count Jedis takes the extra thread, so that one thread still writes something.
        this.jedisThreads = (threads + 1) / 2;
        this.lettuceThreads = threads / 2;
    }

    /**
     * Connects the clients and starts the writers.
     *
     * @throws RuntimeException from the clients when Redis cannot be reached
     */
    static Workload start(RedisTarget target, int threads, long rate, int valueSize) {
        Workload w = new Workload(threads);
        try {
            w.connect(target);
            double share = rate > 0 ? (double) rate / threads : 0;
            long seed = ThreadLocalRandom.current().nextLong();
            for (int i = 0; i < threads; i++) {
                MetadataGenerator generator = new MetadataGenerator(seed + i, valueSize);
                boolean useJedis = i % 2 == 0;
                MetadataWriter writer = useJedis
                        ? new JedisWriter(w.jedis, generator, w.counters, share)
                        : new LettuceWriter(w.lettuce, generator, w.counters, share);
                Thread t = new Thread(writer, (useJedis ? "jedis-writer-" : "lettuce-writer-") + (i / 2 + 1));
                t.setDaemon(true);
                w.writers.add(writer);
                w.threads.add(t);
            }
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        w.threads.forEach(Thread::start);
        return w;
    }

    private void connect(RedisTarget target) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(jedisThreads + 1);
        pool.setJmxEnabled(false);
        jedis = new JedisPooled(target.hostAndPort(), target.jedisConfig(TIMEOUT), pool);
        if (lettuceThreads == 0) return;
        lettuce = RedisClient.create(target.lettuceUri(TIMEOUT));
        // A lost connection fails what it had and stays closed: the writer opens a new one when it can.
        // (The client's own reconnect loop would log a warning per attempt, Ctrl-C included.)
        lettuce.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
    }

    WriteCounters counters() {
        return counters;
    }

    /** Stops the writers, waits for what they have in flight, and closes the clients. */
    @Override
    public void close() {
        writers.forEach(MetadataWriter::stop);
        for (Thread t : threads) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (lettuce != null) quietly(() -> lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        if (jedis != null) quietly(jedis::close);
    }

    private static void quietly(Runnable closer) {
        try {
            closer.run();
        } catch (RuntimeException e) {
            // Closing after Redis went away can fail; nothing is left to save.
        }
    }
}
