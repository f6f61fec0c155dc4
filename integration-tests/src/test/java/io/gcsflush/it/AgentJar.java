package io.gcsflush.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Locates the agent under test, {@code agent/target/gcs-flush.jar}. Failsafe passes its path as
 * the system property {@value #PROPERTY}; run {@code mvn -B verify} from the repository root (or
 * {@code mvn -pl integration-tests -am verify}) so that the agent module builds it first.
 */
public final class AgentJar {

    public static final String PROPERTY = "gcsflush.agent.jar";

    private AgentJar() {
    }

    /** The agent jar; fails the calling test with a clear message if it is not configured or not built. */
    public static Path path() {
        return check(System.getProperty(PROPERTY));
    }

    /** Whether the agent jar is configured and built (for tests that can run without it). */
    public static boolean isBuilt() {
        return configured().map(Files::isRegularFile).orElse(false);
    }

    /** The configured path, built or not. */
    static Optional<Path> configured() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Paths.get(value).toAbsolutePath().normalize());
    }

    /**
     * The agent module's directory ({@code agent/}, two levels above the jar), whose jars and
     * classes must never be on a child JVM's classpath.
     */
    static Optional<Path> moduleDir() {
        return configured().map(jar -> jar.getParent() == null ? null : jar.getParent().getParent());
    }

    static Path check(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("System property " + PROPERTY + " is not set: it must name the"
                    + " agent jar (failsafe sets it to agent/target/gcs-flush.jar). Run the integration tests"
                    + " with `mvn -B verify` from the repository root, or pass -D" + PROPERTY + "=<path>.");
        }
        Path jar = Paths.get(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The gcs-flush agent jar does not exist: " + jar + " (from -D"
                    + PROPERTY + "). Build it first: `mvn -B verify` from the repository root builds the"
                    + " agent module before the integration tests; `mvn -B -pl integration-tests -am verify`"
                    + " does the same for this module alone.");
        }
        return jar;
    }
}
