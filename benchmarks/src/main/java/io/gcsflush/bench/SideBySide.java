package io.gcsflush.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The agent against Redis's own eviction, side by side: one workload ({@code apps.StreamApp}, a Ray-like stream of
 * new keys, reads of recent and of old keys, one new key in five with a TTL), the same seeded sequence in every run,
 * at full pipelined speed and at a paced rate, under
 * <pre>
 *   ray           the agent, policy=ray (period=1s, batch=10000), no maxmemory
 *   adaptive      the agent, policy=adaptive (period=1s), no maxmemory
 *                 (both with max-keys above the keys the run may write, and log=debug for the events dropped, if any)
 *   allkeys-lru   maxmemory + allkeys-lru    (Redis samples maxmemory-samples=5 keys per eviction: approximated LRU)
 *   allkeys-lfu   maxmemory + allkeys-lfu
 *   volatile-ttl  maxmemory + volatile-ttl   (only keys with a TTL can go; then writes fail with OOM)
 *   noeviction    maxmemory + noeviction     (writes fail with OOM once full)
 * </pre>
 * the agent's threshold and maxmemory being the same limit. Each run has a fresh redis-server and a child JVM. For
 * each, over the measured phase (paced: after the prefill and a 2 s warm-up): peak {@code used_memory} against the
 * limit (sampled every 10 ms, and Redis's own {@code used_memory_peak}, which Redis takes at each INFO, the agent's
 * too, and each cron run), and its mean from the first time it reached 95% of the limit; <i>window fidelity</i>,
 * N being what fits under the limit (the keys the noeviction run
 * holds once full): of the newest N keys written, the share still present (recall), and of the keys present, the
 * share among the newest N (precision), both 100% for exact FIFO; the application's latency p50/p99/p99.9/max
 * (full speed: a pipeline of 100 operations' round trip; paced: one operation, from the time it was due), throughput
 * and error replies. Writes {@code results/side-by-side.md}, {@code side-by-side-<mode>.svg} (used_memory and each
 * second's p99 over time, a line per run) and {@code side-by-side-<mode>.csv}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.gcsflush.bench.SideBySide [--large]</pre>
 * Default: a 16 MiB limit, 500,000 operations at full speed, 120,000 keys then 15 s at 4,000 operations/s paced;
 * about 3 minutes. {@code --large}: 256 MiB, 10,000,000 operations, 2,000,000 keys then 60 s at 10,000/s. System
 * properties override: {@code -Dsbs.limit=16m}, {@code -Dsbs.full.ops=}, {@code -Dsbs.paced.seconds=},
 * {@code -Dsbs.paced.rate=}, {@code -Dsbs.paced.prefill=}, {@code -Dsbs.value=150}, {@code -Dsbs.seed=42},
 * {@code -Dsbs.modes=full,paced}, {@code -Dsbs.runs=ray,adaptive,allkeys-lru,allkeys-lfu,volatile-ttl,noeviction},
 * {@code -Dsbs.ray=period=1s,batch=10000}, {@code -Dsbs.adaptive=period=1s,policy=adaptive}, {@code -Dagent.jar=},
 * {@code -Dresults.dir=}.
 */
public final class SideBySide {
    static final Pattern RESULT = Pattern.compile("RESULT newKeys=(\\d+) ops=(\\d+) errors=(\\d+) prefillErrors=(\\d+) "
            + "seconds=([0-9.]+) opsPerSec=([0-9.]+) p50us=(\\d+) p99us=(\\d+) p999us=(\\d+) maxus=(\\d+)");
    static final Pattern SECOND = Pattern.compile("SECOND ([0-9.]+) (\\d+) (\\d+) (\\d+)");
    /** As StreamApp's: the paced mode's unmeasured first seconds, which also write keys. */
    static final long WARMUP_SECONDS = 2;
    static final List<String> ALL_RUNS = List.of("ray", "adaptive", "allkeys-lru", "allkeys-lfu", "volatile-ttl",
            "noeviction");

    /** One run's figures. */
    static final class Run {
        final String name;
        final String mode;
        final List<Double> t = new ArrayList<>();
        final List<Long> used = new ArrayList<>();
        final List<Double> secondT = new ArrayList<>();
        final List<Long> secondP99 = new ArrayList<>();
        long limit;
        long baseline;
        long peak;
        double mean;
        long newKeys;
        long ops;
        long errors;
        long prefillErrors;
        double seconds;
        double opsPerSec;
        long p50;
        long p99;
        long p999;
        long max;
        String firstError;
        BitSet present = new BitSet();
        long otherKeys;
        double recall = Double.NaN;
        double precision = Double.NaN;
        int flushes;
        /** Events the agent dropped (its buffer full): keys it did not track. */
        long dropped;

        Run(String name, String mode) {
            this.name = name;
            this.mode = mode;
        }
    }

    final long limit;
    final String limitText;
    final long fullOps;
    final long pacedSeconds;
    final long pacedRate;
    final long prefill;
    final int valueBytes;
    final long seed;
    final Path results;
    final Path logs;

    SideBySide(boolean large) throws Exception {
        limitText = System.getProperty("sbs.limit", large ? "256m" : "16m");
        limit = parseSize(limitText);
        fullOps = Long.getLong("sbs.full.ops", large ? 10_000_000 : 500_000);
        pacedSeconds = Long.getLong("sbs.paced.seconds", large ? 60 : 15);
        pacedRate = Long.getLong("sbs.paced.rate", large ? 10_000 : 4_000);
        prefill = Long.getLong("sbs.paced.prefill", large ? 2_000_000 : 120_000);
        valueBytes = Integer.getInteger("sbs.value", 150);
        seed = Long.getLong("sbs.seed", 42);
        results = Paths.resultsDir();
        logs = results.resolve("logs");
        Files.createDirectories(logs);
    }

    public static void main(String[] args) throws Exception {
        boolean large = false;
        for (String a : args) {
            if (a.equals("--large")) large = true;
            else throw new IllegalArgumentException("usage: SideBySide [--large]; not " + a);
        }
        SideBySide s = new SideBySide(large);
        List<String> modes = List.of(System.getProperty("sbs.modes", "full,paced").split(","));
        List<String> runs = List.of(System.getProperty("sbs.runs", String.join(",", ALL_RUNS)).split(","));
        StringBuilder md = new StringBuilder();
        md.append(s.header()).append('\n');
        long t0 = System.nanoTime();
        for (String mode : modes) {
            List<Run> done = new ArrayList<>();
            for (String name : runs) {
                Run r = s.run(name.trim(), mode.trim());
                done.add(r);
                System.out.println("  " + s.oneLine(r));
            }
            long fit = s.windowSize(done);
            for (Run r : done) fidelity(r, fit);
            String table = s.table(mode, done, fit);
            System.out.println(table);
            md.append(table).append('\n');
            Files.writeString(s.results.resolve("side-by-side-" + mode + ".svg"), Svg.sideBySide(done, s.limit,
                    s.subtitle(mode)));
            s.csv(mode, done);
        }
        md.append(String.format(Locale.ROOT, "(all took %.0f s)%n", (System.nanoTime() - t0) / 1e9));
        Files.writeString(s.results.resolve("side-by-side.md"), md.toString());
        System.out.println("written " + s.results.resolve("side-by-side.md") + " and side-by-side-*.svg, *.csv");
        System.exit(0);
    }

    String header() throws Exception {
        String redis;
        try {
            Process p = new ProcessBuilder(Redis.binary(), "--version").redirectErrorStream(true).start();
            redis = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (Exception e) {
            redis = e.toString();
        }
        return String.format(Locale.ROOT, "side by side %s: limit %s, values of %d B, seed %d; full speed: %,d "
                        + "operations in pipelines of 100; paced: %,d writes pipelined, 2 s unmeasured, then %,d "
                        + "operations/s for %d s; %d cores; JDK %s; %s; agent %s (source %s)%n",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), limitText, valueBytes, seed,
                fullOps, prefill, pacedRate, pacedSeconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.runtime.version"), redis, Paths.agentJar(),
                RunAll.git("rev-parse", "--short", "HEAD"));
    }

    String subtitle(String mode) {
        return mode.equals("full")
                ? String.format(Locale.ROOT, "full speed: %,d operations, pipelines of 100; limit %s", fullOps,
                        limitText)
                : String.format(Locale.ROOT, "paced: %,d writes, 2 s unmeasured, then %,d operations/s for %d s; "
                        + "limit %s", prefill, pacedRate, pacedSeconds, limitText);
    }

    Run run(String name, String mode) throws Exception {
        Run r = new Run(name, mode);
        r.limit = limit;
        String agent = null;
        // Every key the run may write stays trackable (the default cap is 5% of the heap), and the agent's statistics
        // line says whether it dropped events (keys it then never tracks, and never removes).
        long mostKeys = mode.equals("full") ? fullOps : prefill + (WARMUP_SECONDS + pacedSeconds) * pacedRate;
        String common = "threshold=" + limit + ",max-keys=" + (mostKeys + 1000) + ",log=debug,";
        List<String> redisArgs = new ArrayList<>();
        switch (name) {
            case "ray":
                agent = common + System.getProperty("sbs.ray", "period=1s,batch=10000");
                break;
            case "adaptive":
                agent = common + System.getProperty("sbs.adaptive", "period=1s,policy=adaptive");
                break;
            case "allkeys-lru":
            case "allkeys-lfu":
            case "volatile-ttl":
            case "noeviction":
                redisArgs.addAll(List.of("--maxmemory", Long.toString(limit), "--maxmemory-policy", name));
                break;
            default:
                throw new IllegalArgumentException("no run " + name + "; runs: " + ALL_RUNS);
        }
        String tag = "sbs-" + mode + "-" + name;
        try (Redis redis = Redis.start(logs, tag, redisArgs.toArray(new String[0]));
             Jedis info = redis.jedis()) {
            r.baseline = usedMemory(info);
            List<Object> args = new ArrayList<>(List.of(redis.host, redis.port, mode,
                    mode.equals("full") ? fullOps : pacedSeconds, valueBytes, seed));
            if (mode.equals("paced")) {
                args.add(pacedRate);
                args.add(prefill);
            }
            String heap = mostKeys > 2_000_000 ? "-Xmx3g" : "-Xmx1g";
            try (Child c = Child.start(logs.resolve(tag + ".log"), agent, List.of("-Xms1g", heap),
                    "io.gcsflush.bench.apps.StreamApp", args.toArray())) {
                long start = System.nanoTime();
                long next = start;
                double sum = 0;
                int n = 0;
                double sumAll = 0;
                int nAll = 0;
                double startAt = -1;
                long peakAtStart = Long.MAX_VALUE;
                while (c.process.isAlive() && c.last(l -> l.startsWith("RESULT")) == null) {
                    long used = usedMemory(info);
                    double t = (System.nanoTime() - start) / 1e9;
                    r.t.add(t);
                    r.used.add(used);
                    if (startAt < 0 && c.last(l -> l.equals("START")) != null) {
                        startAt = t;
                        // Redis's used_memory_peak cannot be reset (CONFIG RESETSTAT leaves it): if it is higher at
                        // the end than here, it was reached in the measured phase.
                        peakAtStart = Long.parseLong(Redis.parseInfo(info.info("memory")).get("used_memory_peak"));
                        r.peak = 0;
                    }
                    if (startAt >= 0) {
                        r.peak = Math.max(r.peak, used);
                        sumAll += used;
                        nAll++;
                    }
                    // The mean of the steady state: from the first time memory reached the limit (less 5%) on.
                    if (startAt >= 0 && (n > 0 || used >= limit * 0.95)) {
                        sum += used;
                        n++;
                    }
                    next += 10_000_000L; // well within a cycle of the adaptive policy and of Redis's eviction
                    long wait = next - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Matcher m = RESULT.matcher(c.await(l -> l.startsWith("RESULT"), 3600));
                if (!m.find()) throw new IllegalStateException("no RESULT in " + c.logFile);
                r.mean = n > 0 ? sum / n : nAll > 0 ? sumAll / nAll : 0; // never near the limit: the whole phase's
                Map<String, String> mem = Redis.parseInfo(info.info("memory"));
                long redisPeak = Long.parseLong(mem.get("used_memory_peak"));
                if (redisPeak > peakAtStart) r.peak = Math.max(r.peak, redisPeak);
                r.newKeys = Long.parseLong(m.group(1));
                r.ops = Long.parseLong(m.group(2));
                r.errors = Long.parseLong(m.group(3));
                r.prefillErrors = Long.parseLong(m.group(4));
                r.seconds = Double.parseDouble(m.group(5));
                r.opsPerSec = Double.parseDouble(m.group(6));
                r.p50 = Long.parseLong(m.group(7));
                r.p99 = Long.parseLong(m.group(8));
                r.p999 = Long.parseLong(m.group(9));
                r.max = Long.parseLong(m.group(10));
                // The window as the application left it: the agent's flusher ends with the child.
                present(info, r);
                if (c.waitFor(60) != 0) throw new IllegalStateException("the application failed; see " + c.logFile);
                String first = c.last(l -> l.startsWith("FIRST_ERROR "));
                r.firstError = first == null ? null : first.substring("FIRST_ERROR ".length());
                // The per-second lines count from the application's START; the samples, from the child's start.
                double offset = Math.max(0, startAt);
                for (String line : c.lines()) {
                    Matcher s = SECOND.matcher(line);
                    if (s.matches()) {
                        r.secondT.add(Double.parseDouble(s.group(1)) + offset);
                        r.secondP99.add(Long.parseLong(s.group(4)));
                    }
                }
                r.flushes = (int) c.lines().stream().filter(l -> l.contains(" flushed ")).count();
                String stats = c.last(l -> RunAll.TRACKING.matcher(l).find());
                if (stats != null) {
                    Matcher d = RunAll.TRACKING.matcher(stats);
                    if (d.find()) r.dropped = Long.parseLong(d.group(2));
                }
            }
        }
        return r;
    }

    static long usedMemory(Jedis j) {
        return Long.parseLong(Redis.parseInfo(j.info("memory")).get("used_memory"));
    }

    /** Which task:N keys are present, by SCAN. */
    static void present(Jedis j, Run r) {
        ScanParams params = new ScanParams().match("*").count(10_000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = j.scan(cursor, params);
            for (String key : page.getResult()) {
                if (key.startsWith("task:")) r.present.set((int) Long.parseLong(key.substring(5)));
                else r.otherKeys++;
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    /**
     * N, what fits under the limit: the keys the noeviction run holds (it took writes until full and no more); without
     * it, those of the other maxmemory runs (the median); without those, the limit over what a key of the first run
     * cost.
     */
    long windowSize(List<Run> runs) {
        for (Run r : runs) if (r.name.equals("noeviction")) return r.present.cardinality();
        Stats s = new Stats();
        for (Run r : runs) {
            if (r.name.startsWith("allkeys") || r.name.startsWith("volatile")) s.add(r.present.cardinality());
        }
        if (s.size() > 0) return (long) s.median();
        Run r = runs.get(0);
        double perKey = (double) (r.used.get(r.used.size() - 1) - r.baseline) / Math.max(1, r.present.cardinality());
        return (long) ((limit - r.baseline) / perKey);
    }

    static void fidelity(Run r, long n) {
        long from = Math.max(0, r.newKeys - n);
        int inWindow = r.present.get((int) from, (int) r.newKeys).cardinality();
        r.recall = (double) inWindow / Math.min(n, r.newKeys);
        int present = r.present.cardinality();
        r.precision = present == 0 ? Double.NaN : (double) inWindow / present;
    }

    String oneLine(Run r) {
        return String.format(Locale.ROOT, "%s %s: peak %.1f MiB, %,d keys written, %,d present, %.0f ops/s, p99 %.2f "
                        + "ms, "
                        + "%,d errors%s%s", r.mode, r.name, r.peak / 1048576.0, r.newKeys, r.present.cardinality(),
                r.opsPerSec, r.p99 / 1000.0, r.errors,
                r.prefillErrors > 0 ? " (+" + r.prefillErrors + " in the prefill)" : "",
                r.flushes > 0 ? ", " + r.flushes + " flushes" : "");
    }

    String table(String mode, List<Run> runs, long n) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n%s (limit %s = %.1f MiB; N, what fits under it, = %,d keys)%n%n",
                subtitle(mode), limitText, limit / 1048576.0, n));
        b.append("| run | peak used_memory (× limit) | mean | newest N present | present among newest N | ops/s | "
                + "p50 ms | p99 ms | p99.9 ms | max ms | errors |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            b.append(String.format(Locale.ROOT, "| %s | %.1f MiB (%.3f) | %.1f MiB | %.1f%% | %.1f%% | %,.0f | %.2f | "
                            + "%.2f "
                            + "| %.2f | %.1f | %,d%s |%n", r.name, r.peak / 1048576.0, (double) r.peak / limit,
                    r.mean / 1048576.0, 100 * r.recall, 100 * r.precision, r.opsPerSec, r.p50 / 1000.0,
                    r.p99 / 1000.0, r.p999 / 1000.0, r.max / 1000.0, r.errors,
                    r.prefillErrors > 0 ? String.format(Locale.ROOT, " (+%,d in the prefill)", r.prefillErrors) : ""));
        }
        for (Run r : runs) {
            if (r.firstError != null) b.append("\n").append(r.name).append(": first error: ").append(r.firstError);
            if (r.dropped > 0) {
                b.append("\n").append(r.name).append(": WARNING the agent dropped ").append(r.dropped)
                        .append(" events (keys it did not track)");
            }
        }
        return b.append('\n').toString();
    }

    void csv(String mode, List<Run> runs) throws Exception {
        Path file = results.resolve("side-by-side-" + mode + ".csv");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("run,series,seconds,value");
            for (Run r : runs) {
                for (int i = 0; i < r.t.size(); i++) {
                    w.println(r.name + ",used_memory," + r.t.get(i) + "," + r.used.get(i));
                }
                for (int i = 0; i < r.secondT.size(); i++) {
                    w.println(r.name + ",p99_us," + r.secondT.get(i) + "," + r.secondP99.get(i));
                }
            }
        }
    }

    static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * unit;
    }
}
