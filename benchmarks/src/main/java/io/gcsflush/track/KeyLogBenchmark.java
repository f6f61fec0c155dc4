package io.gcsflush.track;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The tracker: {@link KeyLog} operations on 1,000,000 keys {@code key:%010d} (14 bytes), in ns per key. Each
 * invocation does all 1,000,000 (setup outside the timing), so growth, rehashing and reclaiming are included.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class KeyLogBenchmark {
    static final int N = 1_000_000;

    @State(Scope.Benchmark)
    public static class Keys {
        byte[][] keys = new byte[N][];
        int[] shuffled = new int[N];

        @Setup(Level.Trial)
        public void make() {
            for (int i = 0; i < N; i++) keys[i] = String.format("key:%010d", i).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < N; i++) shuffled[i] = i;
            Random r = new Random(42);
            for (int i = N - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
        }
    }

    /** An empty log before each invocation. */
    @State(Scope.Thread)
    public static class Empty {
        KeyLog log;

        @Setup(Level.Invocation)
        public void make() {
            log = new KeyLog();
        }
    }

    /** A log with the N keys, made once. */
    @State(Scope.Thread)
    public static class Full {
        KeyLog log;

        @Setup(Level.Trial)
        public void make(Keys k) {
            log = new KeyLog();
            for (byte[] key : k.keys) log.write(0, key, 32, true);
        }
    }

    /** A log with the N keys before each invocation (for removals). */
    @State(Scope.Thread)
    public static class Refilled {
        KeyLog log;

        @Setup(Level.Invocation)
        public void make(Keys k) {
            log = new KeyLog();
            for (byte[] key : k.keys) log.write(0, key, 32, true);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public KeyLog writeNew(Keys k, Empty e) {
        KeyLog log = e.log;
        for (byte[] key : k.keys) log.write(0, key, 32, true);
        return log;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public KeyLog rewrite(Keys k, Full f) {
        KeyLog log = f.log;
        for (int i : k.shuffled) log.write(0, k.keys[i], 32, true);
        return log;
    }

    /** Removes every key, in random order (DEL/UNLINK by the application). */
    @Benchmark
    @OperationsPerInvocation(N)
    public KeyLog removeRandom(Keys k, Refilled f) {
        KeyLog log = f.log;
        for (int i : k.shuffled) log.remove(0, k.keys[i]);
        return log;
    }

    /** Removes every key, oldest first (as a flush does). */
    @Benchmark
    @OperationsPerInvocation(N)
    public KeyLog removeOldestFirst(Keys k, Refilled f) {
        KeyLog log = f.log;
        for (byte[] key : k.keys) log.remove(0, key);
        return log;
    }

    /** Visits the 10,000 oldest keys, copying each name, as a flush picks its batch. */
    @Benchmark
    @OperationsPerInvocation(10_000)
    public int scanOldest10k(Full f, Blackhole bh) {
        return f.log.scanOldest(10_000, (handle, db, key) -> bh.consume(key));
    }
}
