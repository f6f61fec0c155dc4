package io.gcsflush.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's own decisions and errors, against JVMs made up for the test. */
class CommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FakeJvms jvms = new FakeJvms();

    private int run(Jvms available, String... args) {
        return new CommandLine(() -> available, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "/opt/gcs-flush.jar").execute(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpGoesToStandardOutput() {
        assertEquals(0, run(jvms, "help"));
        assertTrue(out().contains("status PID"), out());
        assertEquals("", err());
    }

    @Test
    void aWrongCommandLineIsOneLineAndExitCodeTwo() {
        assertEquals(2, run(jvms, "status", "12ab"));
        assertEquals("gcs-flush: not a process id: '12ab' (list shows those of the JVMs that run the agent) (java -jar "
                + "gcs-flush.jar help)" + System.lineSeparator(), err());
        assertEquals("", out());
    }

    @Test
    void withoutTheAttachModuleEveryCommandSaysSoInOneLine() {
        assertEquals(1, run(null, "status", "42"));
        assertTrue(err().startsWith("gcs-flush: this Java (" + System.getProperty("java.home") + ") has no jdk.attach "
                + "module"), err());
        assertEquals(1, err().split("\\R").length);
        assertEquals(0, run(null, "help"));
    }

    @Test
    void theErrorsOfReachingAJvmArePassedOnInOneLine() {
        jvms.refusal = new CliException(Errors.otherUser(42, "app", "ops"));
        assertEquals(1, run(jvms, "pause", "42"));
        assertEquals("gcs-flush: process 42 runs as user app, and this command as ops: the attach mechanism only admits "
                + "the JVM's own user; run it as app (sudo -u app java -jar gcs-flush.jar ...)"
                + System.lineSeparator(), err());
    }

    @Test
    void aJvmWithoutTheAgentIsToldApartAndNothingIsStartedInIt() {
        jvms.targets.put(42L, new FakeTarget(42, null));
        assertEquals(1, run(jvms, "status", "42"));
        assertEquals("gcs-flush: JVM 42 does not run the gcs-flush agent; start it there with: java -jar gcs-flush.jar "
                + "attach 42 threshold=..." + System.lineSeparator(), err());
        assertEquals(0, jvms.targets.get(42L).connectorStarts);
        assertTrue(jvms.targets.get(42L).closed);
    }

    @Test
    void attachChecksTheSettingsBeforeItAttaches() {
        jvms.targets.put(42L, new FakeTarget(42, null));
        assertEquals(2, run(jvms, "attach", "42", "threshold=2x"));
        assertTrue(err().startsWith("gcs-flush: invalid threshold=2x in the agent argument"), err());
        assertEquals(0, jvms.attaches);
    }

    @Test
    void attachLoadsTheAgentOnceAndSaysItStarted() {
        FakeTarget target = new FakeTarget(42, null);
        jvms.targets.put(42L, target);
        assertEquals(0, run(jvms, "attach", "42", "threshold=1g,adopt=app:*"));
        assertEquals(List.of("/opt/gcs-flush.jar=threshold=1g,adopt=app:*"), target.loaded);
        assertTrue(out().startsWith("gcs-flush 1.2.3 started in JVM 42 with threshold=1g,adopt=app:*"), out());
        assertTrue(target.closed);

        assertEquals(1, run(jvms, "attach", "42"));
        assertTrue(err().startsWith("gcs-flush: JVM 42 already runs gcs-flush 1.2.3; change its settings with"), err());
        assertEquals(1, target.loaded.size());
    }

    @Test
    void anAgentThatDidNotStartIsReported() {
        FakeTarget target = new FakeTarget(42, null);
        target.startsAgent = false;
        jvms.targets.put(42L, target);
        assertEquals(1, run(jvms, "attach", "42"));
        assertEquals("gcs-flush: the agent did not start in JVM 42; its standard error says why"
                + System.lineSeparator(), err());
    }

    @Test
    void listShowsOnlyTheJvmsThatRunTheAgentAskingThoseWhoseDataItCannotRead() {
        jvms.listed.add(new Jvms.Jvm(10, "app.jar", "1.0"));
        jvms.listed.add(new Jvms.Jvm(11, "other.jar", null));
        jvms.listed.add(new Jvms.Jvm(12, "unreadable.jar", Jvms.Jvm.UNKNOWN));
        jvms.targets.put(12L, new FakeTarget(12, "1.1"));
        assertEquals(0, run(jvms, "list"));
        String[] lines = out().split("\\R");
        assertEquals(3, lines.length, out());
        assertTrue(lines[1].matches("10\\s+1\\.0\\s+app\\.jar"), lines[1]);
        assertTrue(lines[2].matches("12\\s+1\\.1\\s+unreadable\\.jar"), lines[2]);
        assertEquals(1, jvms.attaches);
    }

    @Test
    void listSaysWhenNoJvmRunsTheAgent() {
        jvms.listed.add(new Jvms.Jvm(11, "other.jar", null));
        assertEquals(0, run(jvms, "list"));
        assertEquals("no JVM of this user runs the gcs-flush agent" + System.lineSeparator(), out());
    }

    @Test
    void statusShowsEachServerAgainstTheThreshold() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Address", "127.0.0.1:6379");
        s.put("State", "ok");
        s.put("Problem", "");
        s.put("UsedMemory", 50L << 20);
        s.put("Threshold", 64L << 20);
        s.put("KeysTracked", 75200L);
        s.put("KeysInOrder", 75100L);
        s.put("Flushes", 3L);
        s.put("KeysRemoved", 90000L);
        s.put("LastFlushTime", 1_000_000L);
        s.put("LastFlushKeysRemoved", 30000L);
        s.put("LastFlushDurationMillis", 42L);
        String[] lines = CommandLine.Status.table(List.of(s), 1_012_500L).split("\\R");
        assertEquals("SERVER          STATE  USED_MEMORY  THRESHOLD  USED  KEYS_TRACKED  IN_ORDER  FLUSHES  REMOVED  "
                + "LAST_FLUSH", lines[0]);
        assertEquals("127.0.0.1:6379  ok     50.0 MiB     64.0 MiB   78%   75200         75100     3        90000    "
                + "12 s ago (30000 keys, 42 ms)", lines[1]);
        s.put("State", "unreachable");
        s.put("Problem", "Connection refused");
        s.put("UsedMemory", -1L);
        s.put("LastFlushTime", 0L);
        String row = CommandLine.Status.table(List.of(s), 0).split("\\R")[1];
        assertTrue(row.matches("127\\.0\\.0\\.1:6379  unreachable \\(Connection refused\\)  -\\s+64\\.0 MiB\\s+-\\s+.*"
                + " never"), row);
        assertEquals("no server yet: the application has not written to Redis since the agent started",
                CommandLine.Status.table(List.of(), 0).trim());
    }

    @Test
    void statusHeaderSaysWhatFlushingGoesByAndAPause() {
        Map<String, Object> agent = new HashMap<>();
        agent.put("Version", "1.2.3");
        agent.put("Attached", true);
        agent.put("StartTime", 0L);
        agent.put("Settings", "threshold=64.0 MiB, period=1s");
        agent.put("Paused", true);
        agent.put("EventsDropped", 5L);
        assertEquals("JVM 7: gcs-flush 1.2.3, attached 1970-01-01T00:00:00Z; threshold=64.0 MiB, period=1s; PAUSED "
                + "(resume PID to flush again); 5 events dropped", CommandLine.Status.header(7, agent));
    }

    private static final class FakeJvms implements Jvms {
        final List<Jvm> listed = new ArrayList<>();
        final Map<Long, FakeTarget> targets = new HashMap<>();
        CliException refusal;
        int attaches;

        @Override
        public List<Jvm> list() {
            return listed;
        }

        @Override
        public Target attach(long pid) throws CliException {
            if (refusal != null) throw refusal;
            FakeTarget t = targets.get(pid);
            if (t == null) throw new CliException("no process " + pid);
            attaches++;
            t.closed = false;
            return t;
        }
    }

    private static final class FakeTarget implements Jvms.Target {
        final long pid;
        String version;
        boolean startsAgent = true;
        boolean closed;
        int connectorStarts;
        final List<String> loaded = new ArrayList<>();

        FakeTarget(long pid, String version) {
            this.pid = pid;
            this.version = version;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public String agentVersion() {
            return version;
        }

        @Override
        public String localConnectorAddress() throws CliException {
            connectorStarts++;
            throw new CliException("no connector in a test");
        }

        @Override
        public void loadAgent(String jar, String argument) {
            loaded.add(jar + "=" + argument);
            if (startsAgent) version = "1.2.3";
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
