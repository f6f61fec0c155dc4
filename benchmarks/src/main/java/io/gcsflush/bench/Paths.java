package io.gcsflush.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built jars are: beside the jar this harness runs from, unless -Dagent.jar / -Dapps.jar say otherwise. */
final class Paths {
    private Paths() {}

    static Path targetDir() {
        try {
            Path self = Path.of(Paths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self.getParent(); // target/ for target/benchmarks.jar and for target/classes
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path snapshot;

    /**
     * A copy of the agent jar taken when first asked for, in the results directory: the jar under agent/target may be
     * rebuilt while the benchmarks run (another build in the same tree), and every child must run the same agent.
     */
    static synchronized Path agentJar() {
        if (snapshot == null) {
            try {
                Path dir = resultsDir();
                Files.createDirectories(dir);
                snapshot = dir.resolve("gcs-flush-under-test.jar");
                for (int attempt = 0; ; attempt++) {
                    Files.copy(builtAgentJar(), snapshot, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    try (java.util.jar.JarFile j = new java.util.jar.JarFile(snapshot.toFile())) {
                        if (j.getManifest().getMainAttributes().getValue("Premain-Class") != null) break;
                    } catch (java.io.IOException | NullPointerException e) {
                        if (attempt == 10) throw new IllegalStateException("the agent jar stays unreadable", e);
                    }
                    Thread.sleep(1000); // it was being rewritten
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return snapshot;
    }

    static Path builtAgentJar() {
        String given = System.getProperty("agent.jar");
        Path p = given != null ? Path.of(given)
                : targetDir().resolve("../../agent/target/gcs-flush.jar").normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no agent jar at " + p + "; build it (mvn -pl agent package) or pass -Dagent.jar=");
        }
        return p.toAbsolutePath();
    }

    static Path appsJar() {
        String given = System.getProperty("apps.jar");
        Path p = given != null ? Path.of(given) : targetDir().resolve("bench-apps.jar");
        if (!Files.isRegularFile(p)) throw new IllegalStateException("no " + p + "; build the benchmarks module");
        return p.toAbsolutePath();
    }

    static Path resultsDir() {
        String given = System.getProperty("results.dir");
        return (given != null ? Path.of(given) : targetDir().resolve("../results").normalize()).toAbsolutePath();
    }
}
