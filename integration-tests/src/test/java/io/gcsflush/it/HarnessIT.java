package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gcsflush.it.apps.ChattyApp;
import io.gcsflush.it.apps.PingApp;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import redis.clients.jedis.Jedis;

/** Proves the harness itself: real redis-servers, child JVMs, output capture, the agent kept off the classpath. */
class HarnessIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void childJvmWritesKeysIntoRealRedis(TestInfo test) {
        try (RedisServer redis = RedisServer.builder().name("HarnessIT.childJvm").start();
             ChildJvm app = ChildJvm.builder(test)
                     .mainClass(PingApp.class)
                     .args(redis.host(), String.valueOf(redis.port()), "100")
                     .start()) {
            assertEquals("done", app.waitForLine("^done$", TIMEOUT));
            assertEquals(0, app.waitForExit(TIMEOUT), () -> String.join("\n", app.output()));
            assertTrue(app.output().contains("connected: PONG"), () -> String.join("\n", app.output()));
            assertTrue(Files.isRegularFile(app.logFile()));

            assertEquals(100, redis.dbSize());
            try (Jedis jedis = redis.jedis()) {
                for (int i = 0; i < 100; i++) {
                    assertEquals("value-" + i, jedis.get("ping:" + i));
                }
            }
        }
    }

    @Test
    void twoServersRunAtOnce() {
        try (RedisServer first = RedisServer.start();
             RedisServer second = RedisServer.start();
             Jedis a = first.jedis();
             Jedis b = second.jedis()) {
            assertNotEquals(first.port(), second.port());
            a.set("where", "first");
            b.set("where", "second");
            assertEquals("first", a.get("where"));
            assertEquals("second", b.get("where"));
            assertEquals(1, first.dbSize());
            assertEquals(1, second.dbSize());
        }
    }

    @Test
    void serverHelpersAndExtraArguments() throws Exception {
        Path workDir;
        int port;
        try (RedisServer redis = RedisServer.builder().maxmemory("64mb").args("--maxmemory-policy", "noeviction").start();
             Jedis jedis = redis.jedis()) {
            port = redis.port();
            assertTrue(redis.version().matches("\\d+\\.\\d+\\.\\d+.*"), redis.version());
            assertEquals(String.valueOf(64L * 1024 * 1024), jedis.configGet("maxmemory").get("maxmemory"));
            assertEquals("noeviction", jedis.configGet("maxmemory-policy").get("maxmemory-policy"));
            assertEquals("", jedis.configGet("save").get("save"), "no RDB snapshots");
            assertEquals("no", jedis.configGet("appendonly").get("appendonly"));
            workDir = Paths.get(jedis.configGet("dir").get("dir"));
            assertTrue(Files.isDirectory(workDir));

            long before = redis.usedMemory();
            String big = "x".repeat(1024 * 1024);
            for (int i = 0; i < 4; i++) {
                jedis.set("big:" + i, big);
            }
            assertTrue(redis.usedMemory() >= before + 4L * 1024 * 1024,
                    () -> "used_memory " + redis.usedMemory() + " before " + before);
            redis.flushAll();
            assertEquals(0, redis.dbSize());
            assertTrue(Files.size(redis.logFile()) > 0, "redis output is captured in " + redis.logFile());
        }
        assertFalse(Files.exists(workDir), "working directory deleted on close");
        assertThrows(java.io.IOException.class,
                () -> RedisServer.command("127.0.0.1", port, Duration.ofMillis(500), "PING"),
                "server stopped on close");
    }

    @Test
    void aServerRestartsOnTheSamePort() {
        int port;
        try (RedisServer first = RedisServer.start(); Jedis jedis = first.jedis()) {
            port = first.port();
            jedis.set("where", "first");
        }
        try (RedisServer second = RedisServer.builder().port(port).start()) {
            assertEquals(port, second.port());
            assertEquals(0, second.dbSize(), "a new server, empty");
            assertThrows(IllegalStateException.class, () -> RedisServer.builder().port(port).start(),
                    "the port is taken");
        }
    }

    @Test
    void childStdinStaysOpenWhenAsked(TestInfo test) {
        try (RedisServer redis = RedisServer.start();
             ChildJvm app = ChildJvm.builder(test)
                     .mainClass(io.gcsflush.it.apps.JedisWriterApp.class)
                     .args("--port", String.valueOf(redis.port()), "--count", "3")
                     .openStdin()
                     .start()) {
            app.waitForLine("^wrote 3$", TIMEOUT);
            app.send("write 2");
            app.waitForLine("^wrote 5$", TIMEOUT);
            assertTrue(app.isAlive(), "the child waits for more");
            app.closeStdin();
            assertEquals(0, app.waitForExit(TIMEOUT), app::report);
            assertEquals(List.of("wrote 3", "wrote 5", "exit"), app.stdout());
            assertEquals(5, redis.dbSize());
        }
    }

    @Test
    void defaultSourceIsPathThenEmbedded() {
        assumeTrue(RedisBinary.fromOverride().isEmpty(), "GCSFLUSH_REDIS_SERVER chooses the binary");
        String sources = System.getProperty(RedisServer.SOURCES_PROPERTY);
        assumeTrue(sources == null || sources.isBlank(), "-D" + RedisServer.SOURCES_PROPERTY + " chooses the sources");
        Optional<RedisBinary> onPath = RedisBinary.onPath();
        String expected = onPath.isPresent() ? onPath.get().version() : RedisBinary.embedded().orElseThrow().version();
        try (RedisServer redis = RedisServer.start()) {
            assertEquals(expected, redis.version(), redis.description());
        }
    }

    @Test
    void embeddedBinaryRunsHere() {
        assumeTrue(RedisBinary.embeddedResourceName() != null, "embedded-redis ships no binary for this platform");
        try (RedisServer redis = RedisServer.builder().sources(RedisServer.Source.EMBEDDED).start()) {
            assertTrue(redis.version().startsWith("6.2."), redis.version());
            assertTrue(redis.description().contains("embedded-redis jar"), redis.description());
        }
    }

    @Test
    void explicitBinaryIsUsed() {
        RedisBinary embedded = RedisBinary.embedded().orElse(null);
        assumeTrue(embedded != null, "no embedded binary to name explicitly");
        try (RedisServer redis = RedisServer.builder().binary(embedded.path()).start()) {
            assertEquals(embedded.version(), redis.version());
            assertTrue(redis.description().contains("given path"), redis.description());
        }
        assertThrows(IllegalStateException.class,
                () -> RedisServer.builder().binary(Paths.get("/nonexistent/redis-server")).start());
    }

    @Test
    void childOutputIsDrainedConcurrentlyAndExitCodeReported(TestInfo test) {
        int lines = 50_000; // ~600 KB on each stream, far beyond a pipe's buffer
        try (ChildJvm app = ChildJvm.builder(test)
                .mainClass(ChattyApp.class)
                .args(String.valueOf(lines), "3")
                .start()) {
            assertEquals(3, app.waitForExit(TIMEOUT));
            assertEquals("bye", app.waitForLine("^bye$", Duration.ofSeconds(5)));
            assertEquals(lines + 1, app.stdout().size());
            assertEquals(lines, app.stderr().size());
            assertEquals("err " + (lines - 1), app.stderr().get(lines - 1));
            assertEquals(2 * lines + 1, app.output().size());
            assertEquals("4999", app.waitForMatch(Pattern.compile("^err (4999\\d?)$"), Duration.ofSeconds(1)).group(1),
                    "the first line that matches");
        }
    }

    @Test
    void waitForLineFailsClearlyWhenTheChildExitsWithoutIt(TestInfo test) {
        try (ChildJvm app = ChildJvm.builder(test).mainClass(ChattyApp.class).args("2", "0").start()) {
            AssertionError error = assertThrows(AssertionError.class,
                    () -> app.waitForLine("never printed", TIMEOUT));
            assertTrue(error.getMessage().contains("closed its output"), error.getMessage());
            assertTrue(error.getMessage().contains("out| bye"), error.getMessage());
            assertEquals(0, app.waitForExit(TIMEOUT));
        }
    }

    @Test
    void childRunsOnTheTestJdkWithTheAgentAttachedOnlyWhenAsked(TestInfo test) {
        ChildJvm.Builder builder = ChildJvm.builder(test).mainClass(ChattyApp.class).args("0", "0");
        List<String> command = builder.command();
        assertEquals(ChildJvm.javaBinary().toString(), command.get(0));
        assertTrue(command.stream().noneMatch(a -> a.startsWith("-javaagent")), command::toString);

        Path fakeAgent = Paths.get("/opt/agent/gcs-flush.jar");
        List<String> withAgent = ChildJvm.builder(test).agent(fakeAgent, "threshold=1m,period=1s")
                .jvmArgs("-Xmx64m").mainClass(ChattyApp.class).command();
        assertEquals("-javaagent:/opt/agent/gcs-flush.jar=threshold=1m,period=1s", withAgent.get(1));
        assertEquals("-Xmx64m", withAgent.get(2));
    }

    @Test
    void childClasspathNeverContainsTheAgent() {
        List<String> entries = Arrays.asList(ChildJvm.defaultClasspath().split(File.pathSeparator));
        Optional<Path> agentModule = AgentJar.moduleDir();
        assertTrue(agentModule.isPresent(), "failsafe sets " + AgentJar.PROPERTY);
        for (String entry : entries) {
            assertFalse(ChildJvm.isAgent(entry, agentModule), entry);
        }
        assertTrue(entries.stream().anyMatch(e -> e.contains("jedis")), "the child gets the test classpath");

        Path module = agentModule.get();
        List<String> mixed = List.of(
                module.resolve("target/classes").toString(),
                module.resolve("target/gcs-flush-agent-0.1.0-SNAPSHOT.jar").toString(),
                module.resolve("target/gcs-flush.jar").toString(),
                "/elsewhere/.m2/io/gcsflush/gcs-flush-agent/0.1.0-SNAPSHOT/gcs-flush-agent-0.1.0-SNAPSHOT.jar",
                "/some/checkout/agent/target/classes",
                "/repo/jedis-5.2.0.jar",
                "/work/main/integration-tests/target/test-classes");
        assertEquals(List.of("/repo/jedis-5.2.0.jar", "/work/main/integration-tests/target/test-classes"),
                ChildJvm.withoutAgent(mixed, agentModule));
    }

    @Test
    void agentJarLocationIsConfiguredAndFailsClearlyWhenMissing() {
        String configured = System.getProperty(AgentJar.PROPERTY);
        assertNotNull(configured, "failsafe sets " + AgentJar.PROPERTY);
        assertTrue(Paths.get(configured).normalize().endsWith(Paths.get("agent", "target", "gcs-flush.jar")), configured);

        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> AgentJar.check("/nonexistent/agent/target/gcs-flush.jar"));
        assertTrue(missing.getMessage().contains("/nonexistent/agent/target/gcs-flush.jar"), missing.getMessage());
        assertTrue(missing.getMessage().contains("mvn -B verify"), missing.getMessage());
        IllegalStateException unset = assertThrows(IllegalStateException.class, () -> AgentJar.check(null));
        assertTrue(unset.getMessage().contains(AgentJar.PROPERTY), unset.getMessage());
    }
}
