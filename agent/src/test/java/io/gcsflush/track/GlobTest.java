package io.gcsflush.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redis's glob rules, as {@code KEYS} applies them (the cases of Redis's own keyspace tests, and the edges). */
class GlobTest {
    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "task:*|task:1|true", "task:*|task:|true", "task:*|tas|false", "task:*|object:1|false",
        "*|''|true", "*|anything|true", "h?llo|hello|true", "h?llo|hllo|false",
        "h*llo|hllo|true", "h*llo|heeeello|true", "h[ae]llo|hallo|true", "h[ae]llo|hillo|false",
        "h[^e]llo|hallo|true", "h[^e]llo|hello|false", "h[a-b]llo|hbllo|true", "h[a-b]llo|hcllo|false",
        "h[b-a]llo|hallo|true", "a\\*b|a*b|true", "a\\*b|axb|false", "*:1|task:1|true", "*:1|task:10|false",
        "a*b*c|aXbYc|true", "a*b*c|aXbY|false", "exact|exact|true", "exact|exactly|false", "\\@x|@x|true",
        "h[a|hall|false", "h[a|ha|true", "**x|x|true",
    })
    void matchesAsRedisDoes(String pattern, String key, boolean expected) {
        String k = key.equals("''") ? "" : key;
        assertEquals(expected, new Glob(bytes(pattern)).matches(bytes(k)));
    }

    @Test
    void binaryKeys() {
        assertTrue(new Glob(bytes("k?")).matches(new byte[] {'k', (byte) 0xFF}));
        assertTrue(new Glob(new byte[] {'[', (byte) 0x80, '-', (byte) 0xFF, ']'}).matches(new byte[] {(byte) 0x90}));
    }

    @Test
    void filterIncludesExcludesAndDatabases() {
        KeyFilter f = KeyFilter.of(List.of("task:*", "@2:object:*"), List.of("task:keep:*"));
        assertTrue(f.accepts(0, bytes("task:1")));
        assertFalse(f.accepts(0, bytes("task:keep:1")));
        assertFalse(f.accepts(0, bytes("object:1")));
        assertTrue(f.accepts(2, bytes("object:1")));
        assertFalse(f.accepts(0, bytes("other")));
        assertTrue(KeyFilter.ALL.accepts(5, bytes("anything")));
        assertEquals("keys matching task:*, @2:object:* except task:keep:*", f.toString());
        KeyFilter onlyExclude = KeyFilter.of(List.of(), List.of("config:*"));
        assertTrue(onlyExclude.accepts(0, bytes("task:1")));
        assertFalse(onlyExclude.accepts(0, bytes("config:x")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
