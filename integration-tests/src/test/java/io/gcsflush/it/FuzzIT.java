package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gcsflush.it.apps.FuzzApp;
import io.gcsflush.it.apps.FuzzKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random commands against an oracle. {@link FuzzApp} sends random commands of the agent's command table and around
 * it (pipelines, transactions, WATCH, SELECT, errors, expiry times, renames, moves, copies, SWAPDB, FLUSHDB, binary
 * keys, scripts) through Jedis or Lettuce, under the agent with a threshold nothing reaches; every
 * {@value #CHECK_EVERY_DEFAULT} commands it pauses, and {@link FuzzOracle} compares the agent's tracked keys (its
 * debug dump), the server's keys and the journal. The server and the journal settle a few syncs after a pause: the
 * comparison is repeated until they agree, for {@link #SETTLE} at most.
 *
 * <p>Here, {@value #COMMANDS_DEFAULT} commands per client with a fixed seed. The long run (DEVELOPERS.md):
 * <pre>
 * mvn -B -pl agent,integration-tests verify -Dit.test=FuzzIT -Dgcsflush.fuzz.commands=1000000 [-Dgcsflush.fuzz.seed=N]
 * </pre>
 * Each run writes its seed, counts and findings to {@code target/fuzz/<client>.txt}; {@code -Dgcsflush.fuzz.clients=jedis}
 * runs one client, {@code -Dgcsflush.fuzz.check-every=N} checks more or less often, {@code -Dgcsflush.fuzz.swapdb=false}
 * leaves SWAPDB out.
 */
class FuzzIT {
    static final long COMMANDS_DEFAULT = 20_000;
    static final long CHECK_EVERY_DEFAULT = 5_000;
    static final long SEED_DEFAULT = 20_261_130L;
    private static final long COMMANDS = Long.getLong("gcsflush.fuzz.commands", COMMANDS_DEFAULT);
    private static final long CHECK_EVERY = Long.getLong("gcsflush.fuzz.check-every", CHECK_EVERY_DEFAULT);
    private static final long SEED = Long.getLong("gcsflush.fuzz.seed", SEED_DEFAULT);
    private static final boolean SWAPDB = Boolean.parseBoolean(System.getProperty("gcsflush.fuzz.swapdb", "true"));
    /** Whether the application writes every command to a trace, to show the history of a key found wrong. */
    private static final boolean TRACE = Boolean.parseBoolean(System.getProperty("gcsflush.fuzz.trace", "true"));
    /** Foreign key sets in database 0 ({@code foreign:str:i}, {@code foreign:hash:i}...). */
    private static final int FOREIGN = 20;
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** A run of {@value #CHECK_EVERY_DEFAULT} commands on a loaded machine; the long run's runs are as long. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    /** The clients: both, or those {@code -Dgcsflush.fuzz.clients=jedis,lettuce} names. */
    static List<String> clients() {
        return List.of(System.getProperty("gcsflush.fuzz.clients", "jedis,lettuce").split(","));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void whatTheAgentTracksIsWhatTheServerHolds(String client, TestInfo test) throws Exception {
        Path dir = TestDirs.underTarget("fuzz").resolve(client);
        Files.createDirectories(dir);
        Path dump = dir.resolve("agent-keys.txt");
        Path marks = dir.resolve("marks.txt");
        Path trace = dir.resolve("trace.txt");
        Path report = dir.getParent().resolve(client + ".txt");
        long start = System.nanoTime();
        try (RedisServer redis = RedisServer.builder().name(Scenario.name(test)).start()) {
            ForeignKeys foreign = new ForeignKeys().conditionalTargets(0, FuzzKeys.FOREIGN, FOREIGN).write(redis);
            try (ChildJvm app = ChildJvm.builder(test)
                    .agent("threshold=1t,log=debug")
                    .systemProperty("gcsflush.debug.dump", dump.toString())
                    .mainClass(FuzzApp.class)
                    .args("--client", client, "--port", Integer.toString(redis.port()), "--seed", Long.toString(SEED),
                            "--marks", marks.toString(), "--foreign", Integer.toString(FOREIGN))
                    .args(TRACE ? new String[] {"--trace", trace.toString()} : new String[0])
                    .args("--swapdb", Boolean.toString(SWAPDB))
                    .openStdin()
                    .start()) {
                log(report, false, "seed " + SEED + ", " + COMMANDS + " commands through " + client + ", checked every "
                        + CHECK_EVERY + "; redis " + redis.version() + "; child log " + app.logFile());
                int checks = 0;
                long sent = 0;
                while (sent < COMMANDS) {
                    app.send("run " + Math.min(CHECK_EVERY, COMMANDS - sent));
                    String paused = nth(app, "paused ", ++checks, RUN_TIMEOUT);
                    sent = Long.parseLong(paused.split(" ")[1].substring("commands=".length()));
                    check(app, redis, dump, marks, trace, report, sent);
                }
                foreign.assertUntouched(redis);
                app.send("quit");
                assertEquals(0, app.waitForExit(Scenario.TIMEOUT), app::report);
                Scenario.assertNoAgentErrors(app);
                String exit = app.waitForLine("^exit ", Scenario.TIMEOUT);
                log(report, true, String.format(Locale.ROOT, "passed: %d checks in %.0f s; %s", checks,
                        (System.nanoTime() - start) / 1e9, exit));
            }
        }
    }

    /** Waits for the agent to agree with the server after a pause; fails with the differences that stay. */
    private static void check(ChildJvm app, RedisServer redis, Path dump, Path marksFile, Path trace, Path report,
                              long sent) {
        var marks = FuzzOracle.marks(marksFile);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int attempts = 0;
        while (true) {
            attempts++;
            FuzzOracle.Dump d = FuzzOracle.dump(dump, Scenario.TIMEOUT);
            FuzzOracle.ServerState s = FuzzOracle.server(redis);
            List<FuzzOracle.Difference> differences = FuzzOracle.compare(d, s, marks);
            if (differences.isEmpty()) {
                long held = 0;
                for (var db : s.keys()) held += db.size();
                log(report, true, "after " + sent + " commands: " + d.size() + " keys tracked, " + held + " in the "
                        + "server, " + d.applied() + " commands applied; agreed after " + attempts + " look(s)");
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder head = new StringBuilder();
                for (FuzzOracle.Difference x : differences.subList(0, Math.min(40, differences.size()))) {
                    head.append("\n  ").append(x);
                }
                for (FuzzOracle.Difference x : differences.subList(0, Math.min(6, differences.size()))) {
                    if (x.key() != null && TRACE) head.append(history(trace, x));
                }
                log(report, true, "after " + sent + " commands, " + differences.size() + " differences:" + head);
                throw new AssertionError("after " + sent + " commands (seed " + SEED + "), the agent and the server "
                        + "disagree, " + differences.size() + " times:" + head + "\nchild " + app.report());
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The last commands of the trace that name the key, or flush or swap databases. */
    private static String history(Path trace, FuzzOracle.Difference x) {
        String name = x.key().toString();
        List<String> lines = new java.util.ArrayList<>();
        try (var all = Files.lines(trace, java.nio.charset.StandardCharsets.UTF_8)) {
            all.filter(l -> l.contains(name) || l.contains("FLUSHDB") || l.contains("SWAPDB")).forEach(lines::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "\n  history of " + x + ":\n    "
                + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** The {@code n}-th line that starts with {@code prefix}. */
    private static String nth(ChildJvm app, String prefix, int n, Duration timeout) {
        return app.waitForLine(new java.util.function.Predicate<>() {
            int seen;

            @Override
            public boolean test(String line) {
                return line.startsWith(prefix) && ++seen == n;
            }

            @Override
            public String toString() {
                return "line " + n + " starting with '" + prefix + "'";
            }
        }, timeout);
    }

    private static void log(Path report, boolean append, String line) {
        System.out.println("[FuzzIT] " + line);
        try {
            if (append) Files.writeString(report, line + "\n", java.nio.file.StandardOpenOption.APPEND);
            else Files.writeString(report, line + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
