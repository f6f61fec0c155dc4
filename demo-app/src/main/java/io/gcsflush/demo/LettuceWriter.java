package io.gcsflush.demo;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Writes entries through its own Lettuce connection with the async API, a bounded number in flight.
 * When the connection drops it opens a new one at the next batch (the client does not reconnect by itself).
 */
final class LettuceWriter extends MetadataWriter {
    static final int MAX_IN_FLIGHT = 256;
    private static final long DRAIN_SECONDS = 3;

    private final RedisClient client;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private StatefulRedisConnection<byte[], byte[]> connection;
    private RedisAsyncCommands<byte[], byte[]> commands;

    /** Connects at once, so that an unreachable server is reported before any thread starts. */
    LettuceWriter(RedisClient client, MetadataGenerator generator, WriteCounters counters, double rate) {
        super(generator, counters, rate);
        this.client = client;
        connect();
    }

    private void connect() {
        connection = client.connect(ByteArrayCodec.INSTANCE);
        commands = connection.async();
    }

    @Override
    protected void writeBatch(int n) throws InterruptedException {
        if (!connection.isOpen()) connect(); // throws while the server is away: the loop backs off and retries
        for (int i = 0; i < n && isRunning(); i++) {
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (!isRunning()) return;
            }
            Entry e = generator.next();
            RedisFuture<?> reply = e.isHash() ? commands.hset(e.key, e.fields) : commands.set(e.key, e.value);
            reply.whenComplete((ok, failure) -> {
                inFlight.release();
                if (failure == null) counters.written(1);
                else counters.failed(failure);
            });
        }
    }

    @Override
    protected void drain() {
        try {
            if (inFlight.tryAcquire(MAX_IN_FLIGHT, DRAIN_SECONDS, TimeUnit.SECONDS)) inFlight.release(MAX_IN_FLIGHT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection.isOpen()) connection.close();
        }
    }
}
