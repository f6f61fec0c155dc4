package io.gcsflush.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {
    private static final long K = 1L << 10;
    private static final long M = 1L << 20;
    private static final long G = 1L << 30;
    private static final long T = 1L << 40;

    @Test
    void twoGigabytesIsTwoToTheThirtyFirst() {
        assertEquals(1L << 31, Sizes.parse("2g"));
        assertEquals(2147483648L, Sizes.parse("2g"));
    }

    @ParameterizedTest(name = "\"{0}\" = {1} bytes")
    @CsvSource(delimiter = '|', value = {
            "0                    | 0",
            "1                    | 1",
            "1048576              | 1048576",
            "9223372036854775807  | 9223372036854775807",
            "100b                 | 100",
            "100B                 | 100",
            "1k                   | 1024",
            "1K                   | 1024",
            "1kb                  | 1024",
            "1KiB                 | 1024",
            "1kib                 | 1024",
            "64m                  | 67108864",
            "64M                  | 67108864",
            "64mb                 | 67108864",
            "64MB                 | 67108864",
            "64MiB                | 67108864",
            "64mIb                | 67108864",
            "512m                 | 536870912",
            "2g                   | 2147483648",
            "2G                   | 2147483648",
            "2GiB                 | 2147483648",
            "1t                   | 1099511627776",
            "1TB                  | 1099511627776",
            "1.5g                 | 1610612736",
            "1.5G                 | 1610612736",
            "0.5k                 | 512",
            ".5k                  | 512",
            "1.25m                | 1310720",
            "2.0                  | 2",
            "8388607t             | 9223370937343148032",
    })
    void parsesValidSizes(String text, long expected) {
        assertEquals(expected, Sizes.parse(text));
    }

    @Test
    void unitsAreBinary() {
        assertEquals(K, Sizes.parse("1k"));
        assertEquals(M, Sizes.parse("1m"));
        assertEquals(G, Sizes.parse("1g"));
        assertEquals(T, Sizes.parse("1t"));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(2 * G, Sizes.parse("  2g  "));
        assertEquals(2 * G, Sizes.parse("\t2g\n"));
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {
            "", " ", "-1", "-1k", "abc", "2x", "10ib", "10iB", "2gg", "g", "k", "b", "2 g b", "1.5.5g",
            "1e3", "0x10", "1,5g", "2p", "2e", "1.g", "+1", "2 gigabytes", "1kbb", "1ki",
    })
    void rejectsMalformedSizes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
        assertEquals("expected a size such as 2g, 512m, 64mb or 1048576", e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\" overflows")
    @ValueSource(strings = {"9223372036854775808", "8388608t", "9999999999999g",
            "99999999999999999999999", "8589934592g", "9007199254740992m"})
    void rejectsOverflow(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
        assertEquals("size is too large", e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\" is not whole bytes")
    @ValueSource(strings = {"1.5", "0.5", "1.5b", "0.0001k", "1.0001k", "0.1m", ".3g"})
    void rejectsFractionsThatDoNotComeToWholeBytes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
        assertEquals("size must come to a whole number of bytes", e.getMessage());
    }

    @ParameterizedTest(name = "{0} bytes -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "0                    | 0 B",
            "17                   | 17 B",
            "1023                 | 1023 B",
            "1024                 | 1.0 KiB",
            "1536                 | 1.5 KiB",
            "319488               | 312 KiB",
            "1048576              | 1.0 MiB",
            "67108864             | 64.0 MiB",
            "536870912            | 512 MiB",
            "1610612736           | 1.5 GiB",
            "2147483648           | 2.0 GiB",
            "107374182400         | 100 GiB",
            "1099511627776        | 1.0 TiB",
            "1125899906842624     | 1.0 PiB",
            "1152921504606846976  | 1.0 EiB",
            "9223372036854775807  | 8.0 EiB",
            "-17                  | -17 B",
            "-2048                | -2.0 KiB",
    })
    void formatsForPeople(long bytes, String expected) {
        assertEquals(expected, Sizes.format(bytes));
    }

    @Test
    void formatThenParseRoundTripsForWholeUnits() {
        // "2.0 GiB" is not meant as input, but its compact form must parse back to the same number.
        for (long bytes : new long[] {K, 3 * M, 2 * G, 5 * T}) {
            String formatted = Sizes.format(bytes).replace(" ", "");
            assertEquals(bytes, Sizes.parse(formatted), formatted);
        }
    }

    @Test
    void formatUsesADotWhateverTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("1.5 GiB", Sizes.format(1610612736L));
            assertEquals(1610612736L, Sizes.parse("1.5g"));
        } finally {
            Locale.setDefault(saved);
        }
    }
}
