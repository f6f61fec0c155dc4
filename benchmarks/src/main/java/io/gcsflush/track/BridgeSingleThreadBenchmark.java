package io.gcsflush.track;

import io.gcsflush.bootstrap.Bridge;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MessagePassingQueue;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Bridge.record} into an installed {@link EventBuffer} with no second thread: the same thread drains the
 * buffer every 1,024 records, so the buffer never overflows and no cache line moves between cores. The pure cost of
 * the hand-off (and, with {@code -prof gc}, its allocation per event), without the contention of
 * {@link BridgeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BridgeSingleThreadBenchmark {
    private final Object source = new Object();
    private final Object payload = new Object();
    private EventBuffer buffer;
    private int n;
    private long drained;
    private final MessagePassingQueue.Consumer<Object> consumer = e -> drained++;

    @Setup(Level.Trial)
    public void install() {
        buffer = new EventBuffer(65536);
        Bridge.install(buffer);
    }

    @TearDown(Level.Trial)
    public void uninstall() {
        Bridge.install(null);
    }

    @Benchmark
    public void recordAndDrainEvery1024() {
        Bridge.record(Bridge.JEDIS | Bridge.SENT, source, payload);
        if ((++n & 1023) == 0) buffer.drain(consumer, 4096);
    }
}
