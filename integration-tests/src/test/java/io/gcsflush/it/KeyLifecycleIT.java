package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.JedisWriterApp;
import io.gcsflush.it.apps.LettuceWriterApp;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the application does to its keys after writing them: a key written again keeps its place (its age is its
 * creation); DEL, UNLINK and GETDEL make the agent forget it (and take it out of the journal); RENAME keeps its age
 * under the new name with order=local, and makes it the newest key with the journal (which names keys by name). The
 * application writes {@value #FIRST} keys, below the threshold, then:
 * <pre>
 * keys    0..99   written again           still the oldest: flushed first
 * keys  100..249  DEL, UNLINK, GETDEL     forgotten: the test then writes keys of these names, which must stay
 * keys  250..299  RENAMEd to moved:*      order=local: flushed next, under their new names; the test writes the old
 *                                         names. order=journal: flushed after key 999, before the keys written next
 * keys  300..     as written              flushed after those, oldest first
 * </pre>
 * and then {@value #MORE} keys more, which take it over the threshold. Redisson's {@code RBucket.getAndDelete} is a
 * script that GETs and DELs its key: the agent reads it as such.
 */
class KeyLifecycleIT {
    /** About 1 MiB: below the threshold. */
    private static final int FIRST = 1_000;
    private static final int MORE = Scenario.COUNT;
    private static final int REWRITTEN = 100;
    private static final int RENAMED_FROM = 250;
    private static final int RENAMED_TO = 300;
    private static final String MOVED = "moved";
    private static final List<String> COMMANDS = List.of("rewrite 0 " + REWRITTEN, "del 100 150", "unlink 150 200",
            "getdel 200 " + RENAMED_FROM, "rename " + RENAMED_FROM + " " + RENAMED_TO + " " + MOVED);

    /** Each client's writer application: its main class, its classpath (null: the test classpath's), its mode. */
    static Stream<Arguments> clients() {
        Supplier<String> redisson = () -> ClientApps.redisson(ClientVersions.newest(ClientVersions.Family.REDISSON));
        return Stream.of(Arguments.of("Jedis", JedisWriterApp.class.getName(), null, "plain", "journal"),
                Arguments.of("Lettuce", LettuceWriterApp.class.getName(), null, "sync", "journal"),
                Arguments.of("Redisson", ClientApps.REDISSON_MAIN, redisson, "bucket", "journal"),
                Arguments.of("Jedis", JedisWriterApp.class.getName(), null, "plain", "local"),
                Arguments.of("Lettuce", LettuceWriterApp.class.getName(), null, "sync", "local"));
    }

    @ParameterizedTest(name = "{0}, order={4}")
    @MethodSource("clients")
    void writesAgainDeletionsAndRenamesChangeWhatTheAgentRemoves(String client, String app, Supplier<String> classpath,
                                                                 String mode, String order, TestInfo test) {
        boolean journal = order.equals("journal");
        ChildKeys keys = new ChildKeys(0, "app", FIRST, Scenario.VALUE_SIZE);
        ChildKeys moved = new ChildKeys(0, MOVED, RENAMED_TO, Scenario.VALUE_SIZE);
        try (Scenario s = Scenario.start(test, keys)) {
            s.foreign.strings(0, "foreign", 300);
            s.writeForeignAndSetThreshold();
            try (ChildJvm child = s.writer(app, classpath == null ? null : classpath.get(), mode)
                    .agent(s.agentArgs(Scenario.BATCH) + ",order=" + order).start()) {
                child.waitForLine("^wrote " + FIRST + "$", Scenario.TIMEOUT);
                for (String command : COMMANDS) {
                    child.send(command);
                    child.waitForLine("^done " + Pattern.quote(command) + "$", Scenario.TIMEOUT);
                }
                assertEquals(List.of(), AgentLog.flushes(child), "no flush yet: below the threshold");
                ForeignKeys reused = new ForeignKeys().namesLetGoBy(keys, REWRITTEN, RENAMED_TO).write(s.redis);

                child.send("write " + MORE);
                child.waitForLine("^wrote " + (FIRST + MORE) + "$", Scenario.TIMEOUT);
                int[] gone = new int[3]; // of the keys written again, renamed, and the others
                Await.until("used_memory below the threshold and the keys gone as many as the agent says it removed",
                        Scenario.TIMEOUT, () -> {
                            gone[0] = keys.gonePrefix(s.redis, 0, REWRITTEN);
                            gone[1] = moved.gonePrefix(s.redis, RENAMED_FROM, RENAMED_TO);
                            gone[2] = keys.gonePrefix(s.redis, RENAMED_TO, FIRST + MORE);
                            return s.redis.usedMemory() < s.threshold()
                                    && gone[0] + gone[1] + gone[2] == AgentLog.removed(child);
                        },
                        () -> "gone: " + gone[0] + " written again, " + gone[1] + " renamed, " + gone[2] + " others; "
                                + s.state(child, gone[0] + gone[1] + gone[2]));
                assertEquals(REWRITTEN, gone[0], "the keys written again are the oldest still");
                if (journal) {
                    // Renamed, they are newer than the first keys (300..999) and older than the keys written next.
                    int older = FIRST - RENAMED_TO;
                    assertTrue(gone[1] == 0 || gone[2] >= older,
                            () -> gone[1] + " renamed keys gone before all of the " + older + " older ones: " + gone[2]);
                    assertTrue(gone[2] <= older || gone[1] == RENAMED_TO - RENAMED_FROM,
                            () -> gone[2] + " others gone, newer than the renamed keys, of which " + gone[1] + " gone");
                } else {
                    assertEquals(RENAMED_TO - RENAMED_FROM, gone[1], "the renamed keys kept their age");
                }
                assertTrue(gone[2] > 0 && gone[2] < FIRST + MORE - RENAMED_TO, () -> gone[2] + " others gone");
                // Both sums from one reading of the log: the agent may flush again while the test looks.
                List<AgentLog.Flush> flushes = AgentLog.flushes(child);
                assertEquals(flushes.stream().filter(f -> !f.dryRun()).mapToLong(AgentLog.Flush::acted).sum(),
                        flushes.stream().mapToLong(AgentLog.Flush::picked).sum(),
                        () -> "the agent picked keys that were not there: it did not forget deleted or renamed keys; "
                                + child.report());
                reused.assertUntouched(s.redis);
                s.foreign.assertUntouched(s.redis);
                Scenario.assertCleanExit(child);
            }
        }
    }
}
