package io.gcsflush.demo;

import java.util.List;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;

/** Writes entries through a Jedis pool, one pipelined batch at a time. */
final class JedisWriter extends MetadataWriter {
    private final JedisPooled jedis;

    JedisWriter(JedisPooled jedis, MetadataGenerator generator, WriteCounters counters, double rate) {
        super(generator, counters, rate);
        this.jedis = jedis;
    }

    @Override
    protected void writeBatch(int n) {
        try (Pipeline pipeline = jedis.pipelined()) {
            for (int i = 0; i < n; i++) {
                Entry e = generator.next();
                if (e.isHash()) pipeline.hset(e.key, e.fields);
                else pipeline.set(e.key, e.value);
            }
            List<Object> replies = pipeline.syncAndReturnAll();
            int ok = 0;
            for (Object reply : replies) {
                // An error reply (OOM, say) comes back in the list rather than thrown.
                if (reply instanceof Throwable) counters.failed((Throwable) reply);
                else ok++;
            }
            counters.written(ok);
        }
    }
}
