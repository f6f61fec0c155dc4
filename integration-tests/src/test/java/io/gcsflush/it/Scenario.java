package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestInfo;

/**
 * The scenario most tests share, in steps: a real redis-server of the test's own; keys of the test's own written
 * first ({@link ForeignKeys}); a threshold a little above the memory they take; a writer application in a child JVM
 * with the agent, whose keys ({@link ChildKeys}) take several MiB more than that; then the checks that the agent
 * removed exactly the application's oldest keys, enough of them to go below the threshold, and nothing else.
 *
 * <pre>{@code
 * try (Scenario s = Scenario.start(test, new ChildKeys(0, "app", Scenario.COUNT, Scenario.VALUE_SIZE))) {
 *     s.foreign.strings(0, "foreign", 200);
 *     s.writeForeignAndSetThreshold();
 *     try (ChildJvm app = s.writer(JedisWriterApp.class, "plain").start()) {
 *         s.assertOldestFlushed(app);
 *     }
 * }
 * }</pre>
 */
final class Scenario implements AutoCloseable {
    static final long MIB = 1L << 20;
    /** For anything the child should do soon: generous, as a loaded CI machine can be slow, but bounded. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The agent's period in these tests: short, so that a test takes seconds. */
    static final String PERIOD = "200ms";
    /**
     * Keys and value size of the standard application: some 6 MiB of Redis memory (about 1.1 KiB a key), in few
     * enough commands that a synchronous client writes them in a few seconds.
     */
    static final int COUNT = 6_000;
    static final int VALUE_SIZE = 900;
    /** Keys one flush removes: about 1 MiB, so that several flushes happen. */
    static final int BATCH = 1_000;
    /** The threshold is this much above the memory the server uses before the application starts. */
    static final long MARGIN = 2 * MIB;

    /**
     * Lines of a printed exception: its first line ({@code java.lang.IllegalStateException: ...}, possibly after
     * {@code Exception in thread "main"} or a logger's prefix), a stack frame, or a cause.
     */
    private static final Pattern EXCEPTION = Pattern.compile(
            "(^|\\s)([a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error)(: |$)|^\\s+at [\\w$.<>/]+\\(|^Caused by: ");

    final RedisServer redis;
    final ChildKeys keys;
    final ForeignKeys foreign = new ForeignKeys();
    private final TestInfo test;
    private long threshold = -1;

    private Scenario(TestInfo test, RedisServer redis, ChildKeys keys) {
        this.test = test;
        this.redis = redis;
        this.keys = keys;
    }

    /** Starts a redis-server for the test, whose application will write {@code keys}. */
    static Scenario start(TestInfo test, ChildKeys keys) {
        return start(test, RedisServer.builder(), keys);
    }

    /** Starts the redis-server {@code server} describes (a binary, sources) for the test. */
    static Scenario start(TestInfo test, RedisServer.Builder server, ChildKeys keys) {
        return new Scenario(test, server.name(name(test)).start(), keys);
    }

    /**
     * The standard application in database 0 on a server protected as {@code security} (a password, ACL users, TLS),
     * with 300 keys of the test's own written and the threshold set.
     */
    static Scenario startProtected(TestInfo test, RedisSecurity security) {
        Scenario s = start(test, RedisServer.builder().security(security), standardKeys(0));
        try {
            s.foreign.strings(0, "foreign", 300);
            s.writeForeignAndSetThreshold();
            return s;
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    /** The standard application: {@value #COUNT} keys of {@value #VALUE_SIZE} bytes in database {@code db}. */
    static ChildKeys standardKeys(int db) {
        return new ChildKeys(db, "app", COUNT, VALUE_SIZE);
    }

    /** Writes {@link #foreign} and sets the threshold {@value #MARGIN} bytes above the memory then used. */
    long writeForeignAndSetThreshold() {
        foreign.write(redis);
        threshold = redis.usedMemory() + MARGIN;
        return threshold;
    }

    long threshold() {
        if (threshold < 0) {
            throw new IllegalStateException("writeForeignAndSetThreshold() first");
        }
        return threshold;
    }

    /** {@code threshold=<bytes>,period=200ms,batch=<batch>}. */
    String agentArgs(int batch) {
        return "threshold=" + threshold() + ",period=" + PERIOD + ",batch=" + batch;
    }

    /**
     * A child running the writer application {@code app} in {@code mode} on {@link #keys}, with the agent (the
     * threshold, {@value #PERIOD}, {@value #BATCH} keys a flush) and an open stdin: it stays until
     * {@link #assertCleanExit(ChildJvm)} closes it.
     */
    ChildJvm.Builder writer(Class<?> app, String mode) {
        return writer(app.getName(), null, mode);
    }

    /**
     * As {@link #writer(Class, String)}, for a writer application named {@code mainClass} on {@code classpath}, or on
     * the test classpath if that is null: one built against a client that stays off it ({@link ClientApps}).
     */
    ChildJvm.Builder writer(String mainClass, String classpath, String mode) {
        ChildJvm.Builder builder = ChildJvm.builder(test)
                .agent(agentArgs(BATCH))
                .mainClass(mainClass)
                .args(keys.args(redis, mode))
                .openStdin();
        return classpath == null ? builder : builder.classpath(classpath);
    }

    /**
     * Waits for the application to write its keys and for the agent to bring used_memory below the threshold, and
     * checks: (a) used_memory is below the threshold; (b) the application's keys that are gone are exactly its
     * oldest, some but not all, as many as the agent's log says it removed; (c) the test's own keys are untouched;
     * (d) the application exits 0 without an exception.
     *
     * @return how many of the oldest keys were gone once used_memory was below the threshold: the application may
     *     end just below it, and then the test's own connections can take it over again, for one more flush
     */
    int assertOldestFlushed(ChildJvm app) {
        long threshold = threshold();
        app.waitForLine("^wrote " + keys.count + "$", TIMEOUT);
        app.waitForLine(AgentLog.FLUSHED.pattern(), TIMEOUT);
        // Flushes stop once used_memory is below the threshold; the last one's log line follows its UNLINKs.
        int[] gone = new int[1];
        Await.until("used_memory below the threshold " + threshold + " and the keys gone as many as the agent says it"
                        + " removed", TIMEOUT,
                () -> {
                    gone[0] = gonePrefix(app); // fails at once if what is gone is not the oldest keys
                    return redis.usedMemory() < threshold && gone[0] == AgentLog.removed(app);
                },
                () -> state(app, gone[0]));
        assertTrue(gone[0] > 0, () -> "no key removed; " + state(app, gone[0]));
        assertTrue(gone[0] < keys.count, () -> "every key removed, not only the oldest; " + state(app, gone[0]));
        foreign.assertUntouched(redis);
        // Checking moves used_memory a little (the test's own connections): allow the agent a few periods again.
        Await.until("used_memory below the threshold " + threshold, TIMEOUT, () -> redis.usedMemory() < threshold,
                () -> state(app, gone[0]));
        assertCleanExit(app);
        return gone[0];
    }

    /** {@link ChildKeys#gonePrefix(RedisServer)}, failing with the child's output too. */
    int gonePrefix(ChildJvm app) {
        try {
            return keys.gonePrefix(redis);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the agent's flushes: " + AgentLog.flushes(app) + "; child "
                    + app.report(), e);
        }
    }

    /** Closes the application's stdin and checks that it says {@code exit}, exits 0 and printed no exception. */
    static void assertCleanExit(ChildJvm app) {
        app.closeStdin();
        assertEquals(0, app.waitForExit(TIMEOUT), app::report);
        assertTrue(app.stdout().contains("exit"), app::report);
        assertNoException(app);
    }

    /** The agent said nothing worse than INFO, and the child printed no exception. */
    static void assertNoAgentErrors(ChildJvm app) {
        List<String> bad = AgentLog.lines(app, AgentLog.line("(?:WARN|ERROR)") + "|" + AgentLog.ERROR);
        assertTrue(bad.isEmpty(), () -> "the agent warned: " + bad + "; " + app.report());
        assertNoException(app);
    }

    static void assertNoException(ChildJvm app) {
        List<String> exceptions = app.output().stream()
                .filter(line -> EXCEPTION.matcher(line).find())
                .collect(Collectors.toList());
        assertTrue(exceptions.isEmpty(), () -> "the child printed an exception: " + exceptions + "; " + app.report());
    }

    /** What the test knows, for failure messages. */
    String state(ChildJvm app, int gone) {
        return "used_memory " + redis.usedMemory() + " (threshold " + threshold + "), " + gone + " oldest of " + keys
                + " gone, the agent's log says " + AgentLog.removed(app) + " removed in "
                + AgentLog.flushes(app).size() + " flushes; child " + app.report();
    }

    @Override
    public void close() {
        redis.close();
    }

    /** {@code TestClass.method[display name]}, for the server's log file. */
    static String name(TestInfo test) {
        return test.getTestClass().map(Class::getSimpleName).orElse("test")
                + test.getTestMethod().map(m -> "." + m.getName()).orElse("")
                + (test.getDisplayName().startsWith("[") ? test.getDisplayName() : "");
    }
}
