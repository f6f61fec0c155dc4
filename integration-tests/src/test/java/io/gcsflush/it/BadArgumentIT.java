package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.JedisWriterApp;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A setting the agent cannot use turns it off with one line on stderr, and the application runs as if it were not
 * there; so does {@code enabled=false}, with one line of its own. In each case a threshold of 1 byte is given too
 * (in the agent argument, or as a system property where the argument's threshold is the bad one), and the
 * application stays some periods after writing: an agent that ran anyway would remove its keys.
 */
class BadArgumentIT {
    private static final int COUNT = 2_000;
    /** How long the application stays after writing: several of the agent's periods. */
    private static final String HOLD_MS = "1500";
    /** The parts of the password that {@link #aPasswordWithACommaIsNeverPrinted} gives: no output may hold them. */
    private static final List<String> PASSWORD_FRAGMENTS = List.of("s3cr", "etPart");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "threshold=2x,period=200ms       | invalid threshold=2x in the agent argument: expected a size",
        "threshold=1,period=200ms,foo=1  | unknown setting 'foo' (=1) in the agent argument; known settings: ",
        "threshold=1,period=-1s          | invalid period=-1s in the agent argument: expected a duration",
    })
    void aBadSettingInTheAgentArgumentDisablesTheAgent(String agentArgs, String message, TestInfo test) {
        List<String> agentLines = runWithTheAgentOff(test, b -> b.agent(AgentJar.path(), agentArgs));
        assertOnlyError(agentLines, message);
    }

    /**
     * A comma in a password splits the agent argument: the part after it has no '=' and disables the agent, and no
     * fragment of the password is printed.
     */
    @Test
    void aPasswordWithACommaIsNeverPrinted(TestInfo test) {
        List<String> agentLines = runWithTheAgentOff(test,
                b -> b.agent(AgentJar.path(), "threshold=1,period=200ms,redis.password=s3cr,etPart"));
        assertOnlyError(agentLines, "invalid agent argument: a part after redis.password has no '=' (not shown: ");
    }

    /** A line break in a value is escaped: the error stays one line, and nothing of it starts a line of its own. */
    @Test
    void aNewlineInTheArgumentDoesNotSplitTheError(TestInfo test) {
        List<String> agentLines = runWithTheAgentOff(test,
                b -> b.agent(AgentJar.path(), "threshold=1,period=200ms\nbatch=5"));
        assertOnlyError(agentLines, "invalid period=200ms\\nbatch=5 in the agent argument: expected a duration");
    }

    @Test
    void aHugeValueIsCutInTheError(TestInfo test) {
        String huge = "9".repeat(120_000);
        List<String> agentLines = runWithTheAgentOff(test,
                b -> b.agent(AgentJar.path(), "threshold=1,period=200ms,batch=" + huge + "x"));
        assertOnlyError(agentLines, "invalid batch=" + "9".repeat(64) + "...(cut: 120001 characters) in the agent "
                + "argument: expected a whole number");
        assertTrue(agentLines.get(0).length() < 300, () -> agentLines.get(0).length() + " characters");
    }

    /**
     * An environment variable that names no setting of the agent may belong to its installation: it is ignored with
     * one warning, and the agent runs and flushes.
     */
    @Test
    void anUnrelatedEnvironmentVariableDoesNotDisableTheAgent(TestInfo test) {
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(0))) {
            s.writeForeignAndSetThreshold();
            ChildJvm.Builder writer = s.writer(JedisWriterApp.class, "plain").env("GCSFLUSH_HOME", "/opt/gcs-flush");
            try (ChildJvm app = writer.start()) {
                s.assertOldestFlushed(app);
                assertEquals(List.of("environment variable GCSFLUSH_HOME is not a setting of the agent; ignored"),
                        AgentLog.messages(app, "WARN"), app::report);
                assertEquals(List.of(), AgentLog.lines(app, AgentLog.ERROR), app::report);
            }
        }
    }

    @Test
    void aBadEnvironmentVariableDisablesTheAgent(TestInfo test) {
        List<String> agentLines = runWithTheAgentOff(test, b -> b.agent(AgentJar.path(), "threshold=1,period=200ms")
                .env("GCSFLUSH_BATCH", "lots"));
        assertOnlyError(agentLines, "invalid BATCH=lots in environment variable GCSFLUSH_BATCH: expected a whole number");
    }

    @Test
    void enabledFalseTurnsTheAgentOff(TestInfo test) {
        List<String> agentLines = runWithTheAgentOff(test,
                b -> b.agent(AgentJar.path(), "threshold=1,period=200ms,enabled=false"));
        assertEquals(1, agentLines.size(), () -> "the agent's lines: " + agentLines);
        assertTrue(agentLines.get(0).matches(".* INFO gcs-flush - gcs-flush \\S+ is disabled \\(enabled=false\\)$"),
                agentLines.get(0));
    }

    /**
     * A bad setting where the agent argument sets the same one is never read: the agent starts, with the argument's
     * value; and the other settings come from system properties and the environment, as its start-up line says.
     */
    @Test
    void theAgentArgumentWinsOverBadSystemPropertiesAndEnvironmentVariables(TestInfo test) {
        try (RedisServer redis = RedisServer.builder().name(Scenario.name(test)).start();
             ChildJvm app = ChildJvm.builder(test)
                     .agent(AgentJar.path(), "threshold=1g,period=200ms")
                     .systemProperty("gcsflush.period", "-1s")
                     .systemProperty("gcsflush.batch", "7")
                     .env("GCSFLUSH_THRESHOLD", "2x")
                     .env("GCSFLUSH_DRY_RUN", "true")
                     .mainClass(JedisWriterApp.class)
                     .args(new ChildKeys(0, "app", 10, 100).args(redis, "plain"))
                     .start()) {
            String started = app.waitForLine(AgentLog.STARTED, Scenario.TIMEOUT);
            for (String setting : List.of("threshold=1.0 GiB (the agent argument)", "period=200ms (the agent argument)",
                    "batch=7 (system property gcsflush.batch)", "dry-run=true (environment variable GCSFLUSH_DRY_RUN)")) {
                assertTrue(started.contains(setting), () -> "'" + setting + "' not in: " + started);
            }
            assertEquals(0, app.waitForExit(Scenario.TIMEOUT), app::report);
            assertEquals(List.of(), AgentLog.lines(app, AgentLog.ERROR), app::report);
            Scenario.assertNoException(app);
        }
    }

    /**
     * Runs the application with the agent as {@code withAgent} sets it up, plus {@code -Dgcsflush.threshold=1}
     * (the argument wins where it has a threshold); checks that the application ran its course, that no key is
     * gone and that nothing printed holds a fragment of a test password; returns the agent's lines.
     */
    private static List<String> runWithTheAgentOff(TestInfo test, UnaryOperator<ChildJvm.Builder> withAgent) {
        List<String> output = outputWithTheAgentOff(test, withAgent);
        for (String fragment : PASSWORD_FRAGMENTS) {
            assertTrue(output.stream().noneMatch(line -> line.contains(fragment)), () -> "'" + fragment
                    + "' printed: " + output);
        }
        Pattern agentLine = Pattern.compile(AgentLog.ANY);
        return output.stream().filter(line -> agentLine.matcher(line).find()).collect(Collectors.toList());
    }

    /** The child's output, stdout and stderr, once it has run its course with no key removed. */
    private static List<String> outputWithTheAgentOff(TestInfo test, UnaryOperator<ChildJvm.Builder> withAgent) {
        try (RedisServer redis = RedisServer.builder().name(Scenario.name(test)).start()) {
            ChildKeys keys = new ChildKeys(0, "app", COUNT, 100);
            ChildJvm.Builder builder = ChildJvm.builder(test)
                    .systemProperty("gcsflush.threshold", "1")
                    .mainClass(JedisWriterApp.class)
                    .args(keys.args(redis, "plain"))
                    .args("--hold-ms", HOLD_MS);
            try (ChildJvm app = withAgent.apply(builder).start()) {
                assertEquals(0, app.waitForExit(Scenario.TIMEOUT), app::report);
                assertTrue(app.stdout().containsAll(List.of("wrote " + COUNT, "exit")), app::report);
                Scenario.assertNoException(app);
                assertEquals(COUNT, redis.dbSize(), () -> "keys removed; " + app.report());
                return app.output();
            }
        }
    }

    /** Exactly one line from the agent, its error, which contains {@code message}. */
    private static void assertOnlyError(List<String> agentLines, String message) {
        assertEquals(1, agentLines.size(), () -> "the agent's lines: " + agentLines);
        String line = agentLines.get(0);
        assertTrue(line.startsWith("[gcs-flush] ERROR "), line);
        assertTrue(line.contains(message), () -> "'" + message + "' not in: " + line);
        assertTrue(line.endsWith("; the agent is disabled and the application runs without it"), line);
    }
}
