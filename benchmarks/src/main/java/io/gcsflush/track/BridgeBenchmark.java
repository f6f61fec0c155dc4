package io.gcsflush.track;

import io.gcsflush.bootstrap.Bridge;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MessagePassingQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * The application thread's cost of one hook: {@code Bridge.record} into an installed {@link EventBuffer} (65,536
 * events; the agent's default is 262,144, which makes no difference while the drainer keeps up) while another thread
 * drains it, as the agent's event thread does. The drainer only drains: it
 * is faster than the real event thread, so this is the cost when the buffer has room. Run with {@code -prof gc} for
 * the allocation per event.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BridgeBenchmark {
    private final Object source = new Object();
    private final Object payload = new Object();
    private EventBuffer buffer;
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
        System.out.printf("%n  [drained %,d events, dropped %,d]%n", drained, buffer.dropped());
    }

    @Benchmark
    @Group("recordWhileDrained")
    @GroupThreads(1)
    public void record() {
        Bridge.record(Bridge.JEDIS | Bridge.SENT, source, payload);
    }

    @Benchmark
    @Group("recordWhileDrained")
    @GroupThreads(1)
    public int drain() {
        return buffer.drain(consumer, 4096);
    }
}
