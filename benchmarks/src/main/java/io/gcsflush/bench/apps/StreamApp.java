package io.gcsflush.bench.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * The side-by-side benchmark's application: a Ray-like stream of metadata. Each operation, drawn from a seeded
 * random sequence that is the same in every run:
 * <pre>
 *   80%  SET of a new key task:%016d (numbered in the order written), VALUE_BYTES; one in five with EX 600..3600 s
 *   10%  GET of a recent key (among the last 10,000 written)
 *   10%  GET of any key written so far (an old one, mostly)
 * </pre>
 * MODE {@code full}: pipelines of {@value #PIPELINE} operations, as fast as it goes, OPS operations; a latency is one
 * pipeline's round trip. MODE {@code paced}: first PREFILL writes of new keys pipelined (not measured), then one
 * operation at a time at RATE a second, 2 s not measured then SECONDS measured; a latency runs from the time the
 * operation was due, not sent, so that a stall counts for every operation it delayed. An error reply (OOM under
 * noeviction) is counted, not thrown.
 *
 * <p>Prints {@code START}, a line {@code SECOND s ops errors p99us} each second (that second's operations), and
 * {@code RESULT newKeys=.. ops=.. errors=.. prefillErrors=.. seconds=.. opsPerSec=.. p50us=.. p99us=.. p999us=..
 * maxus=..} (the errors of the measured operations; those before them apart), then {@code FIRST_ERROR ...} if there
 * was one.
 *
 * <pre>StreamApp HOST PORT full OPS VALUE_BYTES SEED
 * StreamApp HOST PORT paced SECONDS VALUE_BYTES SEED RATE PREFILL</pre>
 */
public final class StreamApp {
    static final int PIPELINE = 100;
    static final int RECENT = 10_000;
    static final int WARMUP_SECONDS = 2;
    private static final long HIGHEST = TimeUnit.SECONDS.toMicros(60);

    private final SplittableRandom random;
    private final byte[] value;
    private final byte[] prefix = Keys.ascii("task:");
    private long newKeys;
    private long errors;
    /** Errors before the measured phase (the paced mode's prefill). */
    private long prefillErrors;
    private String firstError;

    StreamApp(long seed, int valueBytes) {
        random = new SplittableRandom(seed);
        value = Keys.value(valueBytes);
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String mode = args[2];
        long amount = Long.parseLong(args[3]);
        StreamApp app = new StreamApp(Long.parseLong(args[5]), Integer.parseInt(args[4]));
        try (Jedis jedis = new Jedis(host, port, 60_000)) {
            if (mode.equals("full")) {
                app.full(jedis, amount);
            } else if (mode.equals("paced")) {
                long prefill = Long.parseLong(args[7]);
                for (long done = 0; done < prefill; ) {
                    Pipeline p = jedis.pipelined();
                    List<Response<?>> replies = new ArrayList<>(PIPELINE);
                    for (int j = 0; j < PIPELINE && done < prefill; j++, done++) {
                        replies.add(app.write(p));
                    }
                    p.sync();
                    app.count(replies);
                }
                long rate = Long.parseLong(args[6]);
                // Not measured: the JIT's first compilations of the one-at-a-time path (and, with the agent, the
                // bookkeeping of the prefill) would otherwise be most of a short run's tail.
                app.paced(jedis, WARMUP_SECONDS, rate, false);
                app.prefillErrors = app.errors;
                app.errors = 0;
                app.paced(jedis, amount, rate, true);
            } else {
                throw new IllegalArgumentException("mode " + mode);
            }
        }
        System.out.flush();
    }

    byte[] nextKey() {
        return Keys.key(prefix, newKeys++, 16);
    }

    /** A write of a new key, as the stream writes them: one in five with a TTL. */
    Response<?> write(Pipeline p) {
        byte[] key = nextKey();
        return random.nextInt(5) == 0 ? p.set(key, value, SetParams.setParams().ex(random.nextInt(600, 3601)))
                : p.set(key, value);
    }

    /** One operation of the stream, into a pipeline. */
    Response<?> next(Pipeline p) {
        double r = random.nextDouble();
        if (r < 0.8 || newKeys == 0) return write(p);
        long index = r < 0.9 ? Math.max(0, newKeys - 1 - random.nextLong(Math.min(RECENT, newKeys)))
                : random.nextLong(newKeys);
        return p.get(Keys.key(prefix, index, 16));
    }

    /** One operation of the stream, sent alone. */
    void next(Jedis jedis) {
        double r = random.nextDouble();
        try {
            if (r < 0.8 || newKeys == 0) {
                byte[] key = nextKey();
                if (random.nextInt(5) == 0) jedis.set(key, value, SetParams.setParams().ex(random.nextInt(600, 3601)));
                else jedis.set(key, value);
                return;
            }
            long index = r < 0.9 ? Math.max(0, newKeys - 1 - random.nextLong(Math.min(RECENT, newKeys)))
                    : random.nextLong(newKeys);
            jedis.get(Keys.key(prefix, index, 16));
        } catch (JedisDataException e) {
            error(e.getMessage());
        }
    }

    void count(List<Response<?>> replies) {
        for (Response<?> r : replies) {
            try {
                r.get();
            } catch (JedisDataException e) {
                error(e.getMessage());
            }
        }
    }

    private void error(String message) {
        if (firstError == null) firstError = message;
        errors++;
    }

    void full(Jedis jedis, long ops) {
        Histogram all = new Histogram(HIGHEST, 3);
        Histogram second = new Histogram(HIGHEST, 3);
        System.out.println("START");
        long start = System.nanoTime();
        long nextSecond = start + TimeUnit.SECONDS.toNanos(1);
        long secondOps = 0;
        long secondErrors = errors;
        for (long done = 0; done < ops; ) {
            long t0 = System.nanoTime();
            Pipeline p = jedis.pipelined();
            List<Response<?>> replies = new ArrayList<>(PIPELINE);
            for (int j = 0; j < PIPELINE && done < ops; j++, done++) replies.add(next(p));
            p.sync();
            long t1 = System.nanoTime();
            count(replies);
            long micros = Math.max(1, (t1 - t0) / 1000);
            all.recordValue(Math.min(HIGHEST, micros));
            second.recordValue(Math.min(HIGHEST, micros));
            secondOps += replies.size();
            if (t1 >= nextSecond) {
                printSecond(start, t1, secondOps, errors - secondErrors, second);
                secondOps = 0;
                secondErrors = errors;
                nextSecond += TimeUnit.SECONDS.toNanos(1);
            }
        }
        result(start, ops, all);
    }

    void paced(Jedis jedis, long seconds, long rate, boolean measured) {
        Histogram all = new Histogram(HIGHEST, 3);
        Histogram second = new Histogram(HIGHEST, 3);
        if (measured) System.out.println("START");
        long start = System.nanoTime();
        long ops = seconds * rate;
        long nextSecond = start + TimeUnit.SECONDS.toNanos(1);
        long secondOps = 0;
        long secondErrors = errors;
        for (long i = 0; i < ops; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            while (wait > 50_000) { // park until close, then spin: parkNanos alone overshoots by tens of µs
                java.util.concurrent.locks.LockSupport.parkNanos(wait - 20_000);
                wait = due - System.nanoTime();
            }
            while (System.nanoTime() < due) Thread.onSpinWait();
            next(jedis);
            long done = System.nanoTime();
            long micros = Math.max(1, (done - due) / 1000);
            all.recordValue(Math.min(HIGHEST, micros));
            second.recordValue(Math.min(HIGHEST, micros));
            secondOps++;
            if (done >= nextSecond && measured) {
                printSecond(start, done, secondOps, errors - secondErrors, second);
                secondOps = 0;
                secondErrors = errors;
                nextSecond += TimeUnit.SECONDS.toNanos(1);
            }
        }
        if (measured) result(start, ops, all);
    }

    private static void printSecond(long start, long now, long ops, long errors, Histogram second) {
        System.out.printf(Locale.ROOT, "SECOND %.3f %d %d %d%n", (now - start) / 1e9, ops, errors,
                second.getValueAtPercentile(99));
        second.reset();
    }

    private void result(long start, long ops, Histogram all) {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "RESULT newKeys=%d ops=%d errors=%d prefillErrors=%d seconds=%.3f "
                        + "opsPerSec=%.0f p50us=%d p99us=%d p999us=%d maxus=%d%n", newKeys, ops, errors, prefillErrors,
                seconds, ops / seconds,
                all.getValueAtPercentile(50), all.getValueAtPercentile(99), all.getValueAtPercentile(99.9),
                all.getMaxValue());
        if (firstError != null) System.out.println("FIRST_ERROR " + firstError);
    }
}
