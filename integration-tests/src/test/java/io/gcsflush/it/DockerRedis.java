package io.gcsflush.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The last source of a redis-server: a Testcontainers container, only where a Docker engine is
 * reachable. Every Testcontainers class is referenced from here only, so that a machine without
 * Docker never loads one (and Testcontainers never logs its search for an engine).
 */
final class DockerRedis implements AutoCloseable {

    /** System property naming the image; a redis 7.0 by default, like Debian 12's package. */
    static final String IMAGE_PROPERTY = "gcsflush.redis.image";

    private static volatile Boolean available;

    private final GenericContainer<?> container;
    private final Writer log;

    private DockerRedis(GenericContainer<?> container, Writer log) {
        this.container = container;
        this.log = log;
    }

    /** Whether Docker can be used: a cheap look for a socket or setting first, Testcontainers only then. */
    static boolean isAvailable() {
        Boolean known = available;
        if (known == null) {
            synchronized (DockerRedis.class) {
                known = available;
                if (known == null) {
                    known = looksPlausible() && askTestcontainers();
                    available = known;
                }
            }
        }
        return known;
    }

    static String image() {
        return System.getProperty(IMAGE_PROPERTY, "redis:7.0");
    }

    /** Starts redis-server in a container; the caller waits for PING on {@link #host()}:{@link #port()}. */
    static DockerRedis start(List<String> extraArgs, Path logFile) {
        List<String> command = new ArrayList<>(List.of(
                "redis-server", "--save", "", "--appendonly", "no", "--protected-mode", "no", "--port", "6379"));
        command.addAll(extraArgs);
        Writer log;
        try {
            log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image()))
                .withExposedPorts(6379)
                .withCommand(command.toArray(new String[0]));
        try {
            container.start();
            container.followOutput(frame -> {
                synchronized (log) {
                    try {
                        log.write(frame.getUtf8String());
                        log.flush();
                    } catch (IOException ignored) {
                        // the log is for debugging only
                    }
                }
            });
        } catch (RuntimeException e) {
            container.stop();
            closeQuietly(log);
            throw e;
        }
        return new DockerRedis(container, log);
    }

    String host() {
        return container.getHost();
    }

    int port() {
        return container.getMappedPort(6379);
    }

    String description() {
        return "Docker image " + container.getDockerImageName();
    }

    @Override
    public void close() {
        try {
            container.stop();
        } finally {
            closeQuietly(log);
        }
    }

    private static boolean looksPlausible() {
        if (Boolean.getBoolean("gcsflush.redis.noDocker")) {
            return false;
        }
        if (notBlank(System.getenv("DOCKER_HOST")) || notBlank(System.getenv("TESTCONTAINERS_HOST_OVERRIDE"))) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        List<Path> candidates = new ArrayList<>(List.of(
                Paths.get("/var/run/docker.sock"),
                Paths.get(home, ".docker", "run", "docker.sock"),
                Paths.get(home, ".docker", "desktop", "docker.sock"),
                Paths.get(home, ".testcontainers.properties")));
        if (notBlank(runtime)) {
            candidates.add(Paths.get(runtime, "docker.sock"));
            candidates.add(Paths.get(runtime, "podman", "podman.sock"));
        }
        return candidates.stream().anyMatch(Files::exists);
    }

    private static boolean askTestcontainers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void closeQuietly(Writer writer) {
        try {
            writer.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
