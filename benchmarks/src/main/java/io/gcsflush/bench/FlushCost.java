package io.gcsflush.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * What one flush of N keys costs Redis: the figure the adaptive policy's bound per flush ({@code max-batch}) is chosen
 * from. For each N, a fresh set of N Ray-like keys ({@code task:%016d}, VALUE_BYTES each) is removed exactly as the
 * agent's flush removes them: UNLINK with 256 keys a command, every command of the flush written before the first
 * reply is read. Meanwhile a probe client (another connection, one GET at a time, as a latency-sensitive application
 * thread) measures what it waits. Reported per N, median of RUNS: the flush's wall time, the time Redis spent in
 * UNLINK ({@code INFO commandstats} usec, reset before each flush), and the probe's worst and 99th-percentile latency
 * during the flush against the same probe while nothing is flushed.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.gcsflush.bench.FlushCost [N,N,...] [RUNS] [VALUE_BYTES]</pre>
 * Defaults: 1000,2500,5000,10000,20000,40000 keys, 5 runs, 100-byte values. Writes results/flush-cost.txt.
 */
public final class FlushCost {
    /** As the agent's UnlinkAction. */
    static final int KEYS_PER_COMMAND = 256;

    public static void main(String[] args) throws Exception {
        String sizes = args.length > 0 ? args[0] : "1000,2500,5000,10000,20000,40000";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int valueBytes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path results = Paths.resultsDir();
        Path logs = results.resolve("logs");
        Files.createDirectories(logs);
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "flush cost: UNLINK of N keys task:%%016d with %d-byte values, %d keys a "
                + "command, pipelined; median of %d runs (min-max)", valueBytes, KEYS_PER_COMMAND, runs));
        out.add("N | wall ms | Redis usec in UNLINK | usec/key | probe GET max ms (idle) | probe p99 ms (idle)");
        try (Redis redis = Redis.start(logs, "flush-cost")) {
            out.set(0, out.get(0) + "; Redis " + redis.version());
            for (String s : sizes.split(",")) {
                int n = Integer.parseInt(s.trim());
                double[][] m = new double[runs][];
                for (int r = 0; r < runs; r++) m[r] = once(redis, n, valueBytes);
                String line = String.format(Locale.ROOT, "%d | %s | %s | %s | %s (%s) | %s (%s)", n, col(m, 0, "%.1f"),
                        col(m, 1, "%.0f"), col(m, 2, "%.3f"), col(m, 3, "%.2f"), col(m, 4, "%.2f"), col(m, 5, "%.2f"),
                        col(m, 6, "%.2f"));
                System.out.println(line);
                out.add(line);
            }
        }
        Files.write(results.resolve("flush-cost.txt"), out, StandardCharsets.UTF_8);
        System.out.println("written " + results.resolve("flush-cost.txt"));
    }

    private static String col(double[][] m, int c, String format) {
        Stats s = new Stats();
        for (double[] row : m) s.add(row[c]);
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", s.median(), s.min(), s.max());
    }

    /** One flush: {wall ms, usec in UNLINK, usec a key, probe max ms, idle max ms, probe p99 ms, idle p99 ms}. */
    static double[] once(Redis redis, int n, int valueBytes) throws Exception {
        byte[] value = new byte[valueBytes];
        java.util.Arrays.fill(value, (byte) 'v');
        List<byte[]> keys = new ArrayList<>(n);
        try (Jedis j = redis.jedis()) {
            j.flushAll();
            j.set("probe", "x");
            Pipeline p = j.pipelined();
            for (int i = 0; i < n; i++) {
                byte[] k = String.format(Locale.ROOT, "task:%016d", i).getBytes(StandardCharsets.US_ASCII);
                keys.add(k);
                p.set(k, value);
                if (i % 1000 == 999) p.sync();
            }
            p.sync();
        }
        Probe probe = new Probe(redis);
        Thread t = new Thread(probe, "probe");
        t.start();
        try (Jedis flusher = redis.jedis()) {
            Thread.sleep(300); // the probe's warm-up, not counted
            probe.phase = 0;
            Thread.sleep(300); // the probe's idle baseline
            flusher.configResetStat();
            probe.phase = 1;
            long start = System.nanoTime();
            Pipeline p = flusher.pipelined();
            for (int from = 0; from < n; from += KEYS_PER_COMMAND) {
                p.unlink(keys.subList(from, Math.min(n, from + KEYS_PER_COMMAND)).toArray(new byte[0][]));
            }
            p.sync();
            double wallMs = (System.nanoTime() - start) / 1e6;
            probe.phase = 2;
            Map<String, String> stats = Redis.parseInfo(flusher.info("commandstats"));
            String unlink = stats.get("cmdstat_unlink");
            double usec = Double.parseDouble(unlink.replaceAll(".*usec=(\\d+).*", "$1"));
            long left = flusher.dbSize();
            if (left != 1) throw new IllegalStateException(left + " keys left after the flush, not the probe's 1");
            t.join();
            return new double[] {wallMs, usec, usec / n, probe.during.getMaxValue() / 1e6,
                    probe.idle.getMaxValue() / 1e6, probe.during.getValueAtPercentile(99) / 1e6,
                    probe.idle.getValueAtPercentile(99) / 1e6};
        }
    }

    /** GETs one at a time; a call is counted in the phase in which it ended. */
    static final class Probe implements Runnable {
        final Histogram idle = new Histogram(3_600_000_000_000L, 3);
        final Histogram during = new Histogram(3_600_000_000_000L, 3);
        volatile int phase = -1;
        private final Redis redis;

        Probe(Redis redis) {
            this.redis = redis;
        }

        @Override
        public void run() {
            try (Jedis j = redis.jedis()) {
                while (true) {
                    int before = phase;
                    long t0 = System.nanoTime();
                    j.get("probe");
                    long took = System.nanoTime() - t0;
                    int after = phase;
                    if (after == 2 && before == 2) return;
                    if (before < 0) continue;
                    // A GET that overlapped the flush at all counts as during it.
                    (before == 0 && after == 0 ? idle : during).recordValue(took);
                }
            }
        }
    }
}
