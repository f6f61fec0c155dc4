package io.gcsflush.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the agent says about its settings is one line, whatever the input: characters that would end the line (or
 * forge another, or reorder what follows) are escaped, and each value or name it echoes is cut to a length a person
 * reads, with a marker.
 */
class ConfigMessagesTest {
    private static final String LONG = "9".repeat(120_000);

    private static String message(String agentArgument, Map<String, String> sys, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.resolve(agentArgument, sys, env));
        return e.getMessage();
    }

    private static void assertOneLine(String text) {
        for (char c : text.toCharArray()) {
            assertFalse(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u202e',
                    () -> "character U+" + Integer.toHexString(c) + " in: " + text);
        }
    }

    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.of("2g", "2g"),
                Arguments.of("a\nb", "a\\nb"),
                Arguments.of("a\r\nb", "a\\r\\nb"),
                Arguments.of("a\tb", "a\\tb"),
                Arguments.of("\u001b[31mred", "\\u001b[31mred"),
                Arguments.of("a\u0085b", "a\\u0085b"),
                Arguments.of("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
                Arguments.of("a\u202eb", "a\\u202eb"),
                Arguments.of("a\u061cb", "a\\u061cb"),
                Arguments.of("\u00e9t\u00e9 \u221e", "\u00e9t\u00e9 \u221e"));
    }

    @ParameterizedTest(name = "[{index}] shown as \"{1}\"")
    @MethodSource("escapes")
    void controlAndLineBreakingCharactersAreEscaped(String text, String shown) {
        assertEquals(shown, ConfigText.shown(text));
    }

    @Test
    void aLongValueIsCutWithAMarkerGivingItsLength() {
        String shown = ConfigText.shown(LONG);
        assertEquals("9".repeat(ConfigText.MAX_SHOWN) + "...(cut: 120000 characters)", shown);
        assertEquals("9".repeat(ConfigText.MAX_SHOWN), ConfigText.shown("9".repeat(ConfigText.MAX_SHOWN)));
    }

    @Test
    void aNewlineInAValueDoesNotSplitTheMessage() {
        String message = message("threshold=1,period=200ms\nbatch=5", Map.of(), Map.of());
        assertEquals("invalid period=200ms\\nbatch=5 in the agent argument: "
                + "expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5", message);
    }

    @Test
    void aNewlineInAPartWithoutEqualsDoesNotSplitTheMessage() {
        String message = message("threshold=1,oops\u2028[gcs-flush] INFO forged", Map.of(), Map.of());
        assertOneLine(message);
        assertTrue(message.startsWith("invalid agent argument 'oops\\u2028[gcs-flush] INFO forged': "), message);
    }

    @Test
    void aHugeValueIsNotEchoedWhole() {
        String message = message("threshold=" + LONG + "x", Map.of(), Map.of());
        assertEquals("invalid threshold=" + "9".repeat(ConfigText.MAX_SHOWN) + "...(cut: 120001 characters) in the "
                + "agent argument: expected a size such as 2g, 512m, 64mb or 1048576", message);
    }

    @Test
    void aHugeUnknownNameAndValueAreCut() {
        String message = message(null, Map.of("gcsflush.x" + LONG, LONG + "\n"), Map.of());
        assertOneLine(message);
        assertTrue(message.length() < 700, () -> message.length() + " characters: " + message);
        assertTrue(message.startsWith("unknown setting 'x999"), message);
        assertTrue(message.contains("...(cut: 120001 characters)' (=9999"), message);
        assertTrue(message.contains("...(cut: 120000 characters)) in system property gcsflush.x999"), message);
    }

    @Test
    void everyRefusalOfOddInputIsOneLine() {
        List<String> arguments = List.of("\n", "threshold=\n", "\r=1", "threshold=1,\t", "batch=\u0000",
                "redis.user=a\nb", "log=\u001b[2J", "a=b\u2029c", "redis.truststore=/no\nfile");
        for (String argument : arguments) {
            ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.resolve(argument + ",x",
                    Map.of(), Map.of()), () -> "accepted: " + argument);
            assertOneLine(e.getMessage());
        }
    }

    /** The start-up line quotes where each value came from: a name with a line break there is escaped too. */
    @Test
    void describeIsOneLineWhateverTheNamesAndValues() throws ConfigException {
        AgentConfig c = AgentConfig.resolve(null, Map.of(), Map.of("GCSFLUSH_THRESHOLD\n", "1g",
                "GCSFLUSH_REDIS_USER", "app\nuser", "GCSFLUSH_REDIS_PASSWORD", "p"));
        String text = c.describe();
        assertOneLine(text);
        assertTrue(text.contains("threshold=1.0 GiB (environment variable GCSFLUSH_THRESHOLD\\n)"), text);
        assertTrue(text.contains("redis.user=app\\nuser"), text);
    }

    @Test
    void anEnvironmentWarningIsOneLineAndShort() throws ConfigException {
        AgentConfig c = AgentConfig.resolve(null, Map.of(), Map.of("GCSFLUSH_X\n" + LONG, "v"));
        assertEquals(1, c.warnings().size());
        String warning = c.warnings().get(0);
        assertOneLine(warning);
        assertEquals("environment variable GCSFLUSH_X\\n" + "9".repeat(ConfigText.MAX_SHOWN - 2)
                + "...(cut: 120002 characters) is not a setting of the agent; ignored", warning);
    }

    @Test
    void theExceptionItselfKeepsItsMessageOnOneLine() {
        assertEquals("a\\nb", new ConfigException("a\nb").getMessage());
    }
}
