package io.gcsflush.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/**
 * The soak: {@link io.gcsflush.bench.apps.SoakApp}'s writer threads on one client, under the agent, for minutes,
 * flushing all along (a threshold of a few MiB, a period of 1 s). It samples the server's used_memory every 100 ms and
 * the journal every second, and reads the agent's debug line (every second) and the application's live heap (every
 * 30 s); at the end it checks, and prints, that:
 *
 * <ul>
 *   <li>used_memory stayed within Ray's bound, threshold + write rate x period (the rate in bytes: the commands a
 *       second times the bytes of used_memory a command added before the threshold was first reached);
 *   <li>the live heap (application and agent) is flat: its last reading within 16 MiB of its first;
 *   <li>the agent skipped no event, and printed no warning or error line;
 *   <li>the journal stayed bounded: it never named more keys than the server held (and 1,000 on their way), and
 *       named as many at most in the second half of the run as in the first, within a quarter;
 *   <li>the application got no error.
 * </ul>
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.gcsflush.bench.Soak [--minutes 10] [--client jedis|lettuce]
 *     [--threads 8] [--rate 8000] [--value-bytes 200] [--threshold 8m] [--period 1s] [--batch 20000] [--heap 256m]</pre>
 * Exit status 0 if every check passed. Results in {@code benchmarks/results/soak-CLIENT.txt} and {@code .csv}, logs in
 * {@code benchmarks/results/logs/}.
 */
public final class Soak {
    static final Pattern PROGRESS = Pattern.compile("^PROGRESS (\\d+) ([0-9.]+)$");
    static final Pattern HEAP = Pattern.compile("^HEAP live=(\\d+) committed=(\\d+) at=(\\d+)$");
    static final Pattern RESULT = Pattern.compile("^RESULT ops=(\\d+) seconds=([0-9.]+) opsPerSec=([0-9.]+) errors=(\\d+)$");
    static final Pattern TRACKING = Pattern.compile(
            "tracking (\\d+) keys on \\d+ servers \\((.+?) of heap\\); .* (\\d+) events dropped; buffer (\\d+)/(\\d+)");
    static final Pattern BAD = Pattern.compile(" (WARN|ERROR) gcs-flush - |^\\[gcs-flush\\] ERROR");
    static final long HEAP_GROWTH_ALLOWED = 16L << 20;

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new TreeMap<>(Map.of("minutes", "10", "client", "jedis", "threads", "8",
                "rate", "8000", "value-bytes", "200", "threshold", "8m", "period", "1s", "batch", "20000",
                "heap", "256m"));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !o.containsKey(a.substring(2)) || i + 1 == args.length) {
                throw new IllegalArgumentException("usage: Soak " + o.keySet().stream().map(k -> "[--" + k + " "
                        + o.get(k) + "]").reduce((x, y) -> x + " " + y).orElse("") + "; not " + a);
            }
            o.put(a.substring(2), args[++i]);
        }
        double minutes = Double.parseDouble(o.get("minutes"));
        String client = o.get("client");
        long threshold = bytes(o.get("threshold"));
        double periodSeconds = Double.parseDouble(o.get("period").replace("s", ""));
        Path results = Paths.resultsDir();
        Path logs = results.resolve("logs");
        Files.createDirectories(logs);
        String agentArgs = "threshold=" + o.get("threshold") + ",period=" + o.get("period") + ",batch=" + o.get("batch")
                + ",log=debug";
        List<String> jvm = List.of("-Xms" + o.get("heap"), "-Xmx" + o.get("heap"),
                "-Xlog:gc:file=" + logs.resolve("soak-" + client + "-gc.log"));
        List<String> report = new ArrayList<>();
        boolean passed;
        try (Redis redis = Redis.start(logs, "soak-" + client);
             Jedis sampler = redis.jedis();
             PrintWriter csv = new PrintWriter(Files.newBufferedWriter(results.resolve("soak-" + client + ".csv"),
                     StandardCharsets.UTF_8))) {
            csv.println("seconds,used_memory,journal_keys,journal_blobs,tracked,tracker_heap");
            try (Child c = Child.start(logs.resolve("soak-" + client + ".log"), agentArgs, jvm,
                    "io.gcsflush.bench.apps.SoakApp", redis.host, redis.port, client, o.get("threads"), o.get("rate"),
                    o.get("value-bytes"))) {
                c.await(l -> l.equals("START"), 120);
                long start = System.nanoTime();
                long end = start + (long) (minutes * 60e9);
                long next = start;
                long peak = 0;
                long peakAfterFirstFlush = 0;
                double firstFlushAt = -1;
                double bytesPerOp = -1;
                long[] firstProgress = new long[2];
                long[] lastProgress = new long[2];
                long journalMax = 0;
                long journalOverKeys = Long.MIN_VALUE;
                long[] journalHalves = new long[2];
                long journalBytesFirst = -1;
                long journalBytesLast = -1;
                long journalBytesMax = 0;
                long samples = 0;
                int tick = 0;
                while (System.nanoTime() < end && c.process.isAlive()) {
                    long used = usedMemory(sampler);
                    double t = (System.nanoTime() - start) / 1e9;
                    peak = Math.max(peak, used);
                    if (firstFlushAt < 0) {
                        // What a command costs Redis before any key is removed (keys, values, the journal's entries):
                        // used_memory read as each progress line comes, from the first to the last before the
                        // threshold.
                        Matcher m = lastMatch(c, PROGRESS);
                        long ops = m == null ? 0 : Long.parseLong(m.group(1));
                        if (ops > 0 && ops != lastProgress[0]) {
                            if (firstProgress[0] == 0) {
                                firstProgress[0] = ops;
                                firstProgress[1] = used;
                            }
                            lastProgress[0] = ops;
                            lastProgress[1] = used;
                        }
                        if (used >= threshold) {
                            firstFlushAt = t;
                            long dOps = lastProgress[0] - firstProgress[0];
                            bytesPerOp = dOps > 0 ? (double) (lastProgress[1] - firstProgress[1]) / dOps : -1;
                        }
                    }
                    if (firstFlushAt >= 0) peakAfterFirstFlush = Math.max(peakAfterFirstFlush, used);
                    if (tick++ % 10 == 0) {
                        Map<String, String> state = sampler.hgetAll("gcs-flush:journal:state");
                        long journalKeys = Long.parseLong(state.getOrDefault("keys", "0"));
                        long blobs = sampler.llen("gcs-flush:journal");
                        long keys = sampler.dbSize() - 2;
                        journalMax = Math.max(journalMax, journalKeys);
                        journalOverKeys = Math.max(journalOverKeys, journalKeys - keys);
                        if (firstFlushAt >= 0) {
                            int half = System.nanoTime() < start + (end - start) / 2 ? 0 : 1;
                            journalHalves[half] = Math.max(journalHalves[half], journalKeys);
                        }
                        if (tick % 100 == 1) {
                            Long bytes = sampler.memoryUsage("gcs-flush:journal", 0);
                            long b = bytes == null ? 0 : bytes;
                            if (journalBytesFirst < 0 && firstFlushAt >= 0) journalBytesFirst = b;
                            journalBytesLast = b;
                            journalBytesMax = Math.max(journalBytesMax, b);
                        }
                        Matcher m = lastMatch(c, TRACKING);
                        csv.printf(Locale.ROOT, "%.1f,%d,%d,%d,%s,%s%n", t, used, journalKeys, blobs,
                                m == null ? "" : m.group(1), m == null ? "" : m.group(2));
                    }
                    samples++;
                    next += 100_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                c.send("stop");
                Matcher result = RESULT.matcher(c.await(l -> RESULT.matcher(l).matches(), 120));
                result.matches();
                c.waitFor(60);
                long ops = Long.parseLong(result.group(1));
                double opsPerSec = Double.parseDouble(result.group(3));
                long appErrors = Long.parseLong(result.group(4));
                double bound = threshold + opsPerSec * periodSeconds * bytesPerOp;
                List<long[]> heap = new ArrayList<>();
                for (String l : c.lines()) {
                    Matcher m = HEAP.matcher(l);
                    if (m.matches()) heap.add(new long[] {Long.parseLong(m.group(3)), Long.parseLong(m.group(1))});
                }
                long flushes = c.lines().stream().filter(l -> l.contains(" INFO gcs-flush - flushed ")).count();
                List<String> bad = c.lines().stream().filter(l -> BAD.matcher(l).find()).toList();
                long trackedMin = Long.MAX_VALUE;
                long trackedMax = 0;
                long dropped = -1;
                String trackerHeapFirst = null;
                String trackerHeapLast = null;
                for (String l : c.lines()) {
                    Matcher m = TRACKING.matcher(l);
                    if (!m.find()) continue;
                    long tracked = Long.parseLong(m.group(1));
                    if (tracked > 0) {
                        trackedMax = Math.max(trackedMax, tracked);
                        if (trackerHeapFirst == null) trackerHeapFirst = m.group(2);
                    }
                    trackerHeapLast = m.group(2);
                    dropped = Long.parseLong(m.group(3));
                }
                for (String l : c.lines()) {
                    Matcher m = TRACKING.matcher(l);
                    if (m.find() && flushes > 0 && Long.parseLong(m.group(1)) > 0) {
                        trackedMin = Math.min(trackedMin, Long.parseLong(m.group(1)));
                    }
                }
                long heapFirst = heap.isEmpty() ? -1 : heap.get(0)[1];
                long heapLast = heap.isEmpty() ? -1 : heap.get(heap.size() - 1)[1];
                long heapMax = heap.stream().mapToLong(h -> h[1]).max().orElse(-1);

                report.add(String.format(Locale.ROOT, "soak, %s, %d writer threads, %.1f minutes: %,d commands, %.0f/s; "
                                + "agent: %s; redis %s", client, Integer.parseInt(o.get("threads")),
                        (System.nanoTime() - start) / 60e9, ops, opsPerSec, agentArgs, redis.version()));
                boolean bounded = peakAfterFirstFlush <= bound && bytesPerOp > 0;
                report.add(String.format(Locale.ROOT, "%s used_memory: peak %.1f MiB (from the threshold's first crossing, at %.1f s) "
                                + "vs bound threshold + rate x period = %.1f MiB + %.0f/s x %.1f s x %.0f B = %.1f MiB "
                                + "(peak/bound %.2f); %d flushes; %d samples", ok(bounded),
                        peakAfterFirstFlush / 1048576.0, firstFlushAt, threshold / 1048576.0, opsPerSec, periodSeconds,
                        bytesPerOp, bound / 1048576.0, peakAfterFirstFlush / bound, flushes, samples));
                boolean flat = heap.size() >= 2 && heapLast <= heapFirst + HEAP_GROWTH_ALLOWED;
                StringBuilder heapSeries = new StringBuilder();
                for (long[] h : heap) heapSeries.append(String.format(Locale.ROOT, " %ds:%.1f", h[0], h[1] / 1048576.0));
                report.add(String.format(Locale.ROOT, "%s live heap after System.gc(), application and agent: first "
                                + "%.1f MiB, last %.1f MiB, max %.1f MiB (MiB at seconds:%s); the agent's tracker: %s "
                                + "at its first debug line, %s at its last, %,d-%,d keys tracked once flushing",
                        ok(flat), heapFirst / 1048576.0, heapLast / 1048576.0, heapMax / 1048576.0, heapSeries,
                        trackerHeapFirst, trackerHeapLast, trackedMin == Long.MAX_VALUE ? 0 : trackedMin, trackedMax));
                report.add(String.format(Locale.ROOT, "%s events dropped: %d (the agent's last debug line)",
                        ok(dropped == 0), dropped));
                report.add(String.format(Locale.ROOT, "%s warning or error lines from the agent: %d%s",
                        ok(bad.isEmpty()), bad.size(), bad.isEmpty() ? "" : " " + bad.subList(0, Math.min(3, bad.size()))));
                boolean journalBounded = journalOverKeys <= 1_000 && journalHalves[0] > 0
                        && journalHalves[1] <= journalHalves[0] * 1.25;
                report.add(String.format(Locale.ROOT, "%s journal: %,d keys at most (%,d in the first half, %,d in "
                                + "the second), at most %,d more than the server held; %.1f MiB at first, %.1f MiB at "
                                + "most, %.1f MiB at the end (MEMORY USAGE every 10 s)", ok(journalBounded), journalMax,
                        journalHalves[0], journalHalves[1], journalOverKeys, journalBytesFirst / 1048576.0,
                        journalBytesMax / 1048576.0, journalBytesLast / 1048576.0));
                report.add(String.format(Locale.ROOT, "%s application errors: %d", ok(appErrors == 0), appErrors));
                passed = bounded && flat && dropped == 0 && bad.isEmpty() && journalBounded && appErrors == 0;
                report.add(passed ? "PASSED" : "FAILED");
            }
        }
        Files.write(results.resolve("soak-" + o.get("client") + ".txt"), report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
        System.exit(passed ? 0 : 1);
    }

    private static String ok(boolean ok) {
        return ok ? "ok  " : "FAIL";
    }

    private static Matcher lastMatch(Child c, Pattern p) {
        String line = c.last(l -> p.matcher(l).find());
        if (line == null) return null;
        Matcher m = p.matcher(line);
        m.find();
        return m;
    }

    private static long usedMemory(Jedis j) {
        for (String line : j.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) return Long.parseLong(line.substring(12).trim());
        }
        throw new IllegalStateException("no used_memory");
    }

    private static long bytes(String size) {
        String s = size.trim().toLowerCase(Locale.ROOT);
        long unit = s.endsWith("g") ? 1L << 30 : s.endsWith("m") ? 1L << 20 : s.endsWith("k") ? 1L << 10 : 1;
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }
}
