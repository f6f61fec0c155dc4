package io.gcsflush.instrument.jedis;

import io.gcsflush.command.CommandSpec;
import io.gcsflush.track.ArgsView;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/** What the event thread does with each Jedis SET before the tracker: classify it, and decode its arguments. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JedisReaderBenchmark {
    private final JedisReader reader = new JedisReader();
    private final CommandArguments set = new CommandArguments(Protocol.Command.SET)
            .key("key:0000000042".getBytes(StandardCharsets.US_ASCII)).add(new byte[32]);
    private final CommandArguments get = new CommandArguments(Protocol.Command.GET)
            .key("key:0000000042".getBytes(StandardCharsets.US_ASCII));
    private final ArgsView view = new ArgsView();

    @Benchmark
    public CommandSpec classifySet() {
        return reader.classify(set);
    }

    @Benchmark
    public CommandSpec classifyGet() {
        return reader.classify(get);
    }

    @Benchmark
    public ArgsView decodeSet() {
        reader.decode(set, view);
        return view;
    }
}
