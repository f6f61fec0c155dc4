package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.SpringApps.Driver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Spring Boot application writing through Spring Data Redis's {@code StringRedisTemplate}, configured by nothing
 * but Boot's standard properties on its command line ({@code --spring.data.redis.host/port/database}, and
 * {@code --spring.data.redis.client-type=jedis} for Jedis), runs with nothing but the {@code -javaagent} flag added:
 * as in {@link JedisFlushIT}, used_memory ends under the threshold, exactly the oldest of the application's keys are
 * gone, the test's own keys (also under the same names in another database) are untouched, and the application exits
 * cleanly; the agent says nothing but its usual lines, and says them through the application's logging as Boot
 * configured it. The application first says which connection factory Boot chose and which jar the driver's native
 * connection came from: the test checks both.
 *
 * <p>On Boot's default driver, Lettuce, and on Jedis, each at the version Spring Boot {@value SpringApps#BOOT_VERSION}
 * manages (see {@link SpringApps}), in databases 0 and 2, on a plain classpath ({@code -cp classes:jars...}); then
 * {@code executePipelined} on each driver in database 2 (Spring's own pipelines: on Lettuce, a dedicated connection
 * opened for each pipeline instead of the shared one; on Jedis, a {@code Pipeline} on a pooled connection); then the
 * application as a Boot executable jar ({@code java -cp app.jar JarLauncher}, what {@code java -jar} runs), whose
 * drivers Boot's {@code LaunchedClassLoader} loads from the jars nested in it.
 */
class SpringDataRedisIT {
    /** Some 5 MiB of Redis memory, values of a few hundred bytes: about 3 MiB over the threshold. */
    private static final int COUNT = 8_000;
    private static final int VALUE_SIZE = 500;

    private static final Pattern FACTORY = Pattern.compile("^connection factory (\\S+)$");
    private static final Pattern NATIVE = Pattern.compile("^native connection (\\S+) from (.+)$");
    /** The agent's lines that a supported client never causes: warnings, errors, and "not tracked" notices. */
    private static final Pattern AGENT_TROUBLE = Pattern.compile(AgentLog.line("(?:WARN|ERROR)") + "|^\\[gcs-flush\\] "
            + "| is not a version this agent supports| does not have the methods the agent expects|could not "
            + "instrument|^WARNING: .*(gcs-flush|io\\.gcsflush)");

    /** How the application is packaged and started. */
    enum Packaging {
        /** {@code java -cp target/spring-app/classes:<jars> SpringRedisWriterApp}. */
        CLASS_PATH("class path"),
        /** {@code java -cp <driver>-app.jar JarLauncher}, which is what {@code java -jar <driver>-app.jar} runs. */
        EXECUTABLE_JAR("executable jar");

        final String label;

        Packaging(String label) {
            this.label = label;
        }
    }

    /** One case: the driver, the database, how the application writes ({@code plain} or {@code pipelined}). */
    record Case(Driver driver, int db, String mode, Packaging packaging) {
        @Override
        public String toString() {
            return driver.displayName + ", database " + db + (mode.equals("plain") ? "" : ", " + mode) + ", "
                    + packaging.label;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Driver driver : Driver.values()) {
            for (int db : new int[] {0, 2}) {
                cases.add(new Case(driver, db, "plain", Packaging.CLASS_PATH));
            }
        }
        for (Driver driver : Driver.values()) {
            cases.add(new Case(driver, 2, "pipelined", Packaging.CLASS_PATH));
        }
        cases.add(new Case(Driver.LETTUCE, 0, "plain", Packaging.EXECUTABLE_JAR));
        cases.add(new Case(Driver.JEDIS, 2, "plain", Packaging.EXECUTABLE_JAR));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void removesExactlyTheOldestKeysOfTheSpringApplication(Case c, TestInfo test) {
        ChildKeys keys = new ChildKeys(c.db(), "spring", COUNT, VALUE_SIZE);
        ChildJvm.Builder child = ChildJvm.builder(test);
        if (c.packaging() == Packaging.CLASS_PATH) {
            child.classpath(SpringApps.classpath(c.driver())).mainClass(SpringApps.MAIN_CLASS);
        } else {
            child.classpath(SpringApps.executableJar(c.driver()).toString()).mainClass(SpringApps.JAR_LAUNCHER);
        }
        try (Scenario s = Scenario.start(test, keys)) {
            s.foreign.strings(keys.db, "foreign", 300).sameNamesAs(keys, keys.db == 0 ? 1 : 0, 500);
            s.writeForeignAndSetThreshold();
            child.agent(s.agentArgs(Scenario.BATCH)).args(arguments(c, keys, s.redis)).openStdin();
            try (ChildJvm app = child.start()) {
                assertDriver(app, c);
                s.assertOldestFlushed(app);
                assertThroughBootsLogging(app);
                List<String> trouble = AgentLog.lines(app, AGENT_TROUBLE.pattern());
                assertEquals(List.of(), trouble, () -> "the agent's warnings; " + app.report());
            }
        }
    }

    /**
     * The agent's lines came through the application's logging as Boot configured it: its console pattern, on stdout.
     * The start line too, which the agent logs before {@code main}: sent before Boot had configured its logging, it
     * would have been muted, or printed in Logback's default pattern.
     */
    private static void assertThroughBootsLogging(ChildJvm app) {
        for (String message : List.of("gcs-flush \\S+ started: ", "flushed \\S+: used_memory ")) {
            Pattern line = Pattern.compile("^\\S+\\s+INFO \\d+ --- .*\\[\\s*gcs-flush-log\\] io\\.gcsflush\\s+: "
                    + message);
            assertTrue(app.stdout().stream().anyMatch(l -> line.matcher(l).find()),
                    () -> "no line /" + line + "/ in Boot's console; " + app.report());
        }
    }

    /**
     * The application's command line: Boot's standard Redis properties, and the writer's own settings. Lettuce is
     * Boot's default: no client type for it (the Jedis set has Lettuce on its classpath too, so Jedis must be named).
     */
    private static String[] arguments(Case c, ChildKeys keys, RedisServer redis) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.data.redis.host=" + redis.host(),
                "--spring.data.redis.port=" + redis.port(),
                "--spring.data.redis.database=" + keys.db));
        if (c.driver() == Driver.JEDIS) {
            args.add("--spring.data.redis.client-type=jedis");
        }
        args.addAll(List.of(
                "--writer.prefix=" + keys.prefix,
                "--writer.count=" + keys.count,
                "--writer.value-size=" + keys.valueSize,
                "--writer.mode=" + c.mode()));
        return args.toArray(String[]::new);
    }

    /**
     * Boot chose the driver's connection factory, and the native connection came from the driver's jar of the
     * application's own set (on the class path: that file; in the executable jar: that jar nested in it).
     */
    private static void assertDriver(ChildJvm app, Case c) {
        String factory = app.waitForMatch(FACTORY, Scenario.TIMEOUT).group(1);
        assertEquals(c.driver().factoryClass, factory, () -> "the connection factory Boot chose; " + app.report());
        MatchResult nativeConnection = app.waitForMatch(NATIVE, Scenario.TIMEOUT);
        String type = nativeConnection.group(1);
        String origin = nativeConnection.group(2);
        assertTrue(type.startsWith(c.driver().nativePackage), () -> "native connection " + type + " is not "
                + c.driver().displayName + "'s; " + app.report());
        Path jar = c.driver().driverJar();
        if (c.packaging() == Packaging.CLASS_PATH) {
            assertEquals(jar.toAbsolutePath().toString(), origin,
                    () -> "where " + type + " came from; " + app.report());
        } else {
            assertTrue(origin.startsWith("jar:nested:") && origin.contains("BOOT-INF/lib/" + jar.getFileName()),
                    () -> "expected " + type + " from BOOT-INF/lib/" + jar.getFileName() + " nested in "
                            + SpringApps.executableJar(c.driver()) + ", got " + origin + "; " + app.report());
        }
        System.out.println(c + ": " + factory.substring(factory.lastIndexOf('.') + 1) + ", " + type + " from "
                + jar.getFileName());
    }
}
