package io.gcsflush.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the harness leaves files for people to read after a run: under the module's target/. */
final class TestDirs {

    private TestDirs() {
    }

    /** The module's build directory: failsafe sets {@code gcsflush.it.dir}; else ./target. */
    static Path target() {
        String configured = System.getProperty("gcsflush.it.dir");
        return Paths.get(configured != null && !configured.isBlank() ? configured : "target")
                .toAbsolutePath().normalize();
    }

    /** {@code target/<name>}, created if missing. */
    static Path underTarget(String name) {
        Path dir = target().resolve(name);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** A file name made of letters, digits, '.', '-' and '_' only. */
    static String safeFileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return safe.isEmpty() ? "unnamed" : safe;
    }
}
