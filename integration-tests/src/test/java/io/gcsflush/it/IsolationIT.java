package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.IsolationApp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The agent next to an application that has its own SLF4J binding, its own Byte Buddy and its own Jedis, in versions
 * other than those of the test classpath and of the agent's bundled Byte Buddy: each library works for the
 * application as if the agent were absent, the agent's classes are invisible to it, and the agent still tracks and
 * flushes its keys. The child's classpath is built from the jars the POM copies to {@code target/isolation-classpath}
 * (slf4j-simple 2.0.9, byte-buddy 1.14.18, Jedis 5.2.0 and its dependencies) plus the test classes, nothing else.
 */
class IsolationIT {
    private static final String SLF4J_VERSION = required("gcsflush.it.isolation.slf4j");
    private static final String BYTEBUDDY_VERSION = required("gcsflush.it.isolation.bytebuddy");

    @Test
    void theApplicationKeepsItsOwnLibrariesAndTheAgentStillFlushes(TestInfo test) {
        try (Scenario s = Scenario.start(test, Scenario.standardKeys(0))) {
            s.foreign.strings(0, "foreign", 300);
            s.writeForeignAndSetThreshold();
            try (ChildJvm app = s.writer(IsolationApp.class, "plain").classpath(isolatedClasspath()).start()) {
                // slf4j-simple's format, "[thread] LEVEL logger - message", from the application's own binding.
                app.waitForLine("^\\[main\\] INFO " + Pattern.quote(IsolationApp.class.getName())
                        + " - SLF4J binding org\\.slf4j\\.simple\\.SimpleLoggerFactory " + Pattern.quote(SLF4J_VERSION)
                        + "$", Scenario.TIMEOUT);
                app.waitForLine("^byte-buddy " + Pattern.quote(BYTEBUDDY_VERSION) + " \\(byte-buddy-"
                        + Pattern.quote(BYTEBUDDY_VERSION) + "\\.jar\\) made .*MadeAtRunTime: made by the application$",
                        Scenario.TIMEOUT);
                for (String agentClass : IsolationApp.AGENT_CLASSES) {
                    app.waitForLine("^(not )?visible: " + Pattern.quote(agentClass) + " ", Scenario.TIMEOUT);
                }
                List<String> visible = app.stdout().stream().filter(l -> l.startsWith("visible: "))
                        .collect(Collectors.toList());
                assertEquals(List.of(), visible, "the agent's classes are visible to the application");

                s.assertOldestFlushed(app);
            }
        }
    }

    /** The test classes (for the application) and the copied jars: none of the test classpath's jars. */
    private static String isolatedClasspath() {
        Path dir = Paths.get(required("gcsflush.it.isolation.dir"));
        List<String> entries = new ArrayList<>();
        try {
            entries.add(Paths.get(IsolationApp.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> jars = Files.list(dir)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + " is missing: the POM copies the jars there in the"
                    + " pre-integration-test phase; run the test with `mvn verify`", e);
        }
        for (String jar : List.of("slf4j-simple-" + SLF4J_VERSION, "byte-buddy-" + BYTEBUDDY_VERSION, "jedis-")) {
            assertTrue(entries.stream().anyMatch(e -> Paths.get(e).getFileName().toString().startsWith(jar)),
                    () -> jar + "*.jar is missing from " + dir + ": " + entries);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set; failsafe sets it: run the"
                    + " integration tests with `mvn verify`");
        }
        return value;
    }
}
