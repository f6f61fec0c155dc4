package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.HeldConnectionApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The agent's MBeans in a real application, read and steered by a JMX client over the JVM's own remote connector on
 * loopback ({@code -Dcom.sun.management.jmxremote.port}), and by the command line over its local connector: what they
 * show comes from the flusher, pause stops the flushes and resume restarts them, a threshold set at run time changes
 * what is removed, flush now removes the oldest keys at once; and the command line's errors for JVMs it cannot use.
 */
class JmxIT {
    private static final Duration TIMEOUT = Scenario.TIMEOUT;
    private static final ObjectName AGENT = name("io.gcsflush:type=Agent");

    @Test
    void mbeansShowTheFlusherAndSteerIt(TestInfo test) throws Exception {
        ChildKeys keys = new ChildKeys(0, "app", 6_000, Scenario.VALUE_SIZE);
        try (Scenario s = Scenario.start(test, keys)) {
            s.foreign.strings(0, "foreign", 200);
            s.foreign.write(s.redis);
            // Well above what the application writes at first: nothing is flushed until the test says so.
            long high = s.redis.usedMemory() + 64 * Scenario.MIB;
            int port = freePort();
            try (ChildJvm app = ChildJvm.builder(test)
                    .agent("threshold=" + high + ",period=200ms,batch=500")
                    .systemProperty("com.sun.management.jmxremote.port", String.valueOf(port))
                    .systemProperty("com.sun.management.jmxremote.rmi.port", String.valueOf(port))
                    .systemProperty("com.sun.management.jmxremote.host", "127.0.0.1")
                    .systemProperty("com.sun.management.jmxremote.authenticate", "false")
                    .systemProperty("com.sun.management.jmxremote.ssl", "false")
                    .mainClass(HeldConnectionApp.class)
                    .args("--host", s.redis.host(), "--port", String.valueOf(s.redis.port()), "--prefix", keys.prefix,
                            "--value-size", String.valueOf(keys.valueSize), "--mode", "jedis")
                    .openStdin().start();
                 JMXConnector connector = connect(port)) {
                app.waitForLine("^ready$", TIMEOUT);
                AttachIT.write(app, keys.count, keys.count);
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                ObjectName server = name("io.gcsflush:type=Server,name=" + s.redis.host() + "_" + s.redis.port());
                Await.until("the server's MBean, with the keys tracked", TIMEOUT,
                        () -> registered(jmx, server) && (Long) get(jmx, server, "KeysTracked") == keys.count,
                        app::report);
                assertEquals(high, get(jmx, AGENT, "Threshold"));
                assertEquals(200L, get(jmx, AGENT, "PeriodMillis"));
                assertEquals(500, get(jmx, AGENT, "Batch"));
                assertEquals("ray", get(jmx, AGENT, "Policy"));
                assertEquals("journal", get(jmx, AGENT, "Order"));
                assertEquals(false, get(jmx, AGENT, "DryRun"));
                assertEquals(false, get(jmx, AGENT, "Attached"));
                assertArrayEquals(new String[] {s.redis.host() + ":" + s.redis.port()},
                        (String[]) get(jmx, AGENT, "Servers"));
                assertEquals("ok", get(jmx, server, "State"));
                Await.until("the journal holding the keys", TIMEOUT,
                        () -> (Long) get(jmx, server, "KeysInOrder") == keys.count, app::report);
                Await.until("used_memory read", TIMEOUT,
                        () -> Math.abs((Long) get(jmx, server, "UsedMemory") - s.redis.usedMemory()) < Scenario.MIB,
                        app::report);
                assertEquals(0L, get(jmx, server, "Flushes"));
                assertEquals(0L, get(jmx, AGENT, "EventsDropped"));

                // Paused, a lower threshold removes nothing, however long it lasts.
                assertEquals("paused: nothing is removed until resume", invoke(jmx, AGENT, "pause"));
                long low = s.redis.usedMemory() - 2 * Scenario.MIB;
                jmx.setAttribute(AGENT, new Attribute("Threshold", low));
                Await.until("the server shown paused", TIMEOUT, () -> "paused".equals(get(jmx, server, "State")),
                        app::report);
                Thread.sleep(1_500); // seven periods
                assertEquals(1, AgentLog.lines(app, AgentLog.line("INFO") + "threshold changed from .* to .* through "
                        + "JMX").size(), app::report);
                assertEquals(0L, get(jmx, server, "Flushes"));
                assertTrue(keys.allPresent(s.redis), app::report);
                assertTrue((Long) get(jmx, server, "UsedMemory") >= low, app::report);

                // Resumed, the threshold set at run time is what the flusher goes by.
                assertEquals("resumed", invoke(jmx, AGENT, "resume"));
                int[] gone = new int[1];
                Await.until("used_memory under the threshold set at run time", TIMEOUT, () -> {
                    gone[0] = keys.gonePrefix(s.redis);
                    return s.redis.usedMemory() < low && gone[0] == (Long) get(jmx, server, "KeysRemoved");
                }, app::report);
                assertTrue(gone[0] > 0 && gone[0] < keys.count - 1_000, app::report);
                long flushes = (Long) get(jmx, server, "Flushes");
                assertTrue(flushes >= 2, () -> flushes + " flushes; " + app.report());
                assertEquals(gone[0], (long) (Long) get(jmx, AGENT, "KeysRemoved"));
                assertEquals(gone[0], AgentLog.removed(app));
                assertTrue((Long) get(jmx, server, "LastFlushTime") > System.currentTimeMillis() - 60_000);
                assertEquals(500L, get(jmx, server, "LastFlushKeysRemoved"));
                assertEquals("ok", get(jmx, server, "State"));

                // Flush now: under the threshold, paused even, one batch of the oldest goes at once.
                invoke(jmx, AGENT, "pause");
                String[] flushed = (String[]) invoke(jmx, AGENT, "flushNow");
                assertEquals(1, flushed.length, () -> List.of(flushed).toString());
                assertTrue(flushed[0].matches("flushed \\S+: used_memory .* removed 500 of the 500 oldest keys .*"),
                        flushed[0]);
                assertEquals(gone[0] + 500, keys.gonePrefix(s.redis), app::report);
                assertEquals(flushes + 1, (long) (Long) get(jmx, server, "Flushes"));
                String one = (String) invoke(jmx, server, "flushNow");
                assertTrue(one.contains("removed 500 of the 500 oldest keys"), one);
                assertEquals(gone[0] + 1_000, keys.gonePrefix(s.redis), app::report);
                s.foreign.assertUntouched(s.redis);
                Scenario.assertNoAgentErrors(app);
            }
        }
    }

    @Test
    void commandLineReadsAndSteersTheAgentOverTheLocalConnector(TestInfo test) throws Exception {
        ChildKeys keys = new ChildKeys(1, "app", 2_000, Scenario.VALUE_SIZE);
        try (Scenario s = Scenario.start(test, keys)) {
            long threshold = s.redis.usedMemory() + 64 * Scenario.MIB;
            try (ChildJvm app = ChildJvm.builder(test)
                    .agent("threshold=" + threshold + ",period=200ms,batch=500")
                    .mainClass(HeldConnectionApp.class)
                    .args("--host", s.redis.host(), "--port", String.valueOf(s.redis.port()), "--db", "1",
                            "--prefix", keys.prefix, "--value-size", String.valueOf(keys.valueSize), "--mode", "jedis")
                    .openStdin().start()) {
                app.waitForLine("^ready$", TIMEOUT);
                AttachIT.write(app, 2_000, 2_000);
                String pid = String.valueOf(app.pid());
                String address = s.redis.host() + ":" + s.redis.port();
                Await.until("status showing the keys", TIMEOUT, () -> {
                    GcsFlushCli.Result status = GcsFlushCli.run("status", pid);
                    return status.exitCode() == 0 && status.out().lines().anyMatch(l -> l.startsWith(address)
                            && l.matches(".*\\s2000\\s+2000\\s+0\\s+0\\s+never$"));
                }, app::report);

                GcsFlushCli.Result paused = GcsFlushCli.run("pause", pid);
                assertEquals("JVM " + pid + ": paused: nothing is removed until resume", paused.out().trim(),
                        paused::toString);
                long low = s.redis.usedMemory() - Scenario.MIB;
                GcsFlushCli.Result set = GcsFlushCli.run("set", pid, "threshold=" + low, "batch=400");
                assertEquals(0, set.exitCode(), set::toString);
                assertTrue(set.out().contains("batch=400"), set::toString);
                GcsFlushCli.Result status = GcsFlushCli.run("status", pid);
                assertTrue(status.out().contains("PAUSED"), status::toString);
                assertTrue(status.out().lines().anyMatch(l -> l.startsWith(address) && l.contains(" paused ")),
                        status::toString);
                assertTrue(keys.allPresent(s.redis));

                GcsFlushCli.Result flushed = GcsFlushCli.run("flush", pid, address);
                assertTrue(flushed.out().contains("removed 400 of the 400 oldest keys"), flushed::toString);
                assertEquals(400, keys.gonePrefix(s.redis));

                assertEquals(0, GcsFlushCli.run("resume", pid).exitCode());
                Await.until("used_memory under the threshold set", TIMEOUT, () -> s.redis.usedMemory() < low,
                        app::report);
                assertEquals(keys.gonePrefix(s.redis), AgentLog.removed(app));

                GcsFlushCli.Result refused = GcsFlushCli.run("set", pid, "order=local");
                assertEquals(1, refused.exitCode(), refused::toString);
                assertEquals("gcs-flush: refused: order cannot change while the agent runs (it is read once, at start); "
                        + "those that can: threshold, period, batch, policy, low-water, max-batch", refused.err().trim());
                GcsFlushCli.Result noServer = GcsFlushCli.run("flush", pid, "127.0.0.1:1");
                assertEquals(1, noServer.exitCode(), noServer::toString);
                Scenario.assertNoAgentErrors(app);
            }
        }
    }

    @Test
    void commandLineSaysInOneLineWhyItCannotUseAJvm(TestInfo test) throws Exception {
        ChildKeys keys = new ChildKeys(0, "app", 10, 10);
        try (Scenario s = Scenario.start(test, keys);
             ChildJvm plain = AttachIT.held(test, s, keys, "jedis");
             ChildJvm closed = ChildJvm.builder(test).jvmArgs("-XX:+DisableAttachMechanism")
                     .mainClass(HeldConnectionApp.class)
                     .args("--port", String.valueOf(s.redis.port()), "--mode", "jedis")
                     .openStdin().start()) {
            closed.waitForLine("^ready$", TIMEOUT);
            assertOneLine(GcsFlushCli.run("status", String.valueOf(plain.pid())), 1, "gcs-flush: JVM " + plain.pid()
                    + " does not run the gcs-flush agent; start it there with: java -jar gcs-flush.jar attach "
                    + plain.pid() + " threshold=...");
            assertOneLine(GcsFlushCli.run("status", String.valueOf(closed.pid())), 1, "gcs-flush: JVM " + closed.pid()
                    + " does not allow attaching (started with -XX:+DisableAttachMechanism): restart it without that "
                    + "option, or with -javaagent:gcs-flush.jar=... and -Dcom.sun.management.jmxremote.port to reach "
                    + "its MBeans over JMX");
            long gone = ProcessHandle.current().pid() + 1_000_000;
            while (ProcessHandle.of(gone).isPresent()) gone++;
            assertOneLine(GcsFlushCli.run("pause", String.valueOf(gone)), 1, "gcs-flush: no process " + gone);
            assertOneLine(GcsFlushCli.run("pause", "12ab"), 2, "gcs-flush: not a process id: '12ab' (list shows "
                    + "those of the JVMs that run the agent) (java -jar gcs-flush.jar help)");
            // A Java without the attach API (as a JRE, or a jlink image without jdk.attach, would be).
            assertOneLine(GcsFlushCli.runWith(List.of("--limit-modules", "java.base,java.management,"
                    + "java.management.rmi,java.naming,jdk.internal.jvmstat"), "status", String.valueOf(plain.pid())), 1, "gcs-flush: this "
                    + "Java (" + ChildJvm.javaBinary().getParent().getParent() + ") has no jdk.attach module, which "
                    + "the command line needs to reach a JVM: run it with a JDK (11 or later), not a JRE or a jlink "
                    + "image without jdk.attach");
            GcsFlushCli.Result help = GcsFlushCli.run();
            assertEquals(0, help.exitCode(), help::toString);
            assertTrue(help.out().contains("attach PID [SETTINGS]"), help::toString);
            // Nothing was started in the JVM without the agent: no connector, no agent.
            assertTrue(AgentLog.lines(plain, AgentLog.ANY).isEmpty(), plain::report);
        }
    }

    @Test
    void commandLineRefusesAJvmOfAnotherUser(TestInfo test) throws Exception {
        Path runuser = Paths.get("/usr/sbin/runuser");
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root") && Files.isExecutable(runuser),
                "needs root and runuser, to start a JVM as nobody");
        // A JVM of the user nobody: a program of one file, in a folder nobody can read.
        Path dir = Files.createTempDirectory("gcs-flush-other-user");
        Path program = dir.resolve("Wait.java");
        Files.writeString(program, "public class Wait { public static void main(String[] a) throws Exception { "
                + "System.out.println(\"ready\"); Thread.sleep(60_000); } }");
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        program.toFile().setReadable(true, false);
        Process other = new ProcessBuilder(runuser.toString(), "-u", "nobody", "--",
                ChildJvm.javaBinary().toString(), program.toString()).redirectErrorStream(true).start();
        ProcessReaper.register(other);
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                    other.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            long pid = other.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                    .findFirst().map(ProcessHandle::pid).orElse(other.pid());
            assertOneLine(GcsFlushCli.run("status", String.valueOf(pid)), 1, "gcs-flush: process " + pid
                    + " runs as user nobody, and this command as root: the attach mechanism only admits the JVM's own "
                    + "user; run it as nobody (sudo -u nobody java -jar gcs-flush.jar ...)");
        } finally {
            ProcessReaper.killTree(other);
            ProcessReaper.unregister(other);
        }
    }

    private static void assertOneLine(GcsFlushCli.Result result, int exitCode, String line) {
        assertEquals(exitCode, result.exitCode(), result::toString);
        assertEquals(line + System.lineSeparator(), result.err(), result::toString);
        assertEquals("", result.out(), result::toString);
    }

    static JMXConnector connect(int port) throws IOException, InterruptedException {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return JMXConnectorFactory.connect(url);
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) throw e;
                Thread.sleep(100); // the child's connector is not up yet
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean registered(MBeanServerConnection jmx, ObjectName name) {
        try {
            return jmx.isRegistered(name);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Object get(MBeanServerConnection jmx, ObjectName name, String attribute) {
        try {
            return jmx.getAttribute(name, attribute);
        } catch (Exception e) {
            throw new AssertionError("reading " + name + " " + attribute, e);
        }
    }

    private static Object invoke(MBeanServerConnection jmx, ObjectName name, String operation) throws Exception {
        return jmx.invoke(name, operation, new Object[0], new String[0]);
    }

    static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
