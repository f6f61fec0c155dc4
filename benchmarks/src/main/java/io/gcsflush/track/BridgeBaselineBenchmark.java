package io.gcsflush.track;

import io.gcsflush.bootstrap.Bridge;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Baselines for {@link BridgeBenchmark}: an empty method, and {@code Bridge.record} with no agent installed. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BridgeBaselineBenchmark {
    private final Object source = new Object();
    private final Object payload = new Object();

    @Setup(Level.Trial)
    public void uninstall() {
        Bridge.install(null);
    }

    @Benchmark
    public void empty() {
        // nothing: the harness's own cost
    }

    @Benchmark
    public void recordNoAgent() {
        Bridge.record(Bridge.JEDIS | Bridge.SENT, source, payload);
    }
}
