package io.gcsflush.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No part of a secret setting's value is ever shown, whatever the input. The values below are made of fragments
 * ({@code Zq9}, {@code Xy7}, {@code Wv5}) that occur nowhere else in the agent's messages, so that a message showing
 * any fragment of one is caught.
 */
class SecretSettingsTest {
    private static final List<String> FRAGMENTS = List.of("Zq9", "Xy7", "Wv5");

    private static String message(String agentArgument, Map<String, String> sys, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.resolve(agentArgument, sys, env));
        return e.getMessage();
    }

    private static String argumentMessage(String agentArgument) {
        return message(agentArgument, Map.of(), Map.of());
    }

    private static void assertShowsNoFragment(String text) {
        for (String fragment : FRAGMENTS) {
            assertFalse(text.contains(fragment), () -> "'" + fragment + "' shown in: " + text);
        }
    }

    @Test
    void theSecretSettingsAreThePasswords() {
        List<String> secret = new ArrayList<>();
        for (AgentConfig.Setting s : AgentConfig.SETTINGS) {
            if (s.secret) secret.add(s.key);
        }
        assertEquals(List.of("redis.password", "redis.truststore-password", "redis.keystore-password"), secret);
    }

    /** A comma in the password splits the argument; what follows is not a setting: none of it is shown. */
    @Test
    void aCommaInAPasswordLeavesAPartWithoutEquals() {
        String message = argumentMessage("redis.password=Zq9,Xy7Part");
        assertShowsNoFragment(message);
        assertEquals("invalid agent argument: a part after redis.password has no '=' (not shown: it may be the rest "
                + "of redis.password's value, split at a comma; give a value that contains commas as "
                + "-Dgcsflush.redis.password or GCSFLUSH_REDIS_PASSWORD)", message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "redis.password=Zq9,Xy7=Wv5",                      // the rest reads as an unknown setting
            "redis.password=Zq9,batch=Xy7",                    // ... as a known setting with a bad value
            "redis.password=Zq9,threshold=Xy7Wv5",
            "redis.password=Zq9,redis.password=Xy7",            // ... as the password again
            "threshold=1g,redis.password=Zq9,threshold=Xy7",   // ... as a setting given before the password
            "redis.keystore-password=Zq9,,Xy7,Wv5",
            "REDIS_TRUSTSTORE_PASSWORD=Zq9, Xy7 ,period=1s",
            "redis.password=Zq9,redis.user=Xy7,period=Wv5",
    })
    void whatFollowsAPasswordInTheArgumentIsNeverShownWhenRefused(String agentArgument) {
        String message = argumentMessage(agentArgument);
        assertShowsNoFragment(message);
        assertTrue(message.contains("(not shown: it may be the rest of "), message);
    }

    @Test
    void partsBeforeThePasswordAreShownAsUsual() {
        String message = argumentMessage("thresold=Xy7,redis.password=Zq9");
        assertTrue(message.startsWith("unknown setting 'thresold' (=Xy7) in the agent argument"), message);
        assertFalse(message.contains("Zq9"), message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "redis.password=Zq9,redis.password=Xy7         | redis.password",
            "REDIS_PASSWORD=Zq9,Redis.PassWord=Xy7          | redis.password",
            "redis.truststore-password=Zq9,REDIS.TRUSTSTORE_PASSWORD=Xy7 | redis.truststore-password",
    })
    void aPasswordGivenTwiceUnderAnySpellingShowsNeitherValue(String agentArgument, String key) {
        String message = argumentMessage(agentArgument);
        assertShowsNoFragment(message);
        assertTrue(message.contains(key), message);
    }

    /** Without '=' the name and the value run together: the part is not shown if it looks like a password. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis.passwordZq9", "redis.password:Zq9", "threshold=1g,redis.keystore-passwordXy7",
            "REDIS_PASSWORD Zq9"})
    void aPasswordPartWithoutEqualsIsNotShown(String agentArgument) {
        String message = argumentMessage(agentArgument);
        assertShowsNoFragment(message);
        assertTrue(message.startsWith("invalid agent argument: a part has no '=' (not shown: it looks like a password)"),
                message);
    }

    /** A misspelt name may hold the secret too ({@code redis.pasword:Zq9=...}): neither it nor its value is shown. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis.pasword=Zq9", "redis.password:Zq9=Xy7", "redis.passwd=Zq9", "auth=Zq9",
            "redis.token=Zq9"})
    void anUnknownNameThatLooksLikeAPasswordShowsNeitherNameNorValue(String agentArgument) {
        String message = argumentMessage(agentArgument);
        assertShowsNoFragment(message);
        assertTrue(message.startsWith("unknown setting (its name looks like a password's and is not shown) in the "
                + "agent argument; known settings: "), message);
    }

    @Test
    void aMisspeltPasswordPropertyShowsNeitherNameNorValue() {
        String message = message(null, Map.of("gcsflush.redis.pasword:Zq9", "Xy7"), Map.of());
        assertShowsNoFragment(message);
        assertTrue(message.startsWith("unknown setting in system property gcsflush.* (its name looks like a "
                + "password's and is not shown); known settings: "), message);
    }

    @Test
    void aMisspeltPasswordVariableIsIgnoredWithoutShowingNameOrValue() throws ConfigException {
        AgentConfig c = AgentConfig.resolve(null, Map.of(), Map.of("GCSFLUSH_REDIS_PASWORD_Zq9", "Xy7"));
        assertEquals(List.of("environment variable GCSFLUSH_(a name like a password's, not shown) is not a setting of "
                + "the agent; ignored"), c.warnings());
        AgentConfig d = AgentConfig.resolve(null, Map.of(), Map.of("GCSFLUSH_REDIS_PASWORD", "Xy7"));
        assertEquals(List.of("environment variable GCSFLUSH_(a name like a password's, not shown) is not a setting of "
                + "the agent; ignored (did you mean GCSFLUSH_REDIS_PASSWORD?)"), d.warnings());
    }

    /** Passwords accept any text; what refuses one must not quote it, nor the reason quote it. */
    @Test
    void aReasonThatQuotesTheValueIsNotShown() {
        assertEquals("(reason not shown: it quotes the value)",
                ConfigText.reasonWithout("no such key Zq9 in the store", "Zq9"));
        assertEquals("expected true or false", ConfigText.reasonWithout("expected true or false", "Zq9"));
        assertEquals("expected true or false", ConfigText.reasonWithout("expected true or false", ""));
    }

    @Test
    void theUserNeedsAPasswordMessageShowsNoPassword() {
        String message = message("redis.user=app,redis.truststore-password=Zq9", Map.of(), Map.of());
        assertEquals("redis.user=app in the agent argument needs redis.password too", message);
    }

    @Test
    void describeShowsThatAPasswordIsSetButNotWhich() throws ConfigException {
        AgentConfig c = AgentConfig.resolve(null, Map.of("gcsflush.redis.password", "Zq9,Xy7\nWv5"),
                Map.of("GCSFLUSH_REDIS_USER", "app"));
        String text = c.describe();
        assertShowsNoFragment(text);
        assertTrue(text.contains("redis.password=(set) (system property gcsflush.redis.password)"), text);
        assertEquals("Zq9,Xy7\nWv5", c.redisPassword());
    }

    @Test
    void aPasswordWithACommaIsAcceptedWholeFromAPropertyOrTheEnvironment() throws ConfigException {
        assertEquals("Zq9,Xy7=Wv5", AgentConfig.resolve(null, Map.of("gcsflush.redis.password", "Zq9,Xy7=Wv5"),
                Map.of()).redisPassword());
        assertEquals("Zq9,Xy7", AgentConfig.resolve(null, Map.of(), Map.of("GCSFLUSH_REDIS_KEYSTORE_PASSWORD",
                "Zq9,Xy7")).keystorePassword());
    }
}
