package io.gcsflush.command;

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

/** The command table: looking a command up by name, and interpreting a SET with its reply. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CommandTableBenchmark {
    private final String set = "SET";
    private final String setLower = "set";
    private final String get = "GET";
    private final String xgroup = "XGROUP";
    private final byte[] create = "create".getBytes(StandardCharsets.US_ASCII);
    private final CommandSpec setSpec = CommandTable.lookup("SET", null);
    private final ArgsView setArgs = new ArgsView();
    private final ArgsView setExArgs = new ArgsView();
    private final Outcome ok = new Outcome();
    private final CountingOps ops = new CountingOps();

    {
        setArgs.add("key:0000000042".getBytes(StandardCharsets.US_ASCII));
        setArgs.add(new byte[32]);
        setExArgs.add("key:0000000042".getBytes(StandardCharsets.US_ASCII));
        setExArgs.add(new byte[32]);
        setExArgs.add("EX".getBytes(StandardCharsets.US_ASCII));
        setExArgs.add("60".getBytes(StandardCharsets.US_ASCII));
    }

    @Benchmark
    public CommandSpec lookupSet() {
        return CommandTable.lookup(set, null);
    }

    @Benchmark
    public CommandSpec lookupSetLowerCase() {
        return CommandTable.lookup(setLower, null);
    }

    /** A command that is not in the table (a read). */
    @Benchmark
    public CommandSpec lookupGetMiss() {
        return CommandTable.lookup(get, null);
    }

    @Benchmark
    public CommandSpec lookupSubcommand() {
        return CommandTable.lookup(xgroup, create);
    }

    /** SET key value, reply OK: one write and one persist on the key operations (which do nothing here). */
    @Benchmark
    public long interpretSet() {
        CommandInterpreter.apply(setSpec, setArgs, ok.value(2), ops);
        return ops.calls;
    }

    @Benchmark
    public long interpretSetEx() {
        CommandInterpreter.apply(setSpec, setExArgs, ok.value(2), ops);
        return ops.calls;
    }

    /** Key operations that only count. */
    static final class CountingOps implements KeyOps {
        long calls;

        @Override public void write(byte[] key, long bytes, boolean replace) { calls++; }
        @Override public boolean isTracked(byte[] key) { calls++; return true; }
        @Override public void delete(byte[] key) { calls++; }
        @Override public void rename(byte[] from, byte[] to) { calls++; }
        @Override public void move(byte[] key, int toDb) { calls++; }
        @Override public void copy(byte[] from, int toDb, byte[] to) { calls++; }
        @Override public void expireAt(byte[] key, long epochMillis) { calls++; }
        @Override public void persist(byte[] key) { calls++; }
        @Override public void flushDb() { calls++; }
        @Override public void flushAll() { calls++; }
        @Override public void swapDb(int a, int b) { calls++; }
        @Override public int db() { return 0; }
        @Override public long now() { return 1_700_000_000_000L; }
    }
}
