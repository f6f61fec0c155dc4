package io.gcsflush.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/**
 * The end-to-end benchmarks of the issue "Performance by design", targets 1 to 6, and 7 (young collections). Each target runs real
 * redis-servers and child JVMs, with the agent ({@code -javaagent:agent/target/gcs-flush.jar}) and without,
 * interleaved, and prints one line per figure, {@code target N: <name>: ... = X (min/median/max ...)}. Results and the
 * children's logs go to {@code benchmarks/results/}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.gcsflush.bench.RunAll [--quick] [--only=1,2,...] [--runs=N]</pre>
 * System properties: {@code -Dagent.jar=} (default: agent/target/gcs-flush.jar beside this module),
 * {@code -Dt1.agent=} (target 1's agent argument), {@code -Dt1.modes=a,b,c}, {@code -Dt1.single.n=},
 * {@code -Dt1.warmup=} and {@code -Dt1.single.warmup=} (SETs before the timed ones),
 * {@code -Dt2.sizes=1000000,10000000},
 * {@code -Dt2.rate=} (keys/s the memory app writes at; {@code -Dt2.rate.N=} for one size),
 * {@code -Dt2.agent.extra=} (more agent settings; {@code -Dt2.agent.extra.N=}), {@code -Dt3.n=},
 * {@code -Dt3.rate=}, {@code -Dt3.bench.keys=}, {@code -Dt3.bench.requests=}, {@code -Dt4.n=}, {@code -Dt4.batch=},
 * {@code -Dt4.buffer=}, {@code -Dt4.tag=} (suffix of target 4's files), {@code -Dt4.sample.ms=} (10),
 * {@code -Dt4.adaptive.extra=} (more settings for the adaptive run, such as {@code max-batch=20000}),
 * {@code -Dresults.dir=},
 * {@code -Dbench.echo=true} (echo the children's output), {@code -Djfr=true} (target 1: a JFR recording of each
 * child with the agent, in results/); target 1's series: {@code -Dt1.series=base,tracked,neighbour},
 * {@code -Dt1.tracked=} (keys tracked before the timed part in the "tracked" series, 5,000,000),
 * {@code -Dt1.jvm=} (the children's JVM flags, {@code -Xmx2g}), {@code -Dotel.jar=} (the OpenTelemetry Java agent's
 * jar: a third column, that agent with its exporters off); target 7: {@code -Dt7.n=}, {@code -Dt7.rate=}.
 */
public final class RunAll {
    static final Pattern RESULT = Pattern.compile("RESULT ops=(\\d+) seconds=([0-9.]+) opsPerSec=([0-9.]+)");
    /** The agent's default {@code buffer} (README). */
    static final long DEFAULT_BUFFER = 262_144;
    static final Pattern TRACKING = Pattern.compile("tracking (\\d+) keys .* (\\d+) events dropped; buffer (\\d+)/(\\d+)");
    static final Pattern FLUSHED = Pattern.compile(
            "flushed .*: used_memory (.+?) -> (.+?); removed (\\d+) of the (\\d+) oldest keys .*; (\\d+) ms");
    static final Pattern WRITTEN = Pattern.compile("WRITTEN (\\d+) ([0-9.]+)");
    static final Pattern HEAP = Pattern.compile("HEAP used=(\\d+) committed=(\\d+)");

    final boolean quick;
    final int runsOverride;
    final Path results;
    final Path logs;
    final PrintWriter summary;
    String redisVersion = "?";

    RunAll(boolean quick, int runsOverride) throws Exception {
        this.quick = quick;
        this.runsOverride = runsOverride;
        results = Paths.resultsDir();
        logs = results.resolve("logs");
        Files.createDirectories(logs);
        summary = new PrintWriter(Files.newBufferedWriter(results.resolve(quick ? "summary-quick.txt" : "summary.txt"),
                StandardCharsets.UTF_8), true);
    }

    /** A harness whose notes go to {@code dir/runall.txt}: for another benchmark that reuses one of its targets. */
    static RunAll forLogs(Path dir) throws Exception {
        return new RunAll(dir);
    }

    private RunAll(Path dir) throws Exception {
        quick = false;
        runsOverride = 0;
        results = dir;
        logs = dir;
        summary = new PrintWriter(Files.newBufferedWriter(dir.resolve("runall.txt"), StandardCharsets.UTF_8), true);
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int runs = 0;
        Set<String> only = new HashSet<>();
        for (String a : args) {
            if (a.equals("--quick")) quick = true;
            else if (a.startsWith("--only=")) only.addAll(Arrays.asList(a.substring(7).split(",")));
            else if (a.startsWith("--runs=")) runs = Integer.parseInt(a.substring(7));
            else throw new IllegalArgumentException("usage: RunAll [--quick] [--only=1,2,...] [--runs=N]; not " + a);
        }
        RunAll run = new RunAll(quick, runs);
        run.machine();
        long t0 = System.nanoTime();
        for (String t : List.of("6", "5", "1", "7", "2", "3", "4")) {
            if (!only.isEmpty() && !only.contains(t)) continue;
            long start = System.nanoTime();
            switch (t) {
                case "1": run.target1(); break;
                case "2": run.target2(); break;
                case "3": run.target3(); break;
                case "4": run.target4(); break;
                case "5": run.target5(); break;
                case "6": run.target6(); break;
                case "7": run.target7(); break;
                default: break;
            }
            run.note(String.format(Locale.ROOT, "(target %s took %.0f s)", t, (System.nanoTime() - start) / 1e9));
        }
        run.note(String.format(Locale.ROOT, "(all took %.0f s)", (System.nanoTime() - t0) / 1e9));
        run.summary.close();
        System.exit(0);
    }

    int runs(int full, int quickRuns) {
        return runsOverride > 0 ? runsOverride : quick ? quickRuns : full;
    }

    void report(String line) {
        System.out.println(line);
        summary.println(line);
    }

    void note(String line) {
        System.out.println("  " + line);
        summary.println("  " + line);
    }

    // ------------------------------------------------------------------ machine

    void machine() throws Exception {
        String cpu = "?";
        for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (l.startsWith("model name")) {
                cpu = l.substring(l.indexOf(':') + 1).trim();
                break;
            }
        }
        String mem = "?";
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (l.startsWith("MemTotal")) mem = l.replaceAll("\\D+", "") + " kB";
        }
        String os = "?";
        Path osRelease = Path.of("/etc/os-release");
        if (Files.exists(osRelease)) {
            for (String l : Files.readAllLines(osRelease)) {
                if (l.startsWith("PRETTY_NAME=")) os = l.substring(12).replace("\"", "");
            }
        }
        String redis = "?";
        try {
            Process p = new ProcessBuilder(Redis.binary(), "--version").redirectErrorStream(true).start();
            redis = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (Exception e) {
            redis = e.toString();
        }
        report("gcs-flush benchmarks " + (quick ? "(--quick: smoke run, small N, figures not meaningful) " : "")
                + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        report("machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", RAM " + mem + ", " + os
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + "; JDK "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + "; " + redis);
        Path built = Paths.builtAgentJar();
        Path jar = Paths.agentJar();
        report("agent: " + built + " (" + Files.size(jar) + " bytes, sha256 " + sha256(jar).substring(0, 16)
                + ", built " + Files.getLastModifiedTime(built) + "; run from the copy " + jar + "); source: "
                + System.getProperty("agent.source", git("rev-parse", "--short", "HEAD")
                        + (git("status", "--porcelain", "agent").isEmpty() ? "" : " + uncommitted changes under agent/"))
                + "; apps: " + Paths.appsJar());
    }

    static String sha256(Path p) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
        StringBuilder b = new StringBuilder();
        for (byte x : d) b.append(String.format("%02x", x));
        return b.toString();
    }

    /** A git command in the source tree the agent jar came from; "?" when there is none. */
    static String git(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("git", "-C", Paths.builtAgentJar().getParent().getParent()
                    .getParent().toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "?";
        } catch (Exception e) {
            return "?";
        }
    }

    // ------------------------------------------------------------------ target 1

    void target1() throws Exception {
        int runs = runs(5, 2);
        long n = quick ? 20_000 : 1_000_000;
        long warm = quick ? 5_000 : Long.getLong("t1.warmup", 100_000);
        long nSingle = quick ? 5_000 : Long.getLong("t1.single.n", 200_000);
        long warmSingle = quick ? 1_000 : Long.getLong("t1.single.warmup", 20_000);
        long tracked = quick ? 50_000 : Long.getLong("t1.tracked", 5_000_000);
        // The JVM's defaults but for the heap's maximum: no -Xms, as an application is usually started.
        List<String> jvm = List.of(System.getProperty("t1.jvm", "-Xmx2g").trim().split("\\s+"));
        String agent = System.getProperty("t1.agent", "threshold=1t,log=debug");
        String series = System.getProperty("t1.series", "base,tracked,neighbour");
        String modes = System.getProperty("t1.modes", "a,b,c");
        note("target 1 agent argument: " + agent + "; JVM flags: " + jvm + (otelJar() == null ? ""
                : "; beside it the OpenTelemetry Java agent " + otelJar().getFileName() + " (exporters off)"));
        try (Redis redis = Redis.start(logs, "t1")) {
            redisVersion = redis.version();
            if (series.contains("base")) {
                if (modes.contains("a")) {
                    target1(redis, "1a", "jedis-pipeline", "Jedis pipelined, 1000 a pipeline", n, warm, runs, jvm,
                            agent, 0.95, 500, false);
                }
                if (modes.contains("b")) {
                    target1(redis, "1b", "lettuce-async", "Lettuce async, 1000 in flight", n, warm, runs, jvm, agent,
                            0.97, 500, false);
                }
                if (modes.contains("c")) {
                    target1(redis, "1c", "jedis-single", "Jedis one command at a time", nSingle, warmSingle, runs,
                            jvm, agent, 0.98, 500, false);
                }
            }
            if (series.contains("tracked")) {
                // Keys tracked before the timed part: max-keys raised above the default cap (5% of -Xmx).
                String big = agent + ",max-keys=" + Math.max(20_000_000, 2 * (tracked + n));
                String label = tracked % 1_000_000 == 0 ? tracked / 1_000_000 + "M" : tracked / 1000 + "k";
                if (modes.contains("a")) {
                    target1(redis, "1a-" + label, "jedis-pipeline", "Jedis pipelined, with "
                            + tracked + " keys tracked before", n, tracked, runs(3, 1), jvm, big, 0.95, 300, false);
                }
                if (modes.contains("b")) {
                    target1(redis, "1b-" + label, "lettuce-async", "Lettuce async, with "
                            + tracked + " keys tracked before", n, tracked, runs(3, 1), jvm, big, 0.97, 300, false);
                }
            }
            if (series.contains("neighbour")) {
                target1(redis, "1a-busy", "jedis-pipeline", "Jedis pipelined, beside a CPU-bound process", n, warm,
                        runs(3, 1), jvm, agent, 0, 500, true);
            }
        }
    }

    /** The OpenTelemetry Java agent's jar for the side-by-side column, if given ({@code -Dotel.jar=}). */
    static Path otelJar() {
        String jar = System.getProperty("otel.jar", "");
        return jar.isEmpty() ? null : Path.of(jar);
    }

    /** What one way of running (no agent, gcs-flush, the OpenTelemetry agent) measured, run after run. */
    static final class Variant {
        final String name;
        final List<String> flags;
        final Stats opsPerSec = new Stats();
        final java.util.Map<String, Stats> cpuPerKey = new java.util.LinkedHashMap<>();
        double last;

        Variant(String name, List<String> flags) {
            this.name = name;
            this.flags = flags;
            for (String g : ProcCpu.GROUPS) cpuPerKey.put(g, new Stats());
        }

        double cpu(String group) {
            Stats s = cpuPerKey.get(group);
            return s.size() == 0 ? Double.NaN : s.median();
        }
    }

    /**
     * One series: runs without an agent, with gcs-flush and (with {@code -Dotel.jar}) with the OpenTelemetry agent,
     * interleaved (the order reversed every other run); throughput and the process's CPU (user+sys, every thread, from
     * /proc, read half a second after the timed writes, when the agent's last batch and journal append are done) per
     * key written, warm-up included.
     *
     * @param goal the least with/without throughput ratio; 0: none (the series checks that nothing is dropped)
     * @param goalNanos the most extra CPU per key written
     * @param neighbour whether a CPU-bound process runs beside each child
     */
    void target1(Redis redis, String id, String mode, String name, long n, long warm, int runs, List<String> jvm,
                 String agent, double goal, double goalNanos, boolean neighbour) throws Exception {
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("without", List.of()));
        variants.add(new Variant("gcs-flush", List.of("-javaagent:" + Paths.agentJar() + "=" + agent)));
        Path otel = otelJar();
        if (otel != null) {
            variants.add(new Variant("otel", List.of("-javaagent:" + otel, "-Dotel.traces.exporter=none",
                    "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none")));
        }
        Stats pairs = new Stats();
        long drops = 0;
        long keys = n + warm;
        Process spinner = neighbour ? new ProcessBuilder("sh", "-c", "while :; do :; done").start() : null;
        try {
            for (int r = 0; r < runs; r++) {
                List<Variant> order = new ArrayList<>(variants);
                if (r % 2 == 1) java.util.Collections.reverse(order);
                for (Variant v : order) {
                    redis.flushAll();
                    List<String> flags = new ArrayList<>(v.flags);
                    flags.addAll(jvm);
                    if (v.name.equals("gcs-flush") && Boolean.getBoolean("jfr")) {
                        flags.add("-XX:StartFlightRecording=filename=" + results.resolve("t" + id + "-" + r + ".jfr")
                                + ",settings=profile");
                    }
                    String log = "t" + id + "-" + mode + "-" + r + "-" + v.name + ".log";
                    try (Child c = Child.startWith(logs.resolve(log), List.of(), flags,
                            "io.gcsflush.bench.apps.WriteApp", mode, redis.host, redis.port, n, warm, 32)) {
                        Matcher m = c.await(RESULT, 3600);
                        Thread.sleep(500);
                        java.util.Map<String, Double> cpu = ProcCpu.read(c.process.pid());
                        v.last = Double.parseDouble(m.group(3));
                        v.opsPerSec.add(v.last);
                        for (java.util.Map.Entry<String, Double> e : cpu.entrySet()) {
                            v.cpuPerKey.get(e.getKey()).add(e.getValue() * 1e9 / keys);
                        }
                        if (c.waitFor(60) != 0) throw new IllegalStateException("child failed; see " + c.logFile);
                        if (v.name.equals("gcs-flush")) drops += dropsAndFlushes(c, keys);
                    }
                }
                pairs.add(variants.get(1).last / variants.get(0).last);
            }
        } finally {
            if (spinner != null) spinner.destroyForcibly();
        }
        Variant without = variants.get(0);
        for (Variant v : variants.subList(1, variants.size())) {
            double ratio = v.opsPerSec.median() / without.opsPerSec.median();
            StringBuilder extra = new StringBuilder();
            for (String g : ProcCpu.GROUPS) {
                if (g.equals("total")) continue;
                extra.append(String.format(Locale.ROOT, "%s%s %+.0f", extra.length() == 0 ? "" : ", ", g,
                        v.cpu(g) - without.cpu(g)));
            }
            double extraTotal = v.cpu("total") - without.cpu("total");
            report(String.format(Locale.ROOT, "target %s%s: %s, %,d SETs of 32 B after %,d: with/without ratio = %.3f "
                            + "(ops/s min/median/max: with %s, without %s%s); process CPU per key written: with %.0f "
                            + "ns, without %.0f ns, extra = %.0f ns (by threads: %s); %d runs each, interleaved; "
                            + "goals%s extra CPU <= %.0f ns%s", id, v.name.equals("otel") ? " [OpenTelemetry agent]"
                            : "", name, n, warm, ratio, v.opsPerSec.describe("%.0f"),
                    without.opsPerSec.describe("%.0f"), v.name.equals("gcs-flush") ? "; per-run ratios min/median/max "
                            + pairs.describe("%.3f") : "", v.cpu("total"), without.cpu("total"), extraTotal, extra,
                    runs, goal > 0 ? String.format(Locale.ROOT, " ratio >= %.2f,", goal) : "", goalNanos,
                    v.name.equals("gcs-flush") ? (drops > 0 ? "; WARNING " + drops + " events dropped by the agent"
                            : "; 0 events dropped") : ""));
            note("raw ops/s " + v.name + ": " + v.opsPerSec.all("%.0f") + "; CPU ns/key: "
                    + v.cpuPerKey.get("total").all("%.0f"));
        }
        note("raw ops/s without: " + without.opsPerSec.all("%.0f") + "; CPU ns/key: "
                + without.cpuPerKey.get("total").all("%.0f"));
    }

    /** Checks a with-agent child's last debug stats: every key tracked, no event dropped, no flush. */
    long dropsAndFlushes(Child c, long expectedKeys) {
        String last = c.last(l -> TRACKING.matcher(l).find());
        if (last == null) {
            note("no debug stats line in " + c.logFile);
            return 0;
        }
        Matcher m = TRACKING.matcher(last);
        m.find();
        long tracked = Long.parseLong(m.group(1));
        long dropped = Long.parseLong(m.group(2));
        if (tracked != expectedKeys || dropped != 0) {
            note("agent tracked " + tracked + " of " + expectedKeys + " keys, dropped " + dropped + " events ("
                    + c.logFile.getFileName() + ")");
        }
        if (c.last(l -> l.contains("flushed ")) != null) note("a flush happened in " + c.logFile);
        return dropped;
    }

    // ------------------------------------------------------------------ target 2

    void target2() throws Exception {
        String sizes = System.getProperty("t2.sizes", quick ? "50000" : "1000000,10000000");
        long rate = Long.getLong("t2.rate", quick ? 0 : 200_000);
        for (String s : sizes.split(",")) {
            long n = Long.parseLong(s.trim());
            int runs = runs(n >= 5_000_000 ? 2 : 3, 1);
            target2(n, runs, rate);
        }
    }

    void target2(long n, int runs, long rate) throws Exception {
        List<String> jvm = List.of("-Xms4g", "-Xmx4g");
        // The agent's defaults; the writer is paced so that no event is dropped (a dropped SET is a key not tracked).
        String extra = System.getProperty("t2.agent.extra." + n, System.getProperty("t2.agent.extra", ""));
        String agent = "threshold=1t,max-keys=20000000,log=debug" + (extra.isEmpty() ? "" : "," + extra);
        rate = Long.getLong("t2.rate." + n, System.getProperty("t2.rate") == null && n >= 5_000_000 && !quick
                ? 150_000 : rate);
        note(String.format(Locale.ROOT, "target 2, %,d keys: agent argument %s; writer paced at %s keys/s", n, agent,
                rate == 0 ? "unlimited" : Long.toString(rate)));
        Stats with = new Stats();
        Stats without = new Stats();
        Stats perKey = new Stats();
        int keyLength = 14; // key:%010d
        try (Redis redis = Redis.start(logs, "t2")) {
            for (int r = 0; r < runs; r++) {
                long w = 0;
                long wo = 0;
                for (boolean withAgent : r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    redis.flushAll();
                    String log = "t2-" + n + "-" + r + (withAgent ? "-with" : "-without") + ".log";
                    try (Child c = Child.start(logs.resolve(log), withAgent ? agent : null, jvm,
                            "io.gcsflush.bench.apps.FillApp", redis.host, redis.port, n, 8, rate, "key:", 10)) {
                        Matcher written = c.await(WRITTEN, 3600);
                        note(String.format(Locale.ROOT, "%s: wrote %,d keys in %s s", log, n, written.group(2)));
                        if (withAgent) awaitTracked(c, n);
                        c.send("gc");
                        Matcher heap = c.await(HEAP, 120);
                        long used = Long.parseLong(heap.group(1));
                        if (withAgent) {
                            long dropped = dropsAndFlushes(c, n);
                            if (dropped > 0) note("WARNING: events dropped, the figure undercounts");
                            with.add(used);
                            w = used;
                        } else {
                            without.add(used);
                            wo = used;
                        }
                        c.send("exit");
                        c.waitFor(60);
                    }
                }
                perKey.add((double) (w - wo) / n);
            }
        }
        double medianPerKey = (with.median() - without.median()) / n;
        report(String.format(Locale.ROOT, "target 2: tracker heap, %,d keys of %d B: (with - without)/N = %.1f B a key "
                        + "(per-run min/median/max %s B; heap used after GC, MiB min/median/max: with %s, without %s; "
                        + "%d runs each; goal <= key length + 24 = %d B)", n, keyLength, medianPerKey,
                perKey.describe("%.1f"), mib(with), mib(without), runs, keyLength + 24));
        note(String.format(Locale.ROOT, "of which the event buffer (fixed, %s): %.1f B a key; without it %.1f B a key",
                agent.contains("buffer=") ? agent.replaceAll(".*(buffer=\\d+).*", "$1") : "the default buffer="
                        + DEFAULT_BUFFER, (double) bufferBytes(agent) / n,
                medianPerKey - (double) bufferBytes(agent) / n));
    }

    /**
     * Waits until the agent's once-a-second stats show an empty buffer and either every key tracked or events
     * dropped (after which the agent stops tracking that connection, so the count would never be reached).
     */
    static void awaitTracked(Child c, long n) throws InterruptedException {
        c.await(l -> {
            Matcher m = TRACKING.matcher(l);
            return m.find() && m.group(3).equals("0") && (Long.parseLong(m.group(1)) >= n || !m.group(2).equals("0"));
        }, 600);
    }

    /** Heap of the event buffer (one array of references of 4 bytes), from the buffer= setting or its default. */
    static long bufferBytes(String agentArgs) {
        Matcher m = Pattern.compile("buffer=(\\d+)").matcher(agentArgs);
        return 4 * (m.find() ? Long.parseLong(m.group(1)) : DEFAULT_BUFFER);
    }

    static String mib(Stats s) {
        return String.format(Locale.ROOT, "%.1f/%.1f/%.1f", s.min() / 1048576, s.median() / 1048576,
                s.max() / 1048576);
    }

    // ------------------------------------------------------------------ target 3

    void target3() throws Exception {
        long n = Long.getLong("t3.n", quick ? 20_000 : 1_000_000);
        long benchKeys = Long.getLong("t3.bench.keys", quick ? 50_000 : 5_000_000);
        long benchRequests = Long.getLong("t3.bench.requests", benchKeys / 5);
        int runs = runs(5, 1);
        Stats agent = new Stats();
        Stats bench = new Stats();
        Stats benchRemovals = new Stats();
        Stats hits = new Stats();
        try (Redis redis = Redis.start(logs, "t3")) {
            for (int r = 0; r < runs; r++) {
                for (boolean agentFirst : r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    redis.flushAll();
                    if (agentFirst) {
                        agent.add(agentFlush(redis, n, r));
                    } else {
                        double[] b = redisBenchmarkUnlink(redis, benchKeys, benchRequests, r);
                        bench.add(b[0]);
                        benchRemovals.add(b[1]);
                        hits.add(b[2]);
                    }
                }
            }
        }
        report(String.format(Locale.ROOT, "target 3: flush rate, agent keys removed/s vs redis-benchmark -P 100 UNLINK "
                        + "requests/s: ratio = %.2f (agent, one flush of %,d keys, keys/s min/median/max %s; "
                        + "redis-benchmark -P 100 -n %,d -r %,d UNLINK key:__rand_int__, requests/s %s, of which hits "
                        + "%s, keys actually removed/s %s; %d runs each; goal >= 0.8)", agent.median() / bench.median(),
                n, agent.describe("%.0f"), benchRequests, benchKeys, bench.describe("%.0f"), hits.describe("%.2f"),
                benchRemovals.describe("%.0f"), runs));
        note(String.format(Locale.ROOT, "agent keys/s / redis-benchmark keys actually removed/s = %.2f",
                agent.median() / benchRemovals.median()));
        note("raw agent keys/s: " + agent.all("%.0f") + "; redis-benchmark requests/s: " + bench.all("%.0f"));
    }

    /** A child writes n keys with the agent; once they are all tracked, a big untracked value pushes used_memory
     *  over the threshold and the agent removes all n in one flush. Returns keys removed per second. */
    double agentFlush(Redis redis, long n, int r) throws Exception {
        return agentFlush(redis, n, r, null);
    }

    /** @param extra more agent settings, or null */
    double agentFlush(Redis redis, long n, int r, String extra) throws Exception {
        long threshold = 256L << 20;
        // The big value is not the application's: uncovered=flush, or the agent would (rightly) leave it all be.
        String agentArgs = "threshold=256m,period=100ms,batch=" + n + ",max-keys=" + (2 * n + 1000)
                + ",buffer=1048576,log=debug,uncovered=flush" + (extra == null ? "" : "," + extra);
        String log = "t3-" + r + (extra == null ? "" : "-" + extra.replaceAll("[^A-Za-z0-9]+", "_")) + "-agent.log";
        try (Child c = Child.start(logs.resolve(log), agentArgs, List.of("-Xms2g", "-Xmx2g"),
                "io.gcsflush.bench.apps.FillApp", redis.host, redis.port, n, 32, Long.getLong("t3.rate", 200_000), "key:", 12)) {
            c.await(WRITTEN, 600);
            awaitTracked(c, n);
            long used = redis.usedMemory();
            if (used >= threshold) throw new IllegalStateException("n keys already fill " + used + " B; lower t3.n");
            int ballastKeys = 0;
            try (Jedis j = redis.jedis()) {
                // Values the application did not write: the flush can only take the n tracked keys.
                for (long need = threshold - used + (64 << 20); need > 0; need -= 500L << 20) {
                    j.setrange("untracked:ballast:" + ballastKeys++, Math.min(need, 500L << 20), "x");
                }
            }
            String stats = c.last(l -> TRACKING.matcher(l).find());
            if (stats != null && !stats.contains(" 0 events dropped")) note("WARNING: events dropped: " + stats);
            Matcher m = c.await(FLUSHED, 300);
            long removed = Long.parseLong(m.group(3));
            long millis = Long.parseLong(m.group(5));
            long left = redis.dbSize();
            try (Jedis j = redis.jedis()) {
                for (int i = 0; i < ballastKeys; i++) j.del("untracked:ballast:" + i);
            }
            c.send("exit");
            c.waitFor(60);
            double rate = removed * 1000.0 / Math.max(1, millis);
            note(String.format(Locale.ROOT, "%s: flush removed %,d of %,d keys in %d ms = %.0f keys/s (used_memory %s "
                    + "-> %s; %d keys left on the server incl. the ballast)", log, removed, n, millis, rate,
                    m.group(1), m.group(2), left));
            return rate;
        }
    }

    /** Populates {@code keys} keys named as redis-benchmark's __rand_int__ renders them ({@code key:%012d}), then
     *  UNLINKs random ones. Returns requests/s, keys removed/s, and the fraction of requests that removed a key. */
    double[] redisBenchmarkUnlink(Redis redis, long keys, long requests, int r) throws Exception {
        String lua = "local v = string.rep('v', 32) "
                + "for i = tonumber(ARGV[1]), tonumber(ARGV[2]) - 1 do "
                + "redis.call('SET', string.format('key:%012d', i), v) end return 0";
        try (Jedis j = redis.jedis()) {
            for (long from = 0; from < keys; from += 500_000) {
                j.eval(lua, 0, Long.toString(from), Long.toString(Math.min(keys, from + 500_000)));
            }
        }
        long before = redis.dbSize();
        List<String> cmd = List.of(System.getProperty("redis.benchmark", "redis-benchmark"), "-h", redis.host, "-p",
                Integer.toString(redis.port), "-P", "100", "-n", Long.toString(requests), "-r", Long.toString(keys),
                "-q", "UNLINK", "key:__rand_int__");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Files.writeString(logs.resolve("t3-" + r + "-redis-benchmark.log"), String.join(" ", cmd) + "\n" + out);
        Matcher m = Pattern.compile("([0-9.]+) requests per second").matcher(out);
        if (!m.find()) throw new IllegalStateException("no requests per second in: " + out);
        double rps = Double.parseDouble(m.group(1));
        long removed = before - redis.dbSize();
        double hit = (double) removed / requests;
        note(String.format(Locale.ROOT, "redis-benchmark: %,d keys populated, %,d UNLINKs at %.0f requests/s removed "
                + "%,d keys (%.1f%% hits), i.e. %.0f keys removed/s", before, requests, rps, removed, 100 * hit,
                rps * hit));
        return new double[] {rps, rps * hit, hit};
    }

    // ------------------------------------------------------------------ target 4

    void target4() throws Exception {
        long n = Long.getLong("t4.n", quick ? 300_000 : 10_000_000);
        long thresholdBytes = quick ? 8L << 20 : 64L << 20;
        String threshold = quick ? "8m" : "64m";
        long periodMillis = 1000;
        int batch = Integer.getInteger("t4.batch", 1_000_000);
        String buffer = System.getProperty("t4.buffer", "");
        long capBytes = 2L << 30;
        int valueBytes = 100;
        String agentArgs = "threshold=" + threshold + ",period=" + periodMillis + "ms,batch=" + batch
                + ",max-keys=" + (2 * n) + (buffer.isEmpty() ? "" : ",buffer=" + buffer) + ",log=debug";
        List<String> jvm = List.of("-Xms2g", "-Xmx2g");
        String adaptiveExtra = System.getProperty("t4.adaptive.extra", "");
        String adaptiveArgs = "threshold=" + threshold + ",period=" + periodMillis + "ms,policy=adaptive,max-keys="
                + (2 * n) + (buffer.isEmpty() ? "" : ",buffer=" + buffer) + ",log=debug"
                + (adaptiveExtra.isEmpty() ? "" : "," + adaptiveExtra);
        note("target 4 agent argument: " + agentArgs + "; adaptive: " + adaptiveArgs);
        Trace withTrace = target4Run("with", agentArgs, jvm, n, valueBytes, capBytes);
        Trace adaptiveTrace = target4Run("adaptive", adaptiveArgs, jvm, n, valueBytes, capBytes);
        Trace withoutTrace = target4Run("without", null, jvm, n, valueBytes, capBytes);
        // Bytes of used_memory an entry costs, from the run without the agent (nothing removed).
        double bytesPerEntry = (double) (withoutTrace.lastUsed - withoutTrace.firstUsed) / withoutTrace.ops;
        double bound = thresholdBytes + withTrace.opsPerSec * (periodMillis / 1000.0) * bytesPerEntry;
        report(String.format(Locale.ROOT, "target 4: the bound under load, %,d entries of %d B, threshold=%s, "
                        + "period=%dms, batch=%,d: peak used_memory with the agent = %.1f MiB vs threshold + write "
                        + "rate x period = %.1f + %.0f/s x %.1f s x %.0f B = %.1f MiB (peak/bound = %.2f); without the "
                        + "agent peak = %.1f MiB after %,d entries%s; writer throughput with/without ratio = %.3f "
                        + "(%.0f vs %.0f entries/s; one run each)", withTrace.ops, valueBytes, threshold, periodMillis,
                batch, withTrace.peak / 1048576.0, thresholdBytes / 1048576.0, withTrace.opsPerSec,
                periodMillis / 1000.0, bytesPerEntry, bound / 1048576.0, withTrace.peak / bound,
                withoutTrace.peak / 1048576.0, withoutTrace.ops,
                withoutTrace.stopped ? " (stopped at the 2 GiB cap)" : "",
                withTrace.opsPerSec / withoutTrace.opsPerSec, withTrace.opsPerSec, withoutTrace.opsPerSec));
        report(String.format(Locale.ROOT, "target 4: policy=adaptive, same writer: peak used_memory = %.1f MiB vs "
                        + "threshold x 1.05 = %.1f MiB (peak/threshold = %.3f; goal <= 1.05); used_memory after the "
                        + "first second: mean %.1f MiB, min %.1f MiB; %d flushes; writer throughput adaptive/without "
                        + "ratio = %.3f (%.0f entries/s)", adaptiveTrace.peak / 1048576.0,
                thresholdBytes * 1.05 / 1048576.0, (double) adaptiveTrace.peak / thresholdBytes,
                adaptiveTrace.meanAfter(1.0) / 1048576.0, adaptiveTrace.minAfter(1.0) / 1048576.0,
                adaptiveTrace.flushes, adaptiveTrace.opsPerSec / withoutTrace.opsPerSec, adaptiveTrace.opsPerSec));
        for (Trace t : List.of(withTrace, adaptiveTrace)) {
            if (t.dropped > 0) note("WARNING: the agent dropped " + t.dropped + " events (" + t.name + ")");
        }
        note("flushes with the agent: " + withTrace.flushes + " (ray), " + adaptiveTrace.flushes + " (adaptive)");
        String tag = System.getProperty("t4.tag", "");
        Path svg = results.resolve((quick ? "bound-quick" : "bound") + tag + ".svg");
        Files.writeString(svg, Svg.bound(withTrace.t, withTrace.used, adaptiveTrace.t, adaptiveTrace.used,
                withoutTrace.t, withoutTrace.used, thresholdBytes, bound, String.format(Locale.ROOT, "%,d entries of "
                        + "%d B, pipelined Jedis; agent: threshold=%s, period=%dms, batch=%,d (ray) or "
                        + "policy=adaptive, "
                        + "buffer=%s", n, valueBytes, threshold, periodMillis, batch,
                        buffer.isEmpty() ? DEFAULT_BUFFER + " (default)" : buffer)));
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(results.resolve("bound" + tag + ".csv")))) {
            csv.println("run,seconds,used_memory");
            for (Trace t : List.of(withTrace, adaptiveTrace, withoutTrace)) {
                for (int i = 0; i < t.t.size(); i++) csv.println(t.name + "," + t.t.get(i) + "," + t.used.get(i));
            }
        }
        note("chart: " + svg);
    }

    static final class Trace {
        final String name;
        final List<Double> t = new ArrayList<>();
        final List<Long> used = new ArrayList<>();
        long peak;
        long firstUsed;
        long lastUsed;
        long ops;
        double opsPerSec;
        boolean stopped;
        long dropped;
        int flushes;

        Trace(String name) {
            this.name = name;
        }

        double meanAfter(double seconds) {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < t.size(); i++) {
                if (t.get(i) >= seconds) {
                    sum += used.get(i);
                    n++;
                }
            }
            return n == 0 ? 0 : sum / n;
        }

        long minAfter(double seconds) {
            long min = Long.MAX_VALUE;
            for (int i = 0; i < t.size(); i++) if (t.get(i) >= seconds) min = Math.min(min, used.get(i));
            return min == Long.MAX_VALUE ? 0 : min;
        }
    }

    /** One run of target 4's writer: {@code name} "with" (Ray's policy), "adaptive", or "without" the agent. */
    Trace target4Run(String name, String agentArgs, List<String> jvm, long n, int valueBytes, long cap)
            throws Exception {
        boolean withAgent = agentArgs != null;
        Trace trace = new Trace(name);
        String log = "t4-" + name + System.getProperty("t4.tag", "") + ".log";
        try (Redis redis = Redis.start(logs, "t4-" + name);
             Jedis sampler = redis.jedis()) {
            trace.firstUsed = usedMemory(sampler);
            try (Child c = Child.start(logs.resolve(log), agentArgs, jvm, "io.gcsflush.bench.apps.BoundApp",
                    redis.host, redis.port, n, valueBytes)) {
                c.await(l -> l.equals("START"), 120);
                long start = System.nanoTime();
                long next = start;
                boolean stopSent = false;
                while (c.process.isAlive()) {
                    long used = usedMemory(sampler);
                    trace.t.add((System.nanoTime() - start) / 1e9);
                    trace.used.add(used);
                    trace.peak = Math.max(trace.peak, used);
                    if (used >= cap && !stopSent) {
                        c.send("stop");
                        stopSent = true;
                    }
                    if (c.last(l -> l.startsWith("RESULT")) != null) break;
                    next += SAMPLE_NANOS;
                    long wait = next - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Matcher m = Pattern.compile("RESULT ops=(\\d+) seconds=([0-9.]+) opsPerSec=([0-9.]+) stopped=(\\w+)")
                        .matcher(c.await(l -> l.startsWith("RESULT"), 3600));
                m.find();
                trace.ops = Long.parseLong(m.group(1));
                trace.opsPerSec = Double.parseDouble(m.group(3));
                trace.stopped = Boolean.parseBoolean(m.group(4));
                trace.lastUsed = usedMemory(sampler);
                // Redis's own peak also counts what happened between two samples, at each INFO (the agent's too) and
                // each cron run.
                trace.peak = Math.max(trace.peak,
                        Long.parseLong(Redis.parseInfo(sampler.info("memory")).get("used_memory_peak")));
                c.waitFor(60);
                if (withAgent) {
                    String last = c.last(l -> TRACKING.matcher(l).find());
                    if (last != null) {
                        Matcher d = TRACKING.matcher(last);
                        d.find();
                        trace.dropped = Long.parseLong(d.group(2));
                    }
                    trace.flushes = (int) c.lines().stream().filter(l -> l.contains(" flushed ")).count();
                }
            }
        }
        note(String.format(Locale.ROOT, "%s: %,d entries at %.0f/s, peak used_memory %.1f MiB, %d samples", log,
                trace.ops, trace.opsPerSec, trace.peak / 1048576.0, trace.t.size()));
        return trace;
    }

    /** Target 4 samples used_memory this often: well within a cycle of the adaptive policy (5 ms plus a flush). */
    static final long SAMPLE_NANOS = Long.getLong("t4.sample.ms", 10) * 1_000_000L;

    static long usedMemory(Jedis j) {
        return Long.parseLong(Redis.parseInfo(j.info("memory")).get("used_memory"));
    }

    // ------------------------------------------------------------------ target 5

    void target5() throws Exception {
        int runs = runs(10, 2);
        List<String> jvm = List.of("-Xmx256m");
        Stats with = new Stats();
        Stats without = new Stats();
        try (Redis redis = Redis.start(logs, "t5")) {
            // One of each first, not counted: the page cache and CDS archive warm up.
            helloRun(redis, true, jvm, -1);
            helloRun(redis, false, jvm, -1);
            for (int r = 0; r < runs; r++) {
                for (boolean withAgent : r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    double ms = helloRun(redis, withAgent, jvm, r);
                    (withAgent ? with : without).add(ms);
                }
            }
        }
        report(String.format(Locale.ROOT, "target 5: start-up, Jedis hello world (connect, SET, GET, exit), wall time: "
                        + "with - without median = %.0f ms, with/without ratio = %.2f (ms min/median/max: with %s, "
                        + "without %s; %d runs each, interleaved; goal <= 150 ms)", with.median() - without.median(),
                with.median() / without.median(), with.describe("%.0f"), without.describe("%.0f"), runs));
    }

    double helloRun(Redis redis, boolean withAgent, List<String> jvm, int r) throws Exception {
        String log = "t5-" + (r < 0 ? "warm" : Integer.toString(r)) + (withAgent ? "-with" : "-without") + ".log";
        long start = System.nanoTime();
        try (Child c = Child.start(logs.resolve(log), withAgent ? "" : null, jvm, "io.gcsflush.bench.apps.HelloApp",
                redis.host, redis.port)) {
            int code = c.process.waitFor();
            double ms = (System.nanoTime() - start) / 1e6;
            if (code != 0) throw new IllegalStateException("hello failed; see " + c.logFile);
            return ms;
        }
    }

    // ------------------------------------------------------------------ target 7

    static final Pattern YOUNG_PAUSE = Pattern.compile("Pause Young .* ([0-9.]+)ms$");

    /**
     * Young collections of an application writing 4,000,000 new keys at 200,000 a second ({@code FillApp},
     * {@code -Xms4g -Xmx4g -Xlog:gc}), with and without the agent: their count and total pause time, and the
     * collections a humongous allocation started or that ran out of room to copy into (to-space exhausted).
     */
    void target7() throws Exception {
        long n = quick ? 200_000 : Long.getLong("t7.n", 4_000_000);
        long rate = Long.getLong("t7.rate", 200_000);
        int runs = runs(3, 1);
        String agent = "threshold=1t,max-keys=20000000,log=debug";
        Stats[] pauses = {new Stats(), new Stats()};
        Stats[] counts = {new Stats(), new Stats()};
        long[] humongous = new long[2];
        long[] exhausted = new long[2];
        try (Redis redis = Redis.start(logs, "t7")) {
            for (int r = 0; r < runs; r++) {
                for (boolean withAgent : r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    redis.flushAll();
                    int w = withAgent ? 1 : 0;
                    String name = "t7-" + r + (withAgent ? "-with" : "-without");
                    Path gcLog = logs.resolve(name + ".gc.log");
                    try (Child c = Child.start(logs.resolve(name + ".log"), withAgent ? agent : null,
                            List.of("-Xms4g", "-Xmx4g", "-Xlog:gc:file=" + gcLog), "io.gcsflush.bench.apps.FillApp",
                            redis.host, redis.port, n, 8, rate, "key:", 10)) {
                        c.await(WRITTEN, 3600);
                        if (withAgent) awaitTracked(c, n);
                        c.send("exit");
                        c.waitFor(60);
                    }
                    double total = 0;
                    int count = 0;
                    for (String l : Files.readAllLines(gcLog)) {
                        Matcher m = YOUNG_PAUSE.matcher(l);
                        if (m.find()) {
                            total += Double.parseDouble(m.group(1));
                            count++;
                        }
                        if (l.contains("Humongous")) humongous[w]++;
                        if (l.contains("To-space exhausted") || l.contains("Evacuation Failure")) exhausted[w]++;
                    }
                    pauses[w].add(total);
                    counts[w].add(count);
                    note(String.format(Locale.ROOT, "%s: %d young pauses, %.1f ms in all", name, count, total));
                }
            }
        }
        report(String.format(Locale.ROOT, "target 7: young collections, %,d new keys at %,d/s, -Xms4g: pause time "
                        + "with/without = %.2f (ms in all min/median/max: with %s, without %s; pauses: with %s, "
                        + "without %s; started by a humongous allocation: with %d, without %d; to-space exhausted: "
                        + "with %d, without %d; %d runs each, interleaved; goal <= 1.25)", n, rate,
                pauses[1].median() / Math.max(0.001, pauses[0].median()), pauses[1].describe("%.0f"),
                pauses[0].describe("%.0f"), counts[1].describe("%.0f"), counts[0].describe("%.0f"), humongous[1],
                humongous[0], exhausted[1], exhausted[0], runs));
    }

    // ------------------------------------------------------------------ target 6

    void target6() throws Exception {
        long size = Files.size(Paths.agentJar()); // the copy of the built jar, byte for byte
        report(String.format(Locale.ROOT, "target 6: agent jar size = %.2f MB (%,d bytes; goal <= 5 MB)",
                size / 1e6, size));
    }
}
