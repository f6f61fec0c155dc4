package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.ClientSecurityArgs;
import io.gcsflush.it.apps.SecureJedisWriterApp;
import io.gcsflush.it.apps.SecureLettuceWriterApp;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/** What {@link AuthIT} and {@link TlsIT} share: the two secure writer applications, and checks. */
final class SecureClients {

    /** The writer application of each client: Jedis one SET at a time, Lettuce in asynchronous batches. */
    enum Client {
        JEDIS(SecureJedisWriterApp.class, "plain"),
        LETTUCE(SecureLettuceWriterApp.class, "async");

        final Class<?> app;
        final String mode;

        Client(Class<?> app, String mode) {
            this.app = app;
            this.mode = mode;
        }

        /** {@link Scenario#writer} for this client; the password, if any, in the application's environment only. */
        ChildJvm.Builder writer(Scenario s, String user, String password) {
            ChildJvm.Builder builder = s.writer(app, mode);
            if (user != null) {
                builder.args("--user", user);
            }
            if (password != null) {
                builder.env(ClientSecurityArgs.PASSWORD_ENV, password);
            }
            return builder;
        }
    }

    /** The agent's warning that the server refused its UNLINKs: {@code ... WARN gcs-flush - host:port refused to remove}. */
    static final String REFUSED = AgentLog.line("WARN") + "\\S+ refused to remove ";
    /** The commands the agent's own connection sends, as CLIENT LIST names the last one ({@code cmd=}). */
    private static final Set<String> AGENT_COMMANDS = Set.of("info", "select", "unlink", "auth");
    private static final Pattern AGENT_LINE = Pattern.compile(AgentLog.ANY);
    /** A printed exception, as {@link Scenario#assertNoException(ChildJvm)} recognises one. */
    private static final Pattern EXCEPTION = Pattern.compile(
            "(^|\\s)([a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error)(: |$)|^\\s+at [\\w$.<>/]+\\(|^Caused by: ");

    private SecureClients() {
    }

    /** A password no output would contain by chance. */
    static String secret(String what) {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        return "it-" + what + "-" + HexFormat.of().formatHex(random);
    }

    /** Fails if any line the child printed (stdout or stderr) contains one of the secrets. */
    static void assertNoSecretPrinted(ChildJvm app, String... secrets) {
        for (String secret : secrets) {
            List<String> leaks = app.output().stream().filter(line -> line.contains(secret))
                    .collect(Collectors.toList());
            assertTrue(leaks.isEmpty(), () -> "the child printed a password: " + leaks + "; " + app.report());
        }
    }

    /**
     * The connections to {@code redis} that look like the agent's: authenticated as {@code user}, their last command
     * one that only the agent sends (the applications only write, and close their connection once they have).
     */
    static List<Map<String, String>> agentConnections(RedisServer redis, String user) {
        List<Map<String, String>> found = new ArrayList<>();
        try (Jedis jedis = redis.jedis()) {
            for (String line : jedis.clientList().split("\r?\n")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String field : line.trim().split(" ")) {
                    int eq = field.indexOf('=');
                    if (eq > 0) {
                        fields.put(field.substring(0, eq), field.substring(eq + 1));
                    }
                }
                if (user.equals(fields.get("user")) && AGENT_COMMANDS.contains(fields.get("cmd"))) {
                    found.add(fields);
                }
            }
        }
        return found;
    }

    /**
     * Like {@link Scenario#assertCleanExit(ChildJvm)}, but the agent's own lines may name an exception (a TLS
     * failure's message does: "PKIX path building failed: sun.security...Exception: ..."); the application's may not.
     */
    static void assertCleanExitBesidesTheAgent(ChildJvm app) {
        app.closeStdin();
        assertEquals(0, app.waitForExit(Scenario.TIMEOUT), app::report);
        assertTrue(app.stdout().contains("exit"), app::report);
        List<String> exceptions = app.output().stream()
                .filter(line -> !AGENT_LINE.matcher(line).find())
                .filter(line -> EXCEPTION.matcher(line).find())
                .collect(Collectors.toList());
        assertTrue(exceptions.isEmpty(), () -> "the application printed an exception: " + exceptions + "; "
                + app.report());
    }
}
