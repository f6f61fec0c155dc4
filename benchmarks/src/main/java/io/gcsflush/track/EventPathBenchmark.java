package io.gcsflush.track;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.instrument.jedis.JedisEvents;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * The agent's whole work for pipelined Jedis {@code SET key value}s, with {@code tracked} keys already tracked: the
 * two hand-offs (the command sent, the plain reply read), then the event thread's part: drained from the buffer,
 * paired, decoded, interpreted and recorded in the tracker, all on one thread, in ns per SET. An invocation records
 * {@value #BATCH} SETs and drains them, as the event thread takes them in batches. The hand-off alone is
 * {@link BridgeSingleThreadBenchmark} (about 14 ns); the rest is the event thread's.
 *
 * <p>{@code writes=newKeys}: keys never written before (a key created, the commonest write); {@code rewrites}: keys
 * tracked already, in random order (a write to a key that keeps its place). Before each iteration the tracker is
 * filled again with exactly {@code tracked} keys; an iteration of 300 ms adds at most a few hundred thousand.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EventPathBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class EventPathBenchmark {
    static final int BATCH = 4096;
    /** Commands made up front: more than an iteration can apply (at 100 ns a SET, 300 ms is 3M). */
    static final int COMMANDS = 1 << 22;
    private static final byte[] OK = {'O', 'K'};

    @Param({"1000000", "10000000"})
    int tracked;

    /** {@code newKeys}: keys never written; {@code rewrites}: keys tracked already, in random order. */
    @Param({"newKeys", "rewrites"})
    String writes;

    private ServerSocket server;
    private Socket socket;
    private Socket accepted;
    private final byte[] value = new byte[32];
    /** The commands, made once: new keys follow the tracked ones; rewrites name tracked keys at random. */
    private CommandArguments[] commands;
    private int next;

    private Tracker tracker;
    private EventBuffer buffer;
    private EventProcessor processor;

    @Setup(Level.Trial)
    public void connect() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        accepted = server.accept();
        Random random = new Random(42);
        commands = new CommandArguments[COMMANDS];
        boolean rewrites = writes.equals("rewrites");
        for (int j = 0; j < COMMANDS; j++) commands[j] = set(rewrites ? random.nextInt(tracked) : tracked + j);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        socket.close();
        accepted.close();
        server.close();
    }

    /** A tracker holding exactly {@code tracked} keys, in the one server entry the connection writes to. */
    @Setup(Level.Iteration)
    public void fill() {
        tracker = new Tracker(Long.MAX_VALUE);
        Recorder recorder = new Recorder();
        buffer = new EventBuffer(1 << 16);
        processor = new EventProcessor(buffer, tracker, recorder);
        processor.register(Bridge.JEDIS, new JedisEvents(new Sessions(tracker), recorder, false));
        send(set(0)); // the session and its server entry
        drain();
        KeyLog log = tracker.serversUnlocked().iterator().next().keys();
        for (int i = 1; i < tracked; i++) log.write(0, key(i), value.length, true);
        next = 0;
        System.gc(); // the fill's garbage is not the measured path's
    }

    /** Every SET applied: each new key tracked, no event lost (a benchmark of work not done would be worthless). */
    @TearDown(Level.Iteration)
    public void check() {
        long expected = tracked + (writes.equals("newKeys") ? next : 0);
        if (next >= COMMANDS || buffer.dropped() != 0 || buffer.size() != 0 || tracker.keys() != expected) {
            throw new IllegalStateException("tracked " + tracker.keys() + " keys of " + expected + " after " + next
                    + " SETs; dropped " + buffer.dropped() + "; left " + buffer.size() + "; errors "
                    + processor.errors());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int apply() {
        for (int j = 0; j < BATCH; j++) send(commands[next++]);
        return drain();
    }

    private CommandArguments set(long i) {
        return new CommandArguments(Protocol.Command.SET).key(key(i)).add(value);
    }

    private void send(CommandArguments command) {
        buffer.record(Bridge.JEDIS | Bridge.SENT, socket, command);
        buffer.record(Bridge.JEDIS | Bridge.RECEIVED, socket, OK);
    }

    private int drain() {
        int n = 0;
        for (int d; (d = processor.drainOnce()) > 0; ) n += d;
        return n;
    }

    /** {@code key:%010d}, 14 bytes, as the end-to-end benchmarks write. */
    static byte[] key(long i) {
        byte[] k = {'k', 'e', 'y', ':', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'};
        for (int p = 13; p >= 4; p--) {
            k[p] = (byte) ('0' + (i % 10));
            i /= 10;
        }
        return k;
    }
}
