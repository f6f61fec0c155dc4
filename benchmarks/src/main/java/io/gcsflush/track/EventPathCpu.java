package io.gcsflush.track;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.instrument.jedis.JedisEvents;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * {@link EventPathBenchmark}'s work timed in CPU time of the thread rather than wall time, for a machine shared with
 * other work (wall time then measures the neighbours): a tracker filled with TRACKED keys, then M pipelined Jedis SETs
 * (new keys, or rewrites of tracked keys in random order) recorded and drained 4,096 at a time; CPU ns per SET,
 * for ROUNDS rounds (each on a freshly filled tracker), the first WARM of them not counted.
 *
 * <pre>java -Xms6g -Xmx6g -cp benchmarks/target/benchmarks.jar io.gcsflush.track.EventPathCpu TRACKED M newKeys|rewrites [ROUNDS WARM]</pre>
 */
public final class EventPathCpu {
    public static void main(String[] args) throws Exception {
        int tracked = Integer.parseInt(args[0]);
        int m = Integer.parseInt(args[1]);
        boolean rewrites = args[2].equals("rewrites");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int warm = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        byte[] value = new byte[32];
        byte[] ok = {'O', 'K'};
        CommandArguments[] commands = new CommandArguments[m];
        Random random = new Random(42);
        for (int j = 0; j < m; j++) {
            commands[j] = new CommandArguments(Protocol.Command.SET)
                    .key(EventPathBenchmark.key(rewrites ? random.nextInt(tracked) : tracked + j)).add(value);
        }
        double[] perSet = new double[rounds - warm];
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            for (int r = 0; r < rounds; r++) {
                Tracker tracker = new Tracker(Long.MAX_VALUE);
                Recorder recorder = new Recorder();
                EventBuffer buffer = new EventBuffer(1 << 16);
                EventProcessor processor = new EventProcessor(buffer, tracker, recorder);
                processor.register(Bridge.JEDIS, new JedisEvents(new Sessions(tracker), recorder, false));
                buffer.record(Bridge.JEDIS | Bridge.SENT, socket,
                        new CommandArguments(Protocol.Command.SET).key(EventPathBenchmark.key(0)).add(value));
                buffer.record(Bridge.JEDIS | Bridge.RECEIVED, socket, ok);
                while (processor.drainOnce() > 0) { }
                KeyLog log = tracker.serversUnlocked().iterator().next().keys();
                for (int i = 1; i < tracked; i++) log.write(0, EventPathBenchmark.key(i), value.length, true);
                log.size(); // settled, where writes are settled in bulk
                System.gc();
                long cpu0 = threads.getCurrentThreadCpuTime();
                for (int j = 0; j < m; ) {
                    for (int end = Math.min(m, j + 4096); j < end; j++) {
                        buffer.record(Bridge.JEDIS | Bridge.SENT, socket, commands[j]);
                        buffer.record(Bridge.JEDIS | Bridge.RECEIVED, socket, ok);
                    }
                    while (processor.drainOnce() > 0) { }
                }
                long expected = tracked + (rewrites ? 0 : m);
                long keys = tracker.keys(); // settles what is pending: part of the cost
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                if (keys != expected || buffer.dropped() != 0) {
                    throw new IllegalStateException("tracked " + keys + " of " + expected + ", dropped " + buffer.dropped());
                }
                if (r >= warm) perSet[r - warm] = (double) cpu / m;
                System.out.printf(Locale.ROOT, "round %d: %.0f ns a SET (CPU)%n", r, (double) cpu / m);
            }
        }
        Arrays.sort(perSet);
        System.out.printf(Locale.ROOT, "RESULT tracked=%d m=%d %s: CPU ns a SET min/median/max %.0f/%.0f/%.0f%n",
                tracked, m, args[2], perSet[0], perSet[perSet.length / 2], perSet[perSet.length - 1]);
    }
}
