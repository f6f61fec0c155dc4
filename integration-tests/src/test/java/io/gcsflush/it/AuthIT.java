package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.SecureClients.Client;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server that asks for a password ({@code requirepass}) or an ACL user: the agent reaches it as the application
 * does, with the credentials of the application's own {@code AUTH} (Jedis) or {@code HELLO 3 AUTH} (Lettuce), held in
 * memory and never printed; where the application's user may not remove keys, it says so once, and the
 * {@code redis.user} and {@code redis.password} settings give it a user that may.
 *
 * <p>The application's password reaches it in its environment, not on its command line, so that the child's log
 * holds it nowhere; the test's own connections use another password (the default user's) where there is an ACL user.
 */
class AuthIT {
    private static final String ADMIN_PASSWORD = SecureClients.secret("admin");
    private static final String APP_PASSWORD = SecureClients.secret("app");
    private static final String FLUSHER_PASSWORD = SecureClients.secret("flusher");
    /** How long the refusal case watches the agent after its first refusal: 10 periods. */
    private static final Duration WATCH = Duration.ofMillis(2_000);

    /** The default user's password only: the application authenticates with {@code AUTH <password>} (Lettuce: HELLO). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void requirepassTheAgentReusesTheApplicationsPassword(Client client, TestInfo test) {
        RedisSecurity security = RedisSecurity.none().requirePass(APP_PASSWORD);
        try (Scenario s = Scenario.startProtected(test, security)) {
            try (ChildJvm app = client.writer(s, null, APP_PASSWORD).start()) {
                app.waitForLine(AgentLog.FLUSHED.pattern(), Scenario.TIMEOUT);
                assertAgentConnectedAs(s.redis, "default", app);
                s.assertOldestFlushed(app);
                SecureClients.assertNoSecretPrinted(app, APP_PASSWORD);
            }
        }
    }

    /** An ACL user with a password: the agent's connection is that user's, as the application's is. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void aclUserTheAgentReusesTheApplicationsUser(Client client, TestInfo test) {
        RedisSecurity security = RedisSecurity.none().requirePass(ADMIN_PASSWORD)
                .aclUser("app", "on", ">" + APP_PASSWORD, "~*", "+@all");
        try (Scenario s = Scenario.startProtected(test, security)) {
            try (ChildJvm app = client.writer(s, "app", APP_PASSWORD).start()) {
                app.waitForLine(AgentLog.FLUSHED.pattern(), Scenario.TIMEOUT);
                assertAgentConnectedAs(s.redis, "app", app);
                s.assertOldestFlushed(app);
                SecureClients.assertNoSecretPrinted(app, APP_PASSWORD, ADMIN_PASSWORD);
            }
        }
    }

    /**
     * With {@code log=debug} (a statistics line every second, and everything else the agent says), no line the child
     * prints, on stdout or stderr, holds the application's password, nor the test's.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void credentialsNeverAppearInTheOutput(Client client, TestInfo test) {
        RedisSecurity security = RedisSecurity.none().requirePass(ADMIN_PASSWORD)
                .aclUser("app", "on", ">" + APP_PASSWORD, "~*", "+@all");
        try (Scenario s = Scenario.startProtected(test, security)) {
            // The agent's debug lines go through the application's slf4j-simple, which must let them through too.
            try (ChildJvm app = client.writer(s, "app", APP_PASSWORD)
                    .agent(s.agentArgs(Scenario.BATCH) + ",log=debug")
                    .systemProperty("org.slf4j.simpleLogger.log.io.gcsflush", "debug").start()) {
                s.assertOldestFlushed(app);
                assertTrue(!AgentLog.lines(app, AgentLog.line("DEBUG")).isEmpty(), () -> "log=debug printed no debug"
                        + " line; " + app.report());
                SecureClients.assertNoSecretPrinted(app, APP_PASSWORD, ADMIN_PASSWORD);
            }
        }
    }

    /**
     * The application's user may do everything but UNLINK: the agent, which reuses its credentials, is refused. It
     * says so in one warning (not one a period) naming the refusal, removes nothing, keeps running, and the
     * application never notices.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void aUserThatMayNotUnlinkIsReportedOnce(Client client, TestInfo test) {
        try (Scenario s = Scenario.startProtected(test, appMayNotUnlink())) {
            try (ChildJvm app = client.writer(s, "app", APP_PASSWORD).start()) {
                app.waitForLine("^wrote " + s.keys.count + "$", Scenario.TIMEOUT);
                String refusal = app.waitForLine(SecureClients.REFUSED, Scenario.TIMEOUT);
                assertTrue(refusal.contains("NOPERM"), () -> "the warning does not say why: " + refusal);
                sleep(WATCH);
                assertEquals(List.of(refusal), AgentLog.lines(app, AgentLog.line("WARN")),
                        () -> "one warning, the refusal, expected; " + app.report());
                assertTrue(s.keys.allPresent(s.redis), () -> "a key of the application's is gone; " + app.report());
                assertEquals(0, AgentLog.removed(app), app::report);
                assertTrue(s.redis.usedMemory() >= s.threshold(), "still over the threshold");
                assertAgentConnectedAs(s.redis, "app", app);
                s.foreign.assertUntouched(s.redis);
                // The agent's own lines may name no exception either: a refusal is not a crash.
                Scenario.assertCleanExit(app);
                SecureClients.assertNoSecretPrinted(app, APP_PASSWORD, ADMIN_PASSWORD);
            }
        }
    }

    /**
     * While every UNLINK is refused, the agent does not log a line a period either: each "flushed ...: removed 0 of
     * the 1000 oldest keys" line is a flush that did nothing, which the one warning already said would keep happening.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void aRefusedFlushIsNotLoggedEveryPeriod(Client client, TestInfo test) {
        try (Scenario s = Scenario.startProtected(test, appMayNotUnlink())) {
            try (ChildJvm app = client.writer(s, "app", APP_PASSWORD).start()) {
                app.waitForLine("^wrote " + s.keys.count + "$", Scenario.TIMEOUT);
                app.waitForLine(SecureClients.REFUSED, Scenario.TIMEOUT);
                int before = AgentLog.flushes(app).size();
                sleep(WATCH);
                List<AgentLog.Flush> during = AgentLog.flushes(app).subList(before, AgentLog.flushes(app).size());
                assertTrue(during.size() <= 1, () -> during.size() + " 'flushed' lines that removed "
                        + during.stream().mapToInt(AgentLog.Flush::acted).sum() + " keys in " + WATCH.toMillis()
                        + " ms of refusals; " + app.report());
                Scenario.assertCleanExit(app);
            }
        }
    }

    /**
     * The same application, with {@code redis.user} and {@code redis.password} (system properties) naming a user
     * that may run what the agent needs, and nothing else ({@code -@all +info +select +unlink}): the agent connects as
     * that user, not the application's, and removes exactly the oldest keys.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void redisUserAndPasswordSettingsGiveTheAgentAUserThatMay(Client client, TestInfo test) {
        try (Scenario s = Scenario.startProtected(test, appMayNotUnlink())) {
            try (ChildJvm app = client.writer(s, "app", APP_PASSWORD)
                    .systemProperty("gcsflush.redis.user", "flusher")
                    .systemProperty("gcsflush.redis.password", FLUSHER_PASSWORD)
                    .start()) {
                String started = app.waitForLine(AgentLog.STARTED, Scenario.TIMEOUT);
                assertTrue(started.contains("redis.user=flusher") && started.contains("redis.password=(set)"),
                        () -> "the start-up line does not show the settings: " + started);
                app.waitForLine(AgentLog.FLUSHED.pattern(), Scenario.TIMEOUT);
                assertAgentConnectedAs(s.redis, "flusher", app);
                s.assertOldestFlushed(app);
                assertTrue(AgentLog.lines(app, SecureClients.REFUSED).isEmpty(), app::report);
                SecureClients.assertNoSecretPrinted(app, APP_PASSWORD, ADMIN_PASSWORD, FLUSHER_PASSWORD);
            }
        }
    }

    /**
     * A wrong {@code redis.password}: the agent's AUTH is refused. One warning with the server's reason (not the
     * password), nothing removed, the application unaffected.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Client.class, names = "JEDIS")
    void aWrongPasswordSettingIsReportedOnce(Client client, TestInfo test) {
        String wrong = SecureClients.secret("wrong");
        try (Scenario s = Scenario.startProtected(test, appMayNotUnlink())) {
            try (ChildJvm app = client.writer(s, "app", APP_PASSWORD)
                    .systemProperty("gcsflush.redis.user", "flusher")
                    .systemProperty("gcsflush.redis.password", wrong)
                    .start()) {
                app.waitForLine("^wrote " + s.keys.count + "$", Scenario.TIMEOUT);
                String warning = app.waitForLine(AgentLog.CANNOT_FLUSH, Scenario.TIMEOUT);
                assertTrue(warning.contains("WRONGPASS"), () -> "the warning does not say why: " + warning);
                sleep(WATCH);
                assertEquals(List.of(warning), AgentLog.lines(app, AgentLog.line("WARN")),
                        () -> "one warning expected, whatever the retries; " + app.report());
                assertTrue(s.keys.allPresent(s.redis), () -> "a key of the application's is gone; " + app.report());
                assertTrue(AgentLog.flushes(app).isEmpty(), app::report);
                s.foreign.assertUntouched(s.redis);
                Scenario.assertCleanExit(app);
                SecureClients.assertNoSecretPrinted(app, wrong, APP_PASSWORD, ADMIN_PASSWORD, FLUSHER_PASSWORD);
            }
        }
    }

    /** The application's user may not UNLINK; {@code flusher} may run INFO, SELECT and UNLINK only. */
    /**
     * The application's user may not run scripts: the journal cannot be kept, which the agent says in one line, and
     * it keeps the order of the application's keys in its own JVM instead (as order=local), removing the oldest.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void aUserWithoutScriptsGetsTheOrderOfThisJvm(Client client, TestInfo test) {
        RedisSecurity security = RedisSecurity.none().requirePass(ADMIN_PASSWORD)
                .aclUser("app", "on", ">" + APP_PASSWORD, "~*", "+@all", "-@scripting");
        try (Scenario s = Scenario.startProtected(test, security)) {
            try (ChildJvm app = client.writer(s, "app", APP_PASSWORD).start()) {
                String warning = app.waitForLine("cannot keep the journal there", Scenario.TIMEOUT);
                assertTrue(warning.contains("NOPERM") && warning.contains("order=local"), warning);
                s.assertOldestFlushed(app);
                assertEquals(List.of(warning), AgentLog.lines(app, AgentLog.line("WARN")), app::report);
                SecureClients.assertNoSecretPrinted(app, APP_PASSWORD, ADMIN_PASSWORD);
            }
        }
    }

    private static RedisSecurity appMayNotUnlink() {
        return RedisSecurity.none().requirePass(ADMIN_PASSWORD)
                .aclUser("app", "on", ">" + APP_PASSWORD, "~*", "+@all", "-unlink")
                .aclUser("flusher", "on", ">" + FLUSHER_PASSWORD, "~*", "-@all", "+info", "+select", "+unlink");
    }

    /** Waits until the server has a connection of the agent's, authenticated as {@code user}. */
    private static void assertAgentConnectedAs(RedisServer redis, String user, ChildJvm app) {
        Await.until("a connection of the agent's as user " + user, Scenario.TIMEOUT,
                () -> !SecureClients.agentConnections(redis, user).isEmpty(),
                () -> "CLIENT LIST: " + clientList(redis) + "; " + app.report());
    }

    private static String clientList(RedisServer redis) {
        try (var jedis = redis.jedis()) {
            return jedis.clientList();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
