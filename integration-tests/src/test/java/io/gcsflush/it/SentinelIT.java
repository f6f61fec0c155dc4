package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.SentinelWriterApp;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * An application behind Redis Sentinel (a master, a replica, a sentinel: {@code redis-server --sentinel}) through
 * JedisSentinelPool or a {@code redis-sentinel://} Lettuce client. The sentinel is never taken for a server of data,
 * the replica is never flushed, and after {@code SENTINEL FAILOVER} the keys and their order follow the data to the
 * new master: the journal replicated with the keys, and what the agent had not appended yet goes there too. The new
 * master then loses exactly its oldest keys, those written before the failover first, and the log says once that
 * a failover was followed.
 */
class SentinelIT {
    private static final String MASTER = "mymaster";
    /** Before the failover: some 3 MiB, under the threshold. */
    private static final int BEFORE = 3_000;
    /** After it: some 6.6 MiB more, which takes the new master over the threshold (6 MiB over what it used). */
    private static final int AFTER = Scenario.COUNT;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jedis", "lettuce"})
    void aFailoverTakesTheKeysAndTheirOrderToTheNewMaster(String client, TestInfo test) {
        String name = Scenario.name(test);
        try (RedisServer master = RedisServer.builder().name(name + "-master").start();
             RedisServer replica = RedisServer.builder().name(name + "-replica")
                     .args("--replicaof", master.host(), String.valueOf(master.port())).start();
             RedisServer sentinel = RedisServer.builder().name(name + "-sentinel").sentinel(MASTER, master.port())
                     .start()) {
            Await.until("the replica in sync and known to the sentinel", Scenario.TIMEOUT,
                    () -> "up".equals(replica.info("replication").get("master_link_status"))
                            && sentinelSees(sentinel), () -> replica.info("replication").toString());
            long threshold = master.usedMemory() + 6 * Scenario.MIB;
            ChildKeys keys = new ChildKeys(0, "app", BEFORE, Scenario.VALUE_SIZE);
            String agent = "threshold=" + threshold + ",period=" + Scenario.PERIOD + ",batch=" + Scenario.BATCH;
            try (ChildJvm app = ChildJvm.builder(test).agent(agent).mainClass(SentinelWriterApp.class)
                    .args("--client", client, "--master", MASTER, "--host", sentinel.host(), "--port",
                            String.valueOf(sentinel.port()), "--prefix", keys.prefix, "--count", String.valueOf(BEFORE),
                            "--value-size", String.valueOf(Scenario.VALUE_SIZE))
                    .openStdin().start()) {
                app.waitForLine("^wrote " + BEFORE + "$", Scenario.TIMEOUT);
                JournalFaultsIT.awaitJournaled(master, BEFORE);
                Await.until("the replica has the keys and the journal", Scenario.TIMEOUT,
                        () -> replica.dbSizeWithoutJournal() == BEFORE, () -> "replica dbsize " + replica.dbSize());

                try (Jedis s = new Jedis(sentinel.host(), sentinel.port())) {
                    Object reply = s.sendCommand(redis.clients.jedis.Protocol.Command.SENTINEL, "FAILOVER", MASTER);
                    assertEquals("OK", redis.clients.jedis.util.SafeEncoder.encode((byte[]) reply));
                }
                Await.until("the replica promoted and the old master its replica", Scenario.TIMEOUT,
                        () -> "master".equals(role(replica)) && "slave".equals(role(master)),
                        () -> "replica " + role(replica) + "; master " + role(master));

                app.send("write " + AFTER);
                app.waitForLine("^wrote " + (BEFORE + AFTER) + "$", Scenario.TIMEOUT);
                ChildKeys all = new ChildKeys(0, "app", BEFORE + AFTER, Scenario.VALUE_SIZE);
                int[] gone = new int[1];
                Await.until("the new master under the threshold", Scenario.TIMEOUT, () -> {
                    gone[0] = all.gonePrefix(replica);
                    return replica.usedMemory() < threshold && gone[0] == AgentLog.removed(app);
                }, () -> "gone " + gone[0] + ", used_memory " + replica.usedMemory() + "; " + app.report());
                assertTrue(gone[0] > BEFORE, () -> "the keys from before the failover go first: " + gone[0]);

                List<String> followed = AgentLog.lines(app, "following its keys and their order to "
                        + Pattern.quote(replica.host() + ":" + replica.port()));
                assertEquals(1, followed.size(), app::report);
                assertEquals(List.of(), AgentLog.lines(app, AgentLog.TRACKING + ".*:" + sentinel.port() + "$"),
                        "the sentinel is not a server of data");
                for (AgentLog.Flush f : AgentLog.flushes(app)) {
                    assertEquals(replica.host() + ":" + replica.port(), f.server(), "only the new master is flushed");
                }
                assertEquals(List.of(), AgentLog.lines(app, "READONLY| WARN .*refused"), app::report);
                Scenario.assertCleanExit(app);
            }
        }
    }

    /**
     * Lettuce's MasterReplica: the application writes to the master and reads from the replica, over connections to
     * both. The replica is never flushed, nor said to be over the threshold with nothing to remove; the master is
     * flushed, oldest first.
     */
    @org.junit.jupiter.api.Test
    void aReplicaTheApplicationReadsFromIsNeverFlushed(TestInfo test) {
        String name = Scenario.name(test);
        try (RedisServer master = RedisServer.builder().name(name + "-master").start();
             RedisServer replica = RedisServer.builder().name(name + "-replica")
                     .args("--replicaof", master.host(), String.valueOf(master.port())).start()) {
            Await.until("the replica in sync", Scenario.TIMEOUT,
                    () -> "up".equals(replica.info("replication").get("master_link_status")),
                    () -> replica.info("replication").toString());
            long threshold = master.usedMemory() + 3 * Scenario.MIB;
            ChildKeys keys = new ChildKeys(0, "app", Scenario.COUNT, Scenario.VALUE_SIZE);
            String agent = "threshold=" + threshold + ",period=" + Scenario.PERIOD + ",batch=" + Scenario.BATCH;
            try (ChildJvm app = ChildJvm.builder(test).agent(agent).mainClass(SentinelWriterApp.class)
                    .args("--client", "masterreplica", "--host", master.host(), "--port", String.valueOf(master.port()),
                            "--prefix", keys.prefix, "--count", String.valueOf(keys.count), "--value-size",
                            String.valueOf(Scenario.VALUE_SIZE))
                    .openStdin().start()) {
                app.waitForLine("^wrote " + keys.count + "$", Scenario.TIMEOUT);
                int[] gone = new int[1];
                Await.until("the master under the threshold", Scenario.TIMEOUT, () -> {
                    gone[0] = keys.gonePrefix(master);
                    return master.usedMemory() < threshold && gone[0] == AgentLog.removed(app) && gone[0] > 0;
                }, () -> "gone " + gone[0] + "; " + app.report());
                String replicaAddress = Pattern.quote(replica.host() + ":" + replica.port());
                assertEquals(List.of(), AgentLog.lines(app, AgentLog.TRACKING + replicaAddress), app::report);
                assertEquals(List.of(), AgentLog.lines(app, replicaAddress + ".*(over the threshold|flushed)"),
                        app::report);
                for (AgentLog.Flush f : AgentLog.flushes(app)) {
                    assertEquals(master.host() + ":" + master.port(), f.server(), "only the master is flushed");
                }
                Scenario.assertNoAgentErrors(app);
                Scenario.assertCleanExit(app);
            }
        }
    }

    /** A server's role; "" while it cannot say (a master being demoted closes its connections). */
    private static String role(RedisServer server) {
        try {
            return server.info("replication").getOrDefault("role", "");
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static boolean sentinelSees(RedisServer sentinel) {
        try (Jedis s = new Jedis(sentinel.host(), sentinel.port())) {
            Object replicas = s.sendCommand(redis.clients.jedis.Protocol.Command.SENTINEL, "REPLICAS", MASTER);
            return replicas instanceof List && !((List<?>) replicas).isEmpty();
        }
    }
}
