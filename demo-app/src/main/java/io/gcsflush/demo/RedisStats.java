package io.gcsflush.demo;

import java.time.Duration;
import redis.clients.jedis.Jedis;

/** Reads the server's {@code used_memory} and key count over a connection of its own. */
final class RedisStats implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Jedis jedis;

    RedisStats(RedisTarget target) {
        this.jedis = new Jedis(target.hostAndPort(), target.jedisConfig(TIMEOUT));
    }

    /** Checks that Redis answers; throws the client's exception when it does not. */
    void ping() {
        jedis.ping();
    }

    long usedMemory() {
        return usedMemory(jedis.info("memory"));
    }

    long keys() {
        return jedis.dbSize();
    }

    /** Picks {@code used_memory} out of an {@code INFO memory} reply. */
    static long usedMemory(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) return Long.parseLong(line.substring("used_memory:".length()).trim());
        }
        throw new IllegalStateException("INFO memory has no used_memory");
    }

    @Override
    public void close() {
        try {
            jedis.close();
        } catch (RuntimeException e) {
            // The server may be gone already (Ctrl-C reaches redis-server too); nothing to release then.
        }
    }
}
