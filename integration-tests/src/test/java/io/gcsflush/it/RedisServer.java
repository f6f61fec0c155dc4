package io.gcsflush.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * A real redis-server for one test: on a free loopback port, no persistence, stopped and cleaned
 * up on {@link #close()}. Several can run at once.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start();
 *      Jedis jedis = redis.jedis()) { ... }
 * RedisServer.builder().maxmemory("64mb").start();               // extra server arguments
 * RedisServer.builder().binary(Path.of("/opt/redis-6/redis-server")).start();  // a given version
 * RedisServer.builder().sources(Source.EMBEDDED).start();        // the embedded-redis 6.2 binary
 * RedisServer.builder().port(stopped.port()).start();            // a new server where an old one was
 * RedisServer.builder().security(RedisSecurity.none().requirePass("pw").tls(true)).start();  // see RedisSecurity
 * }</pre>
 *
 * <p>Where the binary comes from: {@link Builder#binary(Path)} if given; else {@code GCSFLUSH_REDIS_SERVER}
 * (system property or environment variable); else the first of the {@link Source}s that works, by
 * default PATH, then the embedded-redis jar, then Docker (system property {@code gcsflush.redis.sources},
 * e.g. {@code embedded}, changes that list). The server's output goes to {@code target/redis-logs/}.
 */
public final class RedisServer implements AutoCloseable {

    /** Where a redis-server may come from, in the default order of preference. */
    public enum Source {
        /** {@code redis-server} on the PATH. */
        PATH,
        /** The binary inside the {@code com.github.codemonstur:embedded-redis} jar on the test classpath. */
        EMBEDDED,
        /** A Testcontainers container, only if a Docker engine is reachable. */
        DOCKER
    }

    public static final String SOURCES_PROPERTY = "gcsflush.redis.sources";

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 5;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Ports this JVM handed to a server, so two servers started together never pick the same one. */
    private static final Set<Integer> PORTS_IN_USE = ConcurrentHashMap.newKeySet();

    private final String host;
    private final int port;
    private final String version;
    private final String description;
    private final Path logFile;
    private final Process process;
    private final Path workDir;
    private final AutoCloseable container;
    /** Null for an open server. */
    private final RedisSecurity security;
    private boolean closed;

    private RedisServer(String host, int port, String description, Path logFile,
                        Process process, Path workDir, AutoCloseable container) {
        this(host, port, description, logFile, process, workDir, container, null);
    }

    private RedisServer(String host, int port, String description, Path logFile,
                        Process process, Path workDir, AutoCloseable container, RedisSecurity security) {
        this.security = security;
        this.host = host;
        this.port = port;
        this.description = description;
        this.logFile = logFile;
        this.process = process;
        this.workDir = workDir;
        this.container = container;
        this.version = info("server").getOrDefault("redis_version", "unknown");
    }

    /** A server from the default sources, with the default arguments. */
    public static RedisServer start() {
        return builder().start();
    }

    /** A server from the default sources, with extra arguments, e.g. {@code "--maxmemory", "64mb"}. */
    public static RedisServer start(String... extraArgs) {
        return builder().args(extraArgs).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** {@code redis_version} from {@code INFO server}, e.g. {@code 7.0.15}. */
    public String version() {
        return version;
    }

    /** Which binary or image runs this server, for messages. */
    public String description() {
        return description;
    }

    /** The server's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /** {@code redis://host:port}. */
    public String uri() {
        return "redis://" + host + ":" + port;
    }

    /** A new Jedis connection to this server, for assertions; the caller closes it. */
    public Jedis jedis() {
        return security == null ? new Jedis(host, port) : new Jedis(host, port, security.jedisConfig());
    }

    /** A new Jedis connection to database {@code db} of this server; the caller closes it. */
    public Jedis jedis(int db) {
        Jedis jedis = jedis();
        if (db != 0) {
            jedis.select(db);
        }
        return jedis;
    }

    /** One section of {@code INFO} as name/value pairs. */
    public Map<String, String> info(String section) {
        try (Jedis jedis = jedis()) {
            return parseInfo(jedis.info(section));
        }
    }

    /** {@code used_memory} from {@code INFO memory}, in bytes. */
    public long usedMemory() {
        return Long.parseLong(info("memory").get("used_memory"));
    }

    /** Number of keys in database 0. */
    public long dbSize() {
        return dbSize(0);
    }

    /** Number of keys in database {@code db}. */
    public long dbSize(int db) {
        try (Jedis jedis = jedis(db)) {
            return jedis.dbSize();
        }
    }

    /** Keys in database 0 other than the agent's journal and its state (order=journal writes those). */
    public long dbSizeWithoutJournal() {
        try (Jedis jedis = jedis()) {
            return jedis.dbSize() - jedis.exists("gcs-flush:journal", "gcs-flush:journal:state");
        }
    }

    /** Removes every key of every database. */
    public void flushAll() {
        try (Jedis jedis = jedis()) {
            jedis.flushAll();
        }
    }

    /** {@code SHUTDOWN NOSAVE}, then kills the process if it lingers; deletes its working directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (container != null) {
                container.close();
            } else {
                stopProcess(process, host, port, security);
            }
        } catch (Exception e) {
            LOG.warn("stopping redis on {}:{} failed: {}", host, port, e.toString());
        } finally {
            PORTS_IN_USE.remove(port);
            deleteRecursively(workDir);
        }
    }

    @Override
    public String toString() {
        return "redis " + version + " on " + host + ":" + port + " (" + description + ")";
    }

    /** Sets up and starts a {@link RedisServer}. */
    public static final class Builder {
        private Path binary;
        private List<Source> sources;
        private final List<String> args = new ArrayList<>();
        private String name = "redis";
        private int port;
        private RedisSecurity security;
        private String[] sentinel;

        private Builder() {
        }

        /**
         * A Sentinel rather than a server ({@code redis-server <config> --sentinel}, the same binary), monitoring the
         * master on {@code masterPort} of 127.0.0.1 under {@code masterName}, with a quorum of one (this sentinel) and
         * a master taken as down after a second.
         */
        public Builder sentinel(String masterName, int masterPort) {
            this.sentinel = new String[] {masterName, Integer.toString(masterPort)};
            return this;
        }

        /** Use exactly this redis-server executable (a version choice); no other source is tried. */
        public Builder binary(Path binary) {
            this.binary = binary;
            return this;
        }

        /** Try only these sources, in this order. */
        public Builder sources(Source... sources) {
            this.sources = List.of(sources);
            return this;
        }

        /** Extra server arguments, appended after the defaults (so they win), e.g. {@code "--maxmemory", "64mb"}. */
        public Builder args(String... args) {
            this.args.addAll(Arrays.asList(args));
            return this;
        }

        /** {@code --maxmemory <size>}, e.g. {@code "64mb"}. */
        public Builder maxmemory(String size) {
            return args("--maxmemory", size);
        }

        /**
         * Listen on this port rather than a free one, e.g. that of a server the test stopped, to restart "the same"
         * server; fails if the port is taken. Only for a redis-server binary (not Docker, which maps ports itself).
         */
        public Builder port(int port) {
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * A password, ACL users, TLS (see {@link RedisSecurity}); the test's own connections to the server get in as
         * it says. Only for a redis-server binary (not Docker).
         */
        public Builder security(RedisSecurity security) {
            this.security = security;
            return this;
        }

        /** A word for the log file name, e.g. the test's name. */
        public Builder name(String name) {
            this.name = TestDirs.safeFileName(name);
            return this;
        }

        public RedisServer start() {
            List<String> notes = new ArrayList<>();
            RedisBinary chosen = chooseBinary(notes);
            if (chosen != null) {
                return startProcess(chosen, args, name, port, security, sentinel);
            }
            if (security != null) {
                throw new IllegalStateException("A redis-server with " + security + " needs a redis-server binary,"
                        + " and none was found: " + String.join("; ", notes));
            }
            if (port != 0) {
                throw new IllegalStateException("A redis-server on the fixed port " + port + " needs a redis-server"
                        + " binary, and none was found: " + String.join("; ", notes));
            }
            if (sourcesOrDefault().contains(Source.DOCKER)) {
                if (DockerRedis.isAvailable()) {
                    return startContainer(args, name);
                }
                notes.add("DOCKER: no Docker engine reachable");
            }
            throw new IllegalStateException("No redis-server available for the integration tests. Tried: "
                    + String.join("; ", notes) + ". Install one (e.g. `apt-get install redis-server`), put it on"
                    + " the PATH or name it with -D" + RedisBinary.OVERRIDE + "=<path> / $" + RedisBinary.OVERRIDE
                    + ", or keep com.github.codemonstur:embedded-redis on the test classpath.");
        }

        private RedisBinary chooseBinary(List<String> notes) {
            if (binary != null) {
                return RedisBinary.of(binary, "given path");
            }
            // An explicit choice that does not work fails the test rather than silently using another.
            var override = RedisBinary.fromOverride();
            if (override.isPresent()) {
                return override.get();
            }
            for (Source source : sourcesOrDefault()) {
                try {
                    switch (source) {
                        case PATH:
                            var onPath = RedisBinary.onPath();
                            if (onPath.isPresent()) {
                                return onPath.get();
                            }
                            notes.add("PATH: no redis-server on " + System.getenv("PATH"));
                            break;
                        case EMBEDDED:
                            var embedded = RedisBinary.embedded();
                            if (embedded.isPresent()) {
                                return embedded.get();
                            }
                            notes.add("EMBEDDED: no " + RedisBinary.embeddedResourceName() + " for "
                                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                                    + " on the test classpath");
                            break;
                        default:
                            break;
                    }
                } catch (RuntimeException e) {
                    notes.add(source + ": " + e.getMessage());
                }
            }
            return null;
        }

        private List<Source> sourcesOrDefault() {
            if (sources != null) {
                return sources;
            }
            String configured = System.getProperty(SOURCES_PROPERTY);
            if (configured == null || configured.isBlank()) {
                return List.of(Source.values());
            }
            return Arrays.stream(configured.split("[,\\s]+"))
                    .filter(s -> !s.isEmpty())
                    .map(s -> Source.valueOf(s.trim().toUpperCase(Locale.ROOT)))
                    .collect(Collectors.toList());
        }
    }

    /** Starts the binary on {@code fixedPort}, or on a free port if it is 0. */
    private static RedisServer startProcess(RedisBinary binary, List<String> extraArgs, String name, int fixedPort,
                                            RedisSecurity security, String[] sentinel) {
        String host = "127.0.0.1";
        Path logDir = TestDirs.underTarget("redis-logs");
        RuntimeException last = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = fixedPort != 0 ? reserve(fixedPort) : reserveFreePort();
            Path logFile = logDir.resolve(name + "-" + port + "-" + SEQUENCE.incrementAndGet() + ".log");
            Path workDir = null;
            Process process = null;
            try {
                workDir = Files.createTempDirectory("gcsflush-redis-" + port + "-");
                List<String> command = new ArrayList<>(List.of(binary.path().toString()));
                if (sentinel != null) {
                    // A sentinel needs a file of its own, first on the command line, where it records what it learns.
                    Path config = workDir.resolve("sentinel.conf");
                    Files.writeString(config, String.join("\n",
                            "sentinel monitor " + sentinel[0] + " " + host + " " + sentinel[1] + " 1",
                            "sentinel down-after-milliseconds " + sentinel[0] + " 1000",
                            "sentinel failover-timeout " + sentinel[0] + " 10000", ""));
                    command.add(config.toString());
                }
                command.addAll(List.of("--save", "", "--appendonly", "no", "--bind", host, "--port",
                        Integer.toString(port), "--dir", workDir.toString(), "--daemonize", "no"));
                command.addAll(extraArgs);
                if (sentinel != null) command.add("--sentinel");
                if (security != null) {
                    command.addAll(security.serverArgs(port));
                }
                process = new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(logFile.toFile())
                        .redirectInput(ProcessBuilder.Redirect.PIPE)
                        .start();
                process.getOutputStream().close();
                ProcessReaper.register(process);
                awaitPing(host, port, process, logFile, security);
                RedisServer server = new RedisServer(host, port, binary.toString(), logFile, process, workDir, null,
                        security);
                LOG.info("redis-server {} from {} ({}) listening on {}:{}; log {}",
                        server.version(), binary.origin(), binary.path(), host, port, logFile);
                return server;
            } catch (IOException e) {
                last = new IllegalStateException("cannot start " + binary + ": " + e, e);
            } catch (RuntimeException e) {
                last = e;
            }
            // Clean up this attempt; try another port only if this one was taken under our feet.
            if (process != null) {
                stopProcess(process, host, port, security);
            }
            PORTS_IN_USE.remove(port);
            deleteRecursively(workDir);
            if (fixedPort != 0 || !tail(logFile, 50).contains("Address already in use")) {
                break;
            }
        }
        throw last;
    }

    private static RedisServer startContainer(List<String> extraArgs, String name) {
        Path logFile = TestDirs.underTarget("redis-logs")
                .resolve(name + "-docker-" + SEQUENCE.incrementAndGet() + ".log");
        DockerRedis container = DockerRedis.start(extraArgs, logFile);
        try {
            awaitPing(container.host(), container.port(), null, logFile, null);
            RedisServer server = new RedisServer(container.host(), container.port(), container.description(),
                    logFile, null, null, container);
            LOG.info("redis-server {} from {} listening on {}:{}; log {}",
                    server.version(), container.description(), server.host(), server.port(), logFile);
            return server;
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
    }

    private static int reserve(int port) {
        if (!PORTS_IN_USE.add(port)) {
            throw new IllegalStateException("port " + port + " is used by another redis-server of these tests");
        }
        return port;
    }

    private static int reserveFreePort() {
        for (int i = 0; i < 100; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (PORTS_IN_USE.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port", e);
            }
        }
        throw new IllegalStateException("cannot find a free port");
    }

    private static void awaitPing(String host, int port, Process process, Path logFile, RedisSecurity security) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        String lastError = "no answer";
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue()
                        + " before answering on " + host + ":" + port + "; its output (" + logFile + "):\n"
                        + tail(logFile, 30));
            }
            try {
                String reply = command(host, port, security, Duration.ofSeconds(1), "PING");
                if (reply.equals("+PONG")) {
                    return;
                }
                lastError = reply; // e.g. -LOADING
            } catch (IOException e) {
                lastError = e.toString();
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server did not answer PING on " + host + ":" + port + " within "
                + STARTUP_TIMEOUT.toSeconds() + "s (" + lastError + "); its output (" + logFile + "):\n"
                + tail(logFile, 30));
    }

    private static void stopProcess(Process process, String host, int port, RedisSecurity security) {
        try {
            if (process.isAlive()) {
                try {
                    command(host, port, security, Duration.ofSeconds(2), "SHUTDOWN", "NOSAVE");
                } catch (IOException expected) {
                    // SHUTDOWN closes the connection without a reply, or the server is already gone.
                }
                if (!process.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("redis-server on port {} ignored SHUTDOWN NOSAVE; killing it", port);
                    ProcessReaper.killTree(process);
                    process.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            ProcessReaper.killTree(process);
            Thread.currentThread().interrupt();
        } finally {
            ProcessReaper.unregister(process);
        }
    }

    /**
     * Sends one command over a fresh connection in RESP and returns the first line of the reply
     * ({@code +PONG}, {@code -ERR ...}); enough for PING and SHUTDOWN without a client library.
     */
    static String command(String host, int port, Duration timeout, String... args) throws IOException {
        return command(host, port, null, timeout, args);
    }

    /** {@link #command(String, int, Duration, String...)} over TLS and after AUTH if {@code security} says so. */
    static String command(String host, int port, RedisSecurity security, Duration timeout, String... args)
            throws IOException {
        if (security != null) {
            try (Socket socket = security.connect(host, port, timeout)) {
                return exchange(socket, args);
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return exchange(socket, args);
        }
    }

    /** Sends one command on a connected socket and returns the first line of the reply. */
    static String exchange(Socket socket, String... args) throws IOException {
        StringBuilder request = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("connection closed without a reply");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    static Map<String, String> parseInfo(String info) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                values.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
