package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.JedisWriterApp;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The server goes away under the agent and comes back, empty, on the same port: the agent warns that it cannot flush
 * (not once a period), says once that the server is reachable again, and then flushes the keys the application
 * writes after the restart; the application never notices the agent.
 */
class UnreachableIT {
    /** Keys before the restart: too few to go over the threshold. */
    private static final int BEFORE = 500;
    /** Keys after the restart: several MiB over the threshold. */
    private static final int AFTER = Scenario.COUNT;
    /**
     * How long the server stays away after the agent's first warning. The agent retries after 1 s, 2 s more, 4 s
     * more: this covers two retries, which meet another error (the connection is refused rather than closed under
     * it), and leaves the next one 2.5 s after the server is back.
     */
    private static final Duration DOWN = Duration.ofMillis(4_500);
    /**
     * The agent is back within this of the application's first reply from the server: a check interval (20 ms here)
     * and room for a loaded machine, well under the 2.5 s its growing delay would take.
     */
    private static final Duration BACK = Duration.ofMillis(1_500);
    private static final Pattern REASON = Pattern.compile(AgentLog.CANNOT_FLUSH + "\\S+: (.*); retrying with a");
    /** The keys written before the restart; those after it follow them, from index {@value #BEFORE} on. */
    private static final ChildKeys KEYS = new ChildKeys(0, "app", BEFORE, Scenario.VALUE_SIZE);

    @org.junit.jupiter.params.ParameterizedTest(name = "order={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"journal", "local"})
    void warnsWhileTheServerIsAwayAndFlushesAgainWhenItIsBack(String order, TestInfo test) {
        try (Outage outage = Outage.begin(test, order)) {
            ChildJvm child = outage.child;
            List<String> reasons = outage.warningReasons();
            assertTrue(!reasons.isEmpty(), child::report);
            // Not one warning a period: none repeats a reason (see agentBugOneOutageIsWarnedAboutOnce for their number).
            assertEquals(reasons.stream().distinct().collect(Collectors.toList()), reasons, child::report);

            try (RedisServer second = RedisServer.builder().name(Scenario.name(test) + "-second")
                    .port(outage.port).start()) {
                ForeignKeys foreign = new ForeignKeys().strings(0, "foreign", 300).write(second);
                long sent = System.nanoTime();
                child.send("write " + AFTER);
                child.waitForLine(AgentLog.REACHABLE_AGAIN, Scenario.TIMEOUT);
                Duration back = Duration.ofNanos(System.nanoTime() - sent);
                assertTrue(back.compareTo(BACK) < 0, () -> "the agent was back " + back.toMillis() + " ms after the "
                        + "application wrote again, not within " + BACK.toMillis() + " ms; " + child.report());
                child.waitForLine("^wrote " + (BEFORE + AFTER) + "$", Scenario.TIMEOUT);

                // The keys written before the restart are the oldest the agent tracks; they went with the first
                // server, so the first flush removes fewer keys than it picks. Then the new ones go, oldest first.
                int[] gone = new int[1];
                Await.until("used_memory below the threshold " + outage.threshold + " and the keys written after the"
                                + " restart gone as many as the agent says it removed", Scenario.TIMEOUT,
                        () -> {
                            gone[0] = KEYS.gonePrefix(second, BEFORE, BEFORE + AFTER);
                            return second.usedMemory() < outage.threshold && gone[0] == AgentLog.removed(child);
                        },
                        () -> "used_memory " + second.usedMemory() + ", gone " + gone[0] + ", flushes "
                                + AgentLog.flushes(child) + "; " + child.report());
                assertTrue(gone[0] > 0 && gone[0] < AFTER, () -> gone[0] + " keys gone; " + child.report());
                // It came back empty (another run_id): what the agent tracked there and is gone is forgotten, said
                // once, whether appended to the journal or not yet.
                assertEquals(1, AgentLog.lines(child, "restarted: forgetting the " + BEFORE
                        + " keys this application wrote there that are gone").size(), child::report);
                assertEquals(AgentLog.removed(child), AgentLog.picked(child),
                        () -> "keys picked that were gone already: the old ones were not forgotten; " + child.report());
                assertEquals(1, AgentLog.lines(child, AgentLog.REACHABLE_AGAIN).size(), child::report);
                assertEquals(reasons, outage.warningReasons(), () -> "no warning after the restart; " + child.report());
                foreign.assertUntouched(second);
                Scenario.assertCleanExit(child);
            }
        }
    }

    /**
     * One outage, one warning: the first check after the server goes away fails on the agent's open connection
     * ("connection closed by host:port"), the retries on new ones ("Connection refused"); only the change of state
     * is worth a warning.
     */
    @Test
    void oneOutageIsWarnedAboutOnce(TestInfo test) {
        try (Outage outage = Outage.begin(test, "journal")) {
            assertEquals(1, outage.warningReasons().size(), () -> "'cannot flush' warnings for one outage: "
                    + outage.warningReasons() + "; " + outage.child.report());
        }
    }

    /**
     * A child that wrote {@value #BEFORE} keys to a server that then went away: returned after the agent's first
     * warning and {@link #DOWN} more.
     */
    private static final class Outage implements AutoCloseable {
        final RedisServer first;
        final int port;
        final long threshold;
        final ChildJvm child;

        private Outage(RedisServer first, long threshold, ChildJvm child) {
            this.first = first;
            this.port = first.port();
            this.threshold = threshold;
            this.child = child;
        }

        static Outage begin(TestInfo test, String order) {
            RedisServer first = RedisServer.builder().name(Scenario.name(test) + "-first").start();
            ChildJvm child = null;
            try {
                long threshold = first.usedMemory() + Scenario.MARGIN;
                child = ChildJvm.builder(test)
                        .agent("threshold=" + threshold + ",period=" + Scenario.PERIOD + ",batch=" + Scenario.BATCH
                                + ",order=" + order)
                        .mainClass(JedisWriterApp.class).args(KEYS.args(first, "plain")).openStdin().start();
                child.waitForLine("^wrote " + BEFORE + "$", Scenario.TIMEOUT);
                child.waitForLine(AgentLog.TRACKING, Scenario.TIMEOUT);
                first.close();
                child.waitForLine(AgentLog.CANNOT_FLUSH, Scenario.TIMEOUT);
                Thread.sleep(DOWN.toMillis()); // proving that no more warnings come takes waiting
                return new Outage(first, threshold, child);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } catch (RuntimeException | Error e) {
                if (child != null) {
                    child.close();
                }
                first.close();
                throw e;
            }
        }

        /** The reasons of the agent's "cannot flush" warnings, in order. */
        List<String> warningReasons() {
            return AgentLog.lines(child, REASON.pattern()).stream()
                    .map(REASON::matcher)
                    .filter(Matcher::find)
                    .map(m -> m.group(1))
                    .collect(Collectors.toList());
        }

        @Override
        public void close() {
            child.close();
            first.close();
        }
    }
}
