package io.gcsflush.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A redis-server executable on this machine, with its version and where it came from.
 *
 * <p>Sources: an explicit path, {@code redis-server} on the PATH, or the binary shipped inside the
 * {@code com.github.codemonstur:embedded-redis} jar on the test classpath (extracted once per JVM).
 */
public final class RedisBinary {

    /** System property or environment variable naming an explicit redis-server to use. */
    public static final String OVERRIDE = "GCSFLUSH_REDIS_SERVER";

    private static final Pattern VERSION = Pattern.compile("\\bv=(\\d+(?:\\.\\d+)*)");

    private static volatile Optional<RedisBinary> onPath;
    private static volatile Optional<RedisBinary> embedded;

    private final Path path;
    private final String version;
    private final String origin;

    private RedisBinary(Path path, String version, String origin) {
        this.path = path;
        this.version = version;
        this.origin = origin;
    }

    /** The executable. Not resolved through links: Debian's redis-server is a link whose name matters. */
    public Path path() {
        return path;
    }

    /** What {@code redis-server --version} says, e.g. {@code 7.0.15}. */
    public String version() {
        return version;
    }

    /** Where it came from, for logs: {@code PATH}, {@code embedded-redis jar}, {@code GCSFLUSH_REDIS_SERVER}, ... */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "redis-server " + version + " (" + origin + ": " + path + ")";
    }

    /** The binary named by {@value #OVERRIDE} (system property first, then environment), if set. */
    static Optional<RedisBinary> fromOverride() {
        String value = System.getProperty(OVERRIDE);
        String origin = "-D" + OVERRIDE;
        if (value == null || value.isBlank()) {
            value = System.getenv(OVERRIDE);
            origin = "$" + OVERRIDE;
        }
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(of(Paths.get(value), origin));
    }

    /** A given executable; fails if it is not one or does not run. */
    public static RedisBinary of(Path path, String origin) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute) || !Files.isExecutable(absolute)) {
            throw new IllegalStateException("Not an executable redis-server: " + absolute + " (" + origin + ")");
        }
        return new RedisBinary(absolute, versionOf(absolute), origin);
    }

    /** {@code redis-server} on the PATH, looked up once per JVM. */
    static Optional<RedisBinary> onPath() {
        Optional<RedisBinary> found = onPath;
        if (found == null) {
            synchronized (RedisBinary.class) {
                found = onPath;
                if (found == null) {
                    found = findOnPath("redis-server").map(p -> new RedisBinary(p, versionOf(p), "PATH"));
                    onPath = found;
                }
            }
        }
        return found;
    }

    /** The embedded-redis jar's binary for this OS and CPU, extracted once per JVM under target/redis-bin. */
    static Optional<RedisBinary> embedded() {
        Optional<RedisBinary> found = embedded;
        if (found == null) {
            synchronized (RedisBinary.class) {
                found = embedded;
                if (found == null) {
                    found = extractEmbedded();
                    embedded = found;
                }
            }
        }
        return found;
    }

    /** The resource name inside the embedded-redis jar for this platform, or null if it ships none. */
    static String embeddedResourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux")) {
            return amd64 ? "redis-server-6.2.6-v5-linux-amd64" : arm64 ? "redis-server-6.2.7-linux-arm64" : null;
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return amd64 ? "redis-server-6.2.6-v5-darwin-amd64" : arm64 ? "redis-server-6.2.6-v5-darwin-arm64" : null;
        }
        return null;
    }

    private static Optional<RedisBinary> extractEmbedded() {
        String resource = embeddedResourceName();
        if (resource == null) {
            return Optional.empty();
        }
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Path dir = TestDirs.underTarget("redis-bin");
            Path target = dir.resolve(resource);
            // Written beside the target and moved over it, so that a JVM running the old copy is unharmed.
            Path tmp = Files.createTempFile(dir, resource + ".", ".tmp");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Optional.of(new RedisBinary(target, versionOf(target), "embedded-redis jar, " + resource));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource + " from the embedded-redis jar", e);
        }
    }

    private static Optional<Path> findOnPath(String name) {
        String pathVar = System.getenv("PATH");
        if (pathVar == null) {
            return Optional.empty();
        }
        for (String dir : pathVar.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** Runs {@code <binary> --version}; fails with its output if that does not work. */
    private static String versionOf(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = process.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(binary + " --version did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            Matcher m = VERSION.matcher(text);
            if (process.exitValue() != 0 || !m.find()) {
                throw new IllegalStateException(binary + " --version exited " + process.exitValue() + ": " + text);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
