package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.JedisWriterApp;
import io.gcsflush.it.apps.LettuceWriterApp;
import io.gcsflush.it.apps.PingApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where the agent's lines go: through the application's SLF4J, under the logger {@code io.gcsflush}, into the
 * application's own appender with the application's own pattern, for Logback and Log4j 2 behind SLF4J 2.x and 1.7;
 * to standard error, in the agent's own format, with {@code log.sink=stderr} or where the application has no SLF4J.
 *
 * <p>Each application is the Jedis writer on a class path of its own: the test applications and one set of jars
 * ({@link ClientJars}), Jedis 5.2.0 with the logging libraries named here, nothing of the test classpath. Its logging
 * is configured as an application's is, by a file the test writes and a system property naming it; the appender is a
 * file of the test's, in a pattern no other format has ({@code logback|time|level|thread|logger|message}).
 */
class AppLoggingIT {
    private static final String JEDIS = "redis.clients:jedis:5.2.0";
    private static final String SLF4J_2 = "org.slf4j:slf4j-api:2.0.17";
    private static final String SLF4J_17 = "org.slf4j:slf4j-api:1.7.36";
    private static final String LOG4J = "2.24.3";
    /** The agent's own format on stderr: {@code 2026-11-27T09:40:08.678Z INFO gcs-flush - }. */
    private static final String OWN_FORMAT = "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO gcs-flush - ";

    /** An application's logging: its jars, and how it is configured. */
    enum Backend {
        LOGBACK_SLF4J_2("logback", "logback.configurationFile",
                List.of(JEDIS, SLF4J_2, "ch.qos.logback:logback-classic:1.5.18")),
        LOG4J_SLF4J_2("log4j2", "log4j2.configurationFile",
                List.of(JEDIS, SLF4J_2, "org.apache.logging.log4j:log4j-slf4j2-impl:" + LOG4J,
                        "org.apache.logging.log4j:log4j-core:" + LOG4J)),
        LOGBACK_SLF4J_17("logback", "logback.configurationFile",
                List.of(JEDIS, SLF4J_17, "ch.qos.logback:logback-classic:1.2.13")),
        LOG4J_SLF4J_17("log4j2", "log4j2.configurationFile",
                List.of(JEDIS, SLF4J_17, "org.apache.logging.log4j:log4j-slf4j-impl:" + LOG4J,
                        "org.apache.logging.log4j:log4j-core:" + LOG4J));

        /** The first field of each line of the application's pattern. */
        final String prefix;
        final String configProperty;
        final ClientJars.ArtifactSet jars;

        Backend(String prefix, String configProperty, List<String> artifacts) {
            this.prefix = prefix;
            this.configProperty = configProperty;
            this.jars = new ClientJars.ArtifactSet("logging-" + name().toLowerCase().replace('_', '-'), null,
                    artifacts);
        }

        /** The configuration file of an application that logs to {@code log} in its own pattern. */
        String config(Path log) {
            String pattern = prefix + "|%d{HH:mm:ss.SSS}|%-5level|%thread|%logger|%msg%n";
            if (prefix.equals("logback")) {
                return String.join("\n",
                        "<configuration>",
                        "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">",
                        "    <file>" + log + "</file>",
                        "    <encoder><pattern>" + pattern + "</pattern></encoder>",
                        "  </appender>",
                        "  <root level=\"INFO\"><appender-ref ref=\"FILE\"/></root>",
                        "</configuration>", "");
            }
            return String.join("\n",
                    "<Configuration status=\"warn\">",
                    "  <Appenders>",
                    "    <File name=\"FILE\" fileName=\"" + log + "\">",
                    "      <PatternLayout pattern=\"" + pattern + "\"/>",
                    "    </File>",
                    "  </Appenders>",
                    "  <Loggers><Root level=\"info\"><AppenderRef ref=\"FILE\"/></Root></Loggers>",
                    "</Configuration>", "");
        }
    }

    /** The writer on a backend's jars, its logging configured to {@code log}; the agent as {@code s} sets it up. */
    private static ChildJvm.Builder writer(Scenario s, Backend backend, Path log) {
        Path config = log.resolveSibling(backend.prefix + ".xml");
        write(config, backend.config(log));
        return s.writer(JedisWriterApp.class, "plain")
                .classpath(ClientJars.classpath(ClientJars.applicationClasses(), ClientJars.jars(backend.jars)))
                .systemProperty(backend.configProperty, config.toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void theAgentsLinesGoToTheApplicationsAppenderInItsPattern(Backend backend, TestInfo test) {
        Path log = logFile(test);
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(0))) {
            s.writeForeignAndSetThreshold();
            try (ChildJvm app = writer(s, backend, log).start()) {
                String line = "^" + backend.prefix + "\\|\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\|";
                awaitLine(log, line + "INFO \\|main\\|io\\.gcsflush\\.it\\.apps\\.WriterLoop\\|writing "
                        + Scenario.COUNT + " keys to ", app);
                awaitLine(log, line + "INFO \\|gcs-flush-log\\|io\\.gcsflush\\|gcs-flush \\S+ started: ", app);
                awaitLine(log, line + "INFO \\|gcs-flush-log\\|io\\.gcsflush\\|flushed \\S+: used_memory ", app);
                assertEquals(List.of(), AgentLog.lines(app, AgentLog.ANY), () -> "the agent's lines outside the "
                        + "application's log; " + app.report());
                Scenario.assertCleanExit(app);
            }
        }
    }

    /** {@code log.sink=stderr}: the application's appender has its own lines only. */
    @Test
    void logSinkStderrKeepsTheAgentsLinesOnStandardError(TestInfo test) {
        Path log = logFile(test);
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(0))) {
            s.writeForeignAndSetThreshold();
            ChildJvm.Builder writer = writer(s, Backend.LOGBACK_SLF4J_2, log).agent(s.agentArgs(Scenario.BATCH)
                    + ",log.sink=stderr");
            try (ChildJvm app = writer.start()) {
                app.waitForLine(OWN_FORMAT + "gcs-flush \\S+ started: ", Scenario.TIMEOUT);
                app.waitForLine(OWN_FORMAT + "flushed \\S+: used_memory ", Scenario.TIMEOUT);
                awaitLine(log, "\\|io\\.gcsflush\\.it\\.apps\\.WriterLoop\\|writing ", app);
                Scenario.assertCleanExit(app);
                List<String> agentLines = read(log).stream().filter(l -> l.contains("|io.gcsflush|"))
                        .collect(Collectors.toList());
                assertEquals(List.of(), agentLines, "the agent's lines in the application's log");
            }
        }
    }

    /** No SLF4J at all (Lettuce 5 brings none; 6 does): stderr, as before there was a choice, and nothing else said. */
    @Test
    void withoutSlf4jTheAgentLogsOnStandardError(TestInfo test) {
        ClientJars.ArtifactSet lettuce = new ClientJars.ArtifactSet("logging-none-lettuce", null,
                List.of("io.lettuce:lettuce-core:5.3.7.RELEASE"));
        List<Path> jars = ClientJars.jars(lettuce);
        assertTrue(jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("slf4j")), jars::toString);
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(0))) {
            s.writeForeignAndSetThreshold();
            ChildJvm.Builder writer = s.writer(LettuceWriterApp.class, "sync")
                    .classpath(ClientJars.classpath(ClientJars.applicationClasses(), jars));
            try (ChildJvm app = writer.start()) {
                app.waitForLine(OWN_FORMAT + "gcs-flush \\S+ started: ", Scenario.TIMEOUT);
                s.assertOldestFlushed(app);
                List<String> agentLines = AgentLog.lines(app, AgentLog.ANY);
                assertTrue(agentLines.stream().allMatch(l -> l.matches(OWN_FORMAT.replace(" INFO ", " \\w+ ") + ".*")),
                        () -> "not all in the agent's own format: " + agentLines);
                assertEquals(List.of(), AgentLog.lines(app, AgentLog.line("WARN")), app::report);
            }
        }
    }

    /** {@code log.sink=slf4j} where SLF4J has no binding (Jedis brings the API alone): stderr, and one line why. */
    @Test
    void logSinkSlf4jSaysWhyItWritesToStandardError(TestInfo test) {
        ClientJars.ArtifactSet jedisAlone = new ClientJars.ArtifactSet("logging-none-jedis", null, List.of(JEDIS));
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(0))) {
            s.writeForeignAndSetThreshold();
            ChildJvm.Builder writer = s.writer(JedisWriterApp.class, "plain")
                    .agent(s.agentArgs(Scenario.BATCH) + ",log.sink=slf4j")
                    .classpath(ClientJars.classpath(ClientJars.applicationClasses(), ClientJars.jars(jedisAlone)));
            try (ChildJvm app = writer.start()) {
                s.assertOldestFlushed(app);
                assertEquals(List.of("log.sink=slf4j, but the application's SLF4J has no binding on its class path: "
                        + "the agent logs to standard error"), AgentLog.messages(app, "WARN"), app::report);
                assertTrue(AgentLog.lines(app, AgentLog.STARTED).get(0).matches(OWN_FORMAT + ".*"), app::report);
            }
        }
    }

    /**
     * An application with an SLF4J binding (slf4j-simple, on the test classpath) that never uses it: the agent must not
     * be the one to start SLF4J, so its lines wait for the application, and are written to stderr, in the agent's own
     * format, when the JVM exits before it has.
     */
    @Test
    void linesHeldForAnApplicationThatNeverLogsAreWrittenToStderrAtExit(TestInfo test) {
        try (RedisServer redis = RedisServer.builder().name(Scenario.name(test)).start();
             ChildJvm app = ChildJvm.builder(test)
                     .agent("threshold=1g")
                     .mainClass(PingApp.class)
                     .args(redis.host(), String.valueOf(redis.port()), "10")
                     .start()) {
            assertEquals(0, app.waitForExit(Scenario.TIMEOUT), app::report);
            assertEquals(1, AgentLog.lines(app, OWN_FORMAT + "gcs-flush \\S+ started: ").size(), app::report);
            assertEquals(List.of(), AgentLog.lines(app, " io\\.gcsflush - "), "a line through slf4j-simple");
        }
    }

    /** {@code target/app-logging/<test>[.<case>]/app.log}, emptied. */
    private static Path logFile(TestInfo test) {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test");
        String name = method + (test.getDisplayName().startsWith(method) ? "" : "." + test.getDisplayName());
        Path dir = TestDirs.underTarget("app-logging").resolve(TestDirs.safeFileName(name));
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve("app.log");
            Files.deleteIfExists(log);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitLine(Path log, String regex, ChildJvm app) {
        Pattern pattern = Pattern.compile(regex);
        Await.until("a line matching /" + regex + "/ in " + log, Scenario.TIMEOUT,
                () -> read(log).stream().anyMatch(l -> pattern.matcher(l).find()),
                () -> "the application's log:\n" + String.join("\n", read(log)) + "\nchild " + app.report());
    }

    private static List<String> read(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
