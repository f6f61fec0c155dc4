package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gcsflush.it.ClientVersions.ClientVersion;
import io.gcsflush.it.ClientVersions.Family;
import io.gcsflush.it.apps.ClientVersionApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

/**
 * The version matrix: every client version of {@code client-versions.properties} (the newest patch release of each
 * major), in each of the ways its applications send commands, runs in a child JVM whose classpath is that version's
 * jars alone ({@link ClientJars}) and the test applications, with the agent. As in {@link JedisFlushIT} and
 * {@link LettuceFlushIT}: used_memory ends under the threshold, exactly the oldest of the application's keys are
 * gone, the test's own keys are untouched, the application exits cleanly; and the agent says nothing but its usual
 * lines. Then the newest version of each family on JDK 25 (skipped where there is none, see {@link Jdks}) and against
 * each redis-server (the embedded-redis 6.2 binary, the one on the PATH; skipped where one is missing), and a version
 * the agent does not support, which must run exactly as without it.
 *
 * <p>Each case adds a row to {@code target/client-matrix.md}: version, mode, JDK, Redis, result, time.
 */
class ClientVersionsIT {
    /** Fewer and smaller than the standard keys, for a matrix of some fifty cases: some 3.3 MiB. */
    private static final int COUNT = 3_000;
    private static final int VALUE_SIZE = 900;
    /** About 0.55 MiB a flush: used_memory goes under the threshold in some three flushes. */
    private static final int BATCH = 500;
    /** The JDK that the newest versions also run on. */
    private static final int NEXT_JDK = 25;
    /** How long an unsupported client's keys stay over the threshold untouched: seven of the agent's periods. */
    private static final long UNTOUCHED_MILLIS = 1_500;

    /** The agent's lines that a supported client never causes: warnings, errors, and "not tracked" notices. */
    private static final Pattern AGENT_TROUBLE = Pattern.compile(AgentLog.line("(?:WARN|ERROR)") + "|^\\[gcs-flush\\] "
            + "| is not a version this agent supports| does not have the methods the agent expects|could not "
            + "instrument|^WARNING: .*(gcs-flush|io\\.gcsflush)");
    private static final Pattern CLIENT_LINE = Pattern.compile("^client (\\S+) (\\S+) from (.+)$");

    /** One way of writing: the application's mode and the database. */
    enum Mode {
        JEDIS_PLAIN(Family.JEDIS, "plain", 0, "plain"),
        JEDIS_PIPELINE(Family.JEDIS, "pipeline", 0, "pipeline"),
        JEDIS_TRANSACTION(Family.JEDIS, "transaction", 0, "transaction"),
        JEDIS_SELECT(Family.JEDIS, "plain", 3, "SELECT 3"),
        LETTUCE_SYNC(Family.LETTUCE, "sync", 0, "sync"),
        LETTUCE_ASYNC(Family.LETTUCE, "async", 0, "async batches"),
        LETTUCE_MULTI(Family.LETTUCE, "multi", 0, "MULTI/EXEC"),
        LETTUCE_DB_IN_URI(Family.LETTUCE, "sync", 3, "database 3 in the URI"),
        REDISSON_BUCKET(Family.REDISSON, "bucket", 0, "RBucket"),
        REDISSON_MAP(Family.REDISSON, "map", 0, "RMap.put (a script)"),
        REDISSON_BATCH(Family.REDISSON, "batch", 0, "RBatch"),
        REDISSON_ATOMIC(Family.REDISSON, "atomic", 0, "RBatch IN_MEMORY_ATOMIC"),
        REDISSON_DATABASE(Family.REDISSON, "bucket", 3, "database 3 in the config");

        final Family family;
        final String arg;
        final int db;
        final String label;

        Mode(Family family, String arg, int db, String label) {
            this.family = family;
            this.arg = arg;
            this.db = db;
            this.label = label;
        }

        static List<Mode> of(Family family) {
            return Stream.of(values()).filter(m -> m.family == family).collect(Collectors.toList());
        }
    }

    /** Which redis-server a case runs against. */
    enum Server {
        /** The default choice of {@link RedisServer} (the PATH, else embedded-redis, unless configured). */
        DEFAULT,
        /** The binary inside the embedded-redis jar: Redis 6.2. */
        EMBEDDED,
        /** {@code redis-server} on the PATH: Redis 7.0 on Debian 12 and on CI. */
        PATH
    }

    /** One case of the matrix. {@code jdk} 0 is the test JVM's. */
    record Case(ClientVersion client, Mode mode, int jdk, Server server) {
        @Override
        public String toString() {
            return client + ", " + mode.label + (jdk != 0 ? ", JDK " + jdk : "")
                    + (server == Server.DEFAULT ? "" : ", " + serverLabel(server));
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // The cases

    static Stream<Case> everyVersionAndMode() {
        return ClientVersions.all().stream()
                .flatMap(v -> Mode.of(v.family()).stream().map(m -> new Case(v, m, 0, Server.DEFAULT)));
    }

    static Stream<Case> newestOnNextJdk() {
        return Stream.of(
                new Case(ClientVersions.newest(Family.JEDIS), Mode.JEDIS_PLAIN, NEXT_JDK, Server.DEFAULT),
                new Case(ClientVersions.newest(Family.JEDIS), Mode.JEDIS_PIPELINE, NEXT_JDK, Server.DEFAULT),
                new Case(ClientVersions.newest(Family.LETTUCE), Mode.LETTUCE_SYNC, NEXT_JDK, Server.DEFAULT),
                new Case(ClientVersions.newest(Family.LETTUCE), Mode.LETTUCE_ASYNC, NEXT_JDK, Server.DEFAULT),
                new Case(ClientVersions.newest(Family.REDISSON), Mode.REDISSON_BUCKET, NEXT_JDK, Server.DEFAULT),
                new Case(ClientVersions.newest(Family.REDISSON), Mode.REDISSON_BATCH, NEXT_JDK, Server.DEFAULT));
    }

    static Stream<Case> newestOnEachRedisServer() {
        return Stream.of(Server.EMBEDDED, Server.PATH).flatMap(server -> Stream.of(
                new Case(ClientVersions.newest(Family.JEDIS), Mode.JEDIS_PLAIN, 0, server),
                new Case(ClientVersions.newest(Family.LETTUCE), Mode.LETTUCE_SYNC, 0, server),
                new Case(ClientVersions.newest(Family.REDISSON), Mode.REDISSON_BUCKET, 0, server)));
    }

    static Stream<ClientVersion> unsupportedVersions() {
        return Stream.of(Family.values()).flatMap(f -> ClientVersions.unsupported(f).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyVersionAndMode")
    void removesExactlyTheOldestKeys(Case c, TestInfo test) {
        Report.row(c, () -> flushCase(c, test, null, RedisServer.builder()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newestOnNextJdk")
    void removesExactlyTheOldestKeysOnTheNextJdk(Case c, TestInfo test) {
        Report.row(c, () -> {
            Jdks.Found jdk = Jdks.find(c.jdk());
            assumeTrue(jdk.present(), jdk.reason());
            Report.jdk(jdk.version());
            flushCase(c, test, jdk.java(), RedisServer.builder());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newestOnEachRedisServer")
    void removesExactlyTheOldestKeysOnEachRedisServer(Case c, TestInfo test) {
        Report.row(c, () -> {
            assumeTrue(RedisBinary.fromOverride().isEmpty(),
                    RedisBinary.OVERRIDE + " names the one redis-server every test uses");
            RedisServer.Source source = c.server() == Server.EMBEDDED ? RedisServer.Source.EMBEDDED
                    : RedisServer.Source.PATH;
            Optional<RedisBinary> binary = binary(c.server());
            assumeTrue(binary.isPresent(), () -> c.server() == Server.EMBEDDED
                    ? "embedded-redis ships no redis-server for " + System.getProperty("os.name") + "/"
                            + System.getProperty("os.arch")
                    : "no redis-server on the PATH (" + System.getenv("PATH") + ")");
            if (c.server() == Server.EMBEDDED) {
                assertTrue(binary.get().version().startsWith("6.2."), binary.get().toString());
            }
            flushCase(c, test, null, RedisServer.builder().sources(source));
        });
    }

    /**
     * A client version the agent does not support runs exactly as without the agent: the same output, exit 0, every
     * key written; the agent says once that the version is not supported, and removes nothing, even though
     * used_memory stays over the threshold.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupportedVersions")
    void anUnsupportedVersionRunsAsWithoutTheAgent(ClientVersion v, TestInfo test) {
        Mode mode = plainest(v.family());
        Report.row(new Case(v, mode, 0, Server.DEFAULT), mode.label + ", not supported: runs as without the agent",
                () -> unsupportedCase(v, mode, test));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // What each case does

    private static void flushCase(Case c, TestInfo test, Path java, RedisServer.Builder server) {
        ClientVersion v = c.client();
        ChildKeys keys = new ChildKeys(c.mode().db, "app", COUNT, VALUE_SIZE);
        try (Scenario s = Scenario.start(test, server, keys)) {
            Report.redis(s.redis.version());
            s.foreign.strings(keys.db, "foreign", 300).sameNamesAs(keys, keys.db == 0 ? 1 : 0, 300);
            s.writeForeignAndSetThreshold();
            ChildJvm.Builder child = writer(test, v, keys.args(s.redis, c.mode().arg))
                    .agent(s.agentArgs(BATCH))
                    .openStdin();
            if (java != null) {
                child.java(java);
            }
            try (ChildJvm app = child.start()) {
                assertRunsVersion(app, v);
                s.assertOldestFlushed(app);
                List<String> trouble = AgentLog.lines(app, AGENT_TROUBLE.pattern());
                assertEquals(List.of(), trouble, () -> "the agent's warnings for " + v + "; " + app.report());
            }
        }
    }

    private static void unsupportedCase(ClientVersion v, Mode mode, TestInfo test) {
        ChildKeys keys = new ChildKeys(0, "app", COUNT, VALUE_SIZE);
        ChildKeys withoutAgent = new ChildKeys(2, "app", COUNT, VALUE_SIZE);
        try (Scenario s = Scenario.start(test, keys)) {
            Report.redis(s.redis.version());
            s.foreign.strings(0, "foreign", 300);
            long threshold = s.writeForeignAndSetThreshold();

            // The reference: the same application, without the agent (in database 2, so the names do not clash).
            List<String> referenceOut;
            List<String> referenceErr;
            try (ChildJvm plain = writer(test, v, withoutAgent.args(s.redis, mode.arg)).start()) {
                assertEquals(0, plain.waitForExit(Scenario.TIMEOUT), plain::report);
                Scenario.assertNoException(plain);
                referenceOut = plain.stdout();
                referenceErr = plain.stderr();
            }
            assertTrue(withoutAgent.allPresent(s.redis), "the application without the agent wrote every key");

            try (ChildJvm app = writer(test, v, keys.args(s.redis, mode.arg)).agent(s.agentArgs(BATCH))
                    .openStdin().start()) {
                assertRunsVersion(app, v);
                app.waitForLine("^wrote " + COUNT + "$", Scenario.TIMEOUT);
                assertTrue(s.redis.usedMemory() >= threshold, () -> "used_memory " + s.redis.usedMemory()
                        + " is not over the threshold " + threshold + ": the test proves nothing");
                sleep(UNTOUCHED_MILLIS); // a tracked client's oldest keys would be gone by now
                assertTrue(keys.allPresent(s.redis), () -> "keys gone: "
                        + ChildKeys.describe(keys.goneRanges(s.redis, 0, COUNT)) + "; " + app.report());
                assertTrue(withoutAgent.allPresent(s.redis), "keys of the run without the agent are gone");
                s.foreign.assertUntouched(s.redis);
                assertTrue(s.redis.usedMemory() >= threshold, "used_memory went under the threshold");
                assertEquals(List.of(), AgentLog.flushes(app), app::report);
                Scenario.assertCleanExit(app);

                assertEquals(referenceOut, app.stdout(), "stdout with the agent and without it");
                Pattern agentLine = Pattern.compile(AgentLog.ANY);
                List<String> ownErr = app.stderr().stream().filter(l -> !agentLine.matcher(l).find())
                        .collect(Collectors.toList());
                assertEquals(referenceErr, ownErr, "the application's stderr with the agent and without it");

                String notSupported = AgentLog.line("INFO") + Pattern.quote(v.family().displayName + " " + v.version())
                        + " is not a version this agent supports; its commands are not tracked$";
                assertEquals(1, AgentLog.lines(app, notSupported).size(), app::report);
                List<String> others = AgentLog.lines(app, AgentLog.ANY).stream()
                        .filter(l -> !Pattern.compile(notSupported).matcher(l).find())
                        .filter(l -> !Pattern.compile(AgentLog.STARTED).matcher(l).find())
                        .collect(Collectors.toList());
                assertEquals(List.of(), others, () -> "the agent's other lines; " + app.report());
            }
        }
    }

    /** The child's first line says which client it loaded, and from which jar: this version's, from its folder. */
    private static void assertRunsVersion(ChildJvm app, ClientVersion v) {
        MatchResult m = app.waitForMatch(CLIENT_LINE, Scenario.TIMEOUT);
        assertEquals(v.family().artifactId + " " + v.version(), m.group(1) + " " + m.group(2), app::report);
        Path jar = Paths.get(m.group(3));
        assertTrue(jar.startsWith(ClientJars.folder(v)), () -> v + " came from " + jar + ", not from "
                + ClientJars.folder(v));
    }

    /** The family's plainest way of writing: one command at a time, in database 0. */
    private static Mode plainest(Family family) {
        switch (family) {
            case LETTUCE: return Mode.LETTUCE_SYNC;
            case REDISSON: return Mode.REDISSON_BUCKET;
            default: return Mode.JEDIS_PLAIN;
        }
    }

    /**
     * A child running the writer application of {@code v}'s family on that version's jars alone: Jedis's and
     * Lettuce's through {@link ClientVersionApp}, Redisson's compiled against the version ({@link ClientApps}).
     */
    private static ChildJvm.Builder writer(TestInfo test, ClientVersion v, String[] writerArgs) {
        ChildJvm.Builder child = ChildJvm.builder(test);
        if (v.family() == Family.REDISSON) {
            return child.classpath(ClientApps.redisson(v)).mainClass(ClientApps.REDISSON_MAIN).args(writerArgs);
        }
        String application = v.family() == Family.LETTUCE ? "lettuce" : v.major() < 3 ? "jedis-legacy" : "jedis";
        return child.classpath(ClientJars.classpath(v)).mainClass(ClientVersionApp.class).args(application)
                .args(writerArgs);
    }

    private static Optional<RedisBinary> binary(Server server) {
        try {
            return server == Server.EMBEDDED ? RedisBinary.embedded() : RedisBinary.onPath();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String serverLabel(Server server) {
        Optional<RedisBinary> binary = binary(server);
        String version = binary.map(b -> "Redis " + b.version()).orElse("Redis");
        return version + (server == Server.EMBEDDED ? " (embedded-redis)" : " (PATH)");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // The report

    /** Every version's jars, fetched before the first case (once, while target/ lasts: see {@link ClientJars}). */
    @BeforeAll
    static void fetchTheClients() {
        String fetched;
        try {
            fetched = ClientJars.fetchAll();
        } catch (RuntimeException e) {
            Report.start("Fetching the client versions failed: " + Report.firstLine(e.getMessage()));
            throw e;
        }
        Report.start(fetched);
    }

    @AfterAll
    static void endReport() {
        Report.end();
    }

    /**
     * {@code target/client-matrix.md}: one row per case, written as each ends, and the total at the end. The
     * failsafe reports have the same results; this puts version, mode, JDK and Redis in columns for people.
     */
    static final class Report {
        private static final Path FILE = TestDirs.target().resolve("client-matrix.md");
        private static long started;
        private static int passed;
        private static int failed;
        private static int skipped;
        private static String jdk;
        private static String redis;

        interface Body {
            void run();
        }

        static synchronized void start(String note) {
            started = System.nanoTime();
            write(List.of("# Client version matrix", "", note + ".", "",
                    "| client | version | mode | JDK | Redis | result | seconds |",
                    "| --- | --- | --- | --- | --- | --- | --- |"), false);
        }

        static void jdk(String version) {
            jdk = version;
        }

        static void redis(String version) {
            redis = version;
        }

        static void row(Case c, Body body) {
            row(c, c.mode().label, body);
        }

        static void row(Case c, String mode, Body body) {
            jdk = c.jdk() == 0 ? Runtime.version().feature() + "." + Runtime.version().interim() + "."
                    + Runtime.version().update() : "(JDK " + c.jdk() + ")";
            redis = "-";
            long start = System.nanoTime();
            String result = "pass";
            try {
                body.run();
            } catch (TestAbortedException e) {
                result = "skipped: " + firstLine(e.getMessage());
                throw e;
            } catch (RuntimeException | Error e) {
                result = "FAIL: " + firstLine(e.getMessage());
                throw e;
            } finally {
                String seconds = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9);
                synchronized (Report.class) {
                    if (result.equals("pass")) {
                        passed++;
                    } else if (result.startsWith("skipped")) {
                        skipped++;
                    } else {
                        failed++;
                    }
                }
                write(List.of("| " + c.client().family().displayName + " | " + c.client().version() + " | "
                        + mode + (c.server() == Server.DEFAULT ? "" : ", " + c.server().name().toLowerCase(Locale.ROOT))
                        + " | " + jdk + " | " + redis + " | " + result.replace('|', '/') + " | "
                        + seconds + " |"), true);
            }
        }

        static synchronized void end() {
            write(List.of("", String.format(Locale.ROOT, "%d passed, %d failed, %d skipped in %.1f s", passed,
                    failed, skipped, (System.nanoTime() - started) / 1e9)), true);
        }

        static String firstLine(String message) {
            if (message == null) {
                return "";
            }
            String line = message.lines().findFirst().orElse("");
            return line.length() > 160 ? line.substring(0, 160) + "..." : line;
        }

        private static synchronized void write(List<String> lines, boolean append) {
            try {
                Files.write(FILE, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + FILE, e);
            }
        }
    }
}
