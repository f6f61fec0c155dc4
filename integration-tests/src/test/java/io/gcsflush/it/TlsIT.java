package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.RedisSecurity.ServerCertificate;
import io.gcsflush.it.SecureClients.Client;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;

/**
 * A server reachable over TLS only ({@code --tls-port}, {@code --port 0}), with certificates the tests make
 * ({@link TestCertificates}): the agent's own connection uses TLS because the application's does, trusts what the
 * JVM's default stores trust when the application relies on them, and otherwise needs the {@code redis.truststore} and
 * {@code redis.keystore} settings; until it has what it needs it warns once and removes nothing.
 */
class TlsIT {
    private static final String STORE_PASSWORD = TestCertificates.STORE_PASSWORD;
    /** How long a case that cannot connect watches the agent after its warning: 15 periods, two of its retries. */
    private static final Duration WATCH = Duration.ofMillis(3_200);

    /**
     * The harness itself, with each redis-server there is (7.0 on the PATH, 6.2 from embedded-redis; both are built
     * with TLS): a TLS-only server with a password and client certificates answers the test's own connections, and
     * nothing else: not plain TCP, not TLS without the password.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RedisServer.Source.class, names = {"PATH", "EMBEDDED"})
    void theHarnessStartsTlsServersOfEachSource(RedisServer.Source source, TestInfo test) throws Exception {
        String password = SecureClients.secret("admin");
        RedisSecurity security = RedisSecurity.none().requirePass(password).tls(true);
        RedisServer started;
        try {
            started = RedisServer.builder().sources(source).security(security).name(Scenario.name(test)).start();
        } catch (IllegalStateException e) {
            Assumptions.abort("no redis-server from " + source + ": " + e.getMessage());
            return;
        }
        try (RedisServer redis = started; Jedis jedis = redis.jedis()) {
            jedis.set("k", "v");
            assertEquals("v", jedis.get("k"), redis::toString);
            String plain;
            try {
                plain = RedisServer.command(redis.host(), redis.port(), Duration.ofSeconds(2), "PING");
            } catch (IOException e) {
                plain = e.toString();
            }
            assertNotEquals("+PONG", plain, () -> "plain TCP answered on the TLS port of " + redis);
            String noPassword = RedisServer.command(redis.host(), redis.port(), RedisSecurity.none().tls(true),
                    Duration.ofSeconds(2), "PING");
            assertTrue(noPassword.startsWith("-NOAUTH"), () -> noPassword + " from " + redis);
        }
    }

    /**
     * The application's TLS uses the JVM's default stores, which its JVM flags set: the agent needs no setting.
     * Jedis (through {@code SSLSocketFactory.getDefault()}) presents the client certificate of
     * {@code javax.net.ssl.keyStore}, so its server asks for one ({@code tls-auth-clients yes}); Lettuce's netty
     * context takes the default trust store but no default key store, so its server does not.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void theJvmsDefaultStoresNeedNoSetting(Client client, TestInfo test) {
        boolean clientCertificate = client == Client.JEDIS;
        try (Scenario s = Scenario.startProtected(test, RedisSecurity.none().tls(clientCertificate))) {
            ChildJvm.Builder builder = jvmStores(client.writer(s, null, null), clientCertificate);
            try (ChildJvm app = builder.start()) {
                s.assertOldestFlushed(app);
            }
        }
    }

    /**
     * The application's TLS uses an SSL context of its own (Jedis: {@code sslSocketFactory}; Lettuce:
     * {@code SslOptions}), with no javax.net.ssl property: the agent, with the JVM's default trust store (cacerts),
     * does not trust the server. One warning, however long it lasts; nothing removed.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void anSslContextOfTheApplicationsOwnIsNotSeenByTheAgent(Client client, TestInfo test) {
        try (Scenario s = Scenario.startProtected(test, RedisSecurity.none().tls(true))) {
            try (ChildJvm app = ownContext(client.writer(s, null, null)).start()) {
                app.waitForLine("^wrote " + s.keys.count + "$", Scenario.TIMEOUT);
                String warning = assertWarnsOnceAndRemovesNothing(s, app);
                // The JDK's words for a server certificate that no trusted certificate signed.
                assertTrue(warning.contains("PKIX path building failed"), () -> "not the reason expected: " + warning);
            }
        }
    }

    /** The same application, with {@code redis.truststore} and {@code redis.keystore} (and their passwords). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void theTrustAndKeyStoreSettingsLetTheAgentIn(Client client, TestInfo test) {
        TestCertificates certs = TestCertificates.get();
        try (Scenario s = Scenario.startProtected(test, RedisSecurity.none().tls(true))) {
            try (ChildJvm app = ownContext(client.writer(s, null, null))
                    .systemProperty("gcsflush.redis.truststore", certs.truststoreP12.toString())
                    .systemProperty("gcsflush.redis.truststore-password", STORE_PASSWORD)
                    .systemProperty("gcsflush.redis.keystore", certs.clientP12.toString())
                    .systemProperty("gcsflush.redis.keystore-password", STORE_PASSWORD)
                    .start()) {
                s.assertOldestFlushed(app);
                assertTrue(AgentLog.lines(app, AgentLog.CANNOT_FLUSH).isEmpty(), app::report);
                SecureClients.assertNoSecretPrinted(app, STORE_PASSWORD);
            }
        }
    }

    /**
     * The server's certificate names {@code localhost} only; the application connects to {@code 127.0.0.1} with
     * Jedis, which does not check host names unless told to: the application is content, the agent (which checks by
     * default, against the host the application connected to) is not. It warns once and removes nothing.
     */
    @Test
    void aCertificateForAnotherHostNameIsRefusedByTheAgent(TestInfo test) {
        RedisSecurity localhostOnly = RedisSecurity.none().tls(ServerCertificate.LOCALHOST_ONLY, false);
        try (Scenario s = Scenario.startProtected(test, localhostOnly)) {
            try (ChildJvm app = jvmStores(Client.JEDIS.writer(s, null, null), false).start()) {
                app.waitForLine("^wrote " + s.keys.count + "$", Scenario.TIMEOUT);
                String warning = assertWarnsOnceAndRemovesNothing(s, app);
                assertTrue(warning.contains("127.0.0.1"), () -> "the warning does not say why: " + warning);
            }
        }
    }

    /**
     * The same certificate, the application connecting to {@code localhost} (Lettuce checks the name, Jedis not): the
     * agent checks the certificate against the name the application used, not the address, and takes it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Client.class)
    void aCertificateForTheNameTheApplicationUsedIsAccepted(Client client, TestInfo test) {
        RedisSecurity localhostOnly = RedisSecurity.none().tls(ServerCertificate.LOCALHOST_ONLY, false);
        try (Scenario s = Scenario.startProtected(test, localhostOnly)) {
            try (ChildJvm app = jvmStores(client.writer(s, null, null), false).args("--host", "localhost").start()) {
                app.waitForLine(AgentLog.TRACKING + "localhost:" + s.redis.port() + "$", Scenario.TIMEOUT);
                s.assertOldestFlushed(app);
                assertTrue(AgentLog.lines(app, AgentLog.CANNOT_FLUSH).isEmpty(), app::report);
            }
        }
    }

    /** The same, with {@code redis.verify-hostname=false}: the agent takes the certificate as the application does. */
    @Test
    void verifyHostnameFalseAcceptsIt(TestInfo test) {
        RedisSecurity localhostOnly = RedisSecurity.none().tls(ServerCertificate.LOCALHOST_ONLY, false);
        try (Scenario s = Scenario.startProtected(test, localhostOnly)) {
            try (ChildJvm app = jvmStores(Client.JEDIS.writer(s, null, null), false)
                    .systemProperty("gcsflush.redis.verify-hostname", "false").start()) {
                s.assertOldestFlushed(app);
                assertTrue(AgentLog.lines(app, AgentLog.CANNOT_FLUSH).isEmpty(), app::report);
            }
        }
    }

    /**
     * Waits for the agent's warning, watches {@link #WATCH} more, and checks that it was the only one, that nothing
     * was removed although used_memory is over the threshold, and that the application ran and ended as usual.
     */
    private static String assertWarnsOnceAndRemovesNothing(Scenario s, ChildJvm app) {
        String warning = app.waitForLine(AgentLog.CANNOT_FLUSH, Scenario.TIMEOUT);
        try {
            Thread.sleep(WATCH.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        assertEquals(List.of(warning), AgentLog.lines(app, AgentLog.line("WARN")),
                () -> "one warning expected, whatever the retries; " + app.report());
        assertTrue(s.redis.usedMemory() >= s.threshold(), "over the threshold");
        assertTrue(s.keys.allPresent(s.redis), () -> "a key of the application's is gone; " + app.report());
        assertTrue(AgentLog.flushes(app).isEmpty(), app::report);
        s.foreign.assertUntouched(s.redis);
        SecureClients.assertCleanExitBesidesTheAgent(app);
        return warning;
    }

    /** The application's TLS through the JVM's default stores, set by its JVM flags. */
    private static ChildJvm.Builder jvmStores(ChildJvm.Builder app, boolean clientCertificate) {
        TestCertificates certs = TestCertificates.get();
        app.args("--tls", "jvm")
                .systemProperty("javax.net.ssl.trustStore", certs.truststoreP12.toString())
                .systemProperty("javax.net.ssl.trustStorePassword", STORE_PASSWORD)
                .systemProperty("javax.net.ssl.trustStoreType", "PKCS12");
        if (clientCertificate) {
            app.systemProperty("javax.net.ssl.keyStore", certs.clientP12.toString())
                    .systemProperty("javax.net.ssl.keyStorePassword", STORE_PASSWORD)
                    .systemProperty("javax.net.ssl.keyStoreType", "PKCS12");
        }
        return app;
    }

    /** The application's TLS through a context of its own, from the test stores, with its client certificate. */
    private static ChildJvm.Builder ownContext(ChildJvm.Builder app) {
        TestCertificates certs = TestCertificates.get();
        return app.args("--tls", "context", "--truststore", certs.truststoreP12.toString(),
                "--keystore", certs.clientP12.toString(), "--store-password", STORE_PASSWORD);
    }
}
