package io.gcsflush.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import redis.clients.jedis.Jedis;

/**
 * What the journal ({@code order=journal}) costs against the JVM's own order ({@code order=local}), in one run,
 * interleaved (local/journal, then journal/local), medians:
 * <ul>
 *   <li>the application's throughput and its process's CPU (user + sys, from /proc) for N pipelined SETs of 32 B;</li>
 *   <li>Redis's CPU ({@code used_cpu_user + used_cpu_sys}) over the same run, and the journal's part of it
 *       ({@code INFO commandstats}: the append, removal and head scripts' time, against SET's);</li>
 *   <li>Redis's memory for the journal: {@code used_memory} with the journal less without, once every key is in it,
 *       per key;</li>
 *   <li>the flush rate: one flush of N keys, keys removed a second (as RunAll's target 3, both orders).</li>
 * </ul>
 * <pre>java -cp benchmarks/target/benchmarks.jar io.gcsflush.bench.JournalCosts [N] [pairs]</pre>
 * Defaults: 1,000,000 keys, 5 pairs. Writes {@code benchmarks/results/journal/}.
 */
public final class JournalCosts {
    private final Path logs;
    private final List<String> notes = new ArrayList<>();

    private JournalCosts(Path logs) {
        this.logs = logs;
    }

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path out = Paths.resultsDir().resolve("journal");
        Files.createDirectories(out);
        JournalCosts costs = new JournalCosts(out);
        costs.note("JournalCosts N=" + n + " pairs=" + pairs + " commit " + RunAll.git("rev-parse", "--short", "HEAD")
                + ", agent sha256 " + RunAll.sha256(Paths.agentJar()).substring(0, 12));
        try (Redis redis = Redis.start(out, "journal")) {
            costs.note("redis " + redis.version());
            costs.writes(redis, n, pairs);
            costs.flushRate(redis, n, Math.max(2, pairs / 2));
        }
        Files.write(out.resolve("summary.txt"), costs.notes, StandardCharsets.UTF_8);
    }

    private void note(String line) {
        System.out.println(line);
        notes.add(line);
    }

    /** One writer run of each order, per pair, alternating which goes first. */
    private void writes(Redis redis, long n, int pairs) throws Exception {
        Stats[] throughput = {new Stats(), new Stats()};
        Stats[] appCpu = {new Stats(), new Stats()};
        Stats[] redisCpu = {new Stats(), new Stats()};
        Stats journalShare = new Stats();
        Stats bytesPerKey = new Stats();
        String[] orders = {"local", "journal"};
        for (int p = 0; p < pairs; p++) {
            double[] usedAfter = new double[2];
            for (int k = 0; k < 2; k++) {
                int o = (p % 2 == 0) ? k : 1 - k;
                Run run = write(redis, orders[o], n, p);
                throughput[o].add(run.opsPerSec);
                appCpu[o].add(run.appCpuSeconds);
                redisCpu[o].add(run.redisCpuSeconds);
                usedAfter[o] = run.usedMemory;
                if (o == 1) journalShare.add(run.journalUsec / Math.max(1, run.setUsec));
            }
            bytesPerKey.add((usedAfter[1] - usedAfter[0]) / (n + n / 10));
        }
        note(String.format(Locale.ROOT, "throughput journal/local = %.3f (journal %s, local %s ops/s)",
                throughput[1].median() / throughput[0].median(), throughput[1].describe("%.0f"),
                throughput[0].describe("%.0f")));
        note(String.format(Locale.ROOT, "application process CPU: journal %s s, local %s s; journal - local = %.0f ns "
                + "a key", appCpu[1].describe("%.2f"), appCpu[0].describe("%.2f"),
                (appCpu[1].median() - appCpu[0].median()) * 1e9 / (n + n / 10)));
        note(String.format(Locale.ROOT, "redis CPU: journal %s s, local %s s; the journal's scripts / SET's time "
                + "(commandstats) = %s", redisCpu[1].describe("%.2f"), redisCpu[0].describe("%.2f"),
                journalShare.describe("%.4f")));
        note(String.format(Locale.ROOT, "redis memory for the journal: %s bytes a key (keys of 14 bytes; goal <= 30)",
                bytesPerKey.describe("%.2f")));
    }

    private static final class Run {
        double opsPerSec;
        double appCpuSeconds;
        double redisCpuSeconds;
        double usedMemory;
        double journalUsec;
        double setUsec;
    }

    private Run write(Redis redis, String order, long n, int pair) throws Exception {
        redis.flushAll();
        try (Jedis j = redis.jedis()) {
            j.configResetStat();
        }
        Map<String, String> cpuBefore = redis.info("cpu");
        String agent = "threshold=1t,order=" + order + ",log=debug,log.sink=stderr,max-keys=" + (4 * n);
        Run run = new Run();
        String log = "write-" + pair + "-" + order + ".log";
        try (Child c = Child.start(logs.resolve(log), agent, List.of("-Xmx2g"), "io.gcsflush.bench.apps.WriteApp",
                "jedis-pipeline", redis.host, redis.port, n, n / 10, 32)) {
            Matcher m = c.await(RunAll.RESULT, 600);
            run.opsPerSec = Double.parseDouble(m.group(3));
            RunAll.awaitTracked(c, n + n / 10);
            if (order.equals("journal")) awaitJournal(redis, n + n / 10);
            run.appCpuSeconds = processCpuSeconds(c.process.pid());
            c.waitFor(60);
        }
        Map<String, String> cpuAfter = redis.info("cpu");
        run.redisCpuSeconds = cpu(cpuAfter) - cpu(cpuBefore);
        run.usedMemory = redis.usedMemory();
        Map<String, String> stats = redis.info("commandstats");
        run.setUsec = usec(stats, "cmdstat_set");
        run.journalUsec = usec(stats, "cmdstat_evalsha") + usec(stats, "cmdstat_script|load");
        note(String.format(Locale.ROOT, "%s: %.0f ops/s, application CPU %.2f s, redis CPU %.2f s, used_memory %d, "
                + "SET %.0f us, journal scripts %.0f us", log, run.opsPerSec, run.appCpuSeconds, run.redisCpuSeconds,
                (long) run.usedMemory, run.setUsec, run.journalUsec));
        return run;
    }

    /** One flush of n keys, as RunAll's target 3, with each order. */
    private void flushRate(Redis redis, long n, int runs) throws Exception {
        Stats[] rates = {new Stats(), new Stats()};
        String[] orders = {"local", "journal"};
        RunAll harness = RunAll.forLogs(logs);
        for (int r = 0; r < runs; r++) {
            for (int k = 0; k < 2; k++) {
                int o = (r % 2 == 0) ? k : 1 - k;
                redis.flushAll();
                rates[o].add(harness.agentFlush(redis, n, r, "order=" + orders[o]));
            }
        }
        note(String.format(Locale.ROOT, "flush rate journal/local = %.2f (journal %s keys/s, local %s keys/s)",
                rates[1].median() / rates[0].median(), rates[1].describe("%.0f"), rates[0].describe("%.0f")));
    }

    private static void awaitJournal(Redis redis, long keys) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Jedis j = redis.jedis()) {
                String k = j.hget("gcs-flush:journal:state", "keys");
                if (k != null && Long.parseLong(k) >= keys) return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the journal did not get " + keys + " keys");
    }

    /** User + sys CPU seconds of a live process, from /proc/PID/stat (clock ticks of 1/100 s). */
    static double processCpuSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static double cpu(Map<String, String> info) {
        return Double.parseDouble(info.get("used_cpu_user")) + Double.parseDouble(info.get("used_cpu_sys"));
    }

    private static double usec(Map<String, String> commandstats, String name) {
        String line = commandstats.get(name);
        if (line == null) return 0;
        for (String part : line.split(",")) if (part.startsWith("usec=")) return Double.parseDouble(part.substring(5));
        return 0;
    }
}
