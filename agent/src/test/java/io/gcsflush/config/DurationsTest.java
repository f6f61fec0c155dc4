package io.gcsflush.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    private static final String EXPECTED = "expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5";

    @Test
    void tenSecondsDefault() {
        assertEquals(TimeUnit.SECONDS.toNanos(10), Durations.parseNanos("10s"));
    }

    @ParameterizedTest(name = "\"{0}\" = {1} ns")
    @CsvSource(delimiter = '|', value = {
            "1ms        | 1000000",
            "250ms      | 250000000",
            "500MS      | 500000000",
            "500Ms      | 500000000",
            "1s         | 1000000000",
            "10s        | 10000000000",
            "10S        | 10000000000",
            "1m         | 60000000000",
            "2M         | 120000000000",
            "1h         | 3600000000000",
            "2H         | 7200000000000",
            "10         | 10000000000",
            "1          | 1000000000",
            "0.5        | 500000000",
            ".5         | 500000000",
            "0.001      | 1000000",
            "0.5s       | 500000000",
            "1.5s       | 1500000000",
            "1.5m       | 90000000000",
            "0.5h       | 1800000000000",
            "1.5ms      | 1500000",
            "0.001s     | 1000000",
            "10 s       | 10000000000",
            "2562047h   | 9223369200000000000",
    })
    void parsesValidDurations(String text, long expectedNanos) {
        assertEquals(expectedNanos, Durations.parseNanos(text));
    }

    @Test
    void aBareNumberIsSeconds() {
        assertEquals(Durations.parseNanos("30s"), Durations.parseNanos("30"));
        assertEquals(Durations.parseNanos("500ms"), Durations.parseNanos("0.5"));
        assertEquals(Durations.parseNanos("90s"), Durations.parseNanos("1.5m"));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(10_000_000_000L, Durations.parseNanos("  10s \t"));
    }

    @ParameterizedTest(name = "\"{0}\" is rejected as garbage")
    @ValueSource(strings = {
            "", " ", "-1", "-1s", "-0.5", "abc", "s", "ms", "10x", "10d", "10us", "10ns", "10sec", "10min",
            "10hr", "10secs", "1e3", "1.5.5s", "1,5s", "+1s", "1.s", "10s10", "PT10S", "10ss",
    })
    void rejectsGarbageNegativesAndUnknownUnits(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text));
        assertEquals(EXPECTED, e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\" is below 1ms")
    @ValueSource(strings = {"0", "0s", "0ms", "0m", "0h", "0.0", "0.5ms", "0.999ms", "0.0009", "0.0009s", "0.00000001h"})
    void rejectsZeroAndBelowOneMillisecond(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text));
        assertEquals("duration must be at least 1ms", e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\" is too long")
    @ValueSource(strings = {"2562048h", "9223372037s", "99999999999999999999", "153722868m"})
    void rejectsOverflow(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text));
        assertEquals("duration is too long", e.getMessage());
    }

    @ParameterizedTest(name = "{0} ns -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "1000000        | 1ms",
            "250000000      | 250ms",
            "500000000      | 500ms",
            "999000000      | 999ms",
            "1500000        | 1.5ms",
            "1000000000     | 1s",
            "10000000000    | 10s",
            "90000000000    | 90s",
            "3600000000000  | 3600s",
            "1500000000     | 1.5s",
            "1250000000     | 1.25s",
            "12345000000    | 12.345s",
            "1230500000000  | 1230.5s",
    })
    void formatsForPeople(long nanos, String expected) {
        assertEquals(expected, Durations.format(nanos));
    }

    @ParameterizedTest(name = "\"{0}\" round-trips")
    @ValueSource(strings = {"10s", "1ms", "250ms", "1.5ms", "1.5s", "12.345s", "1230.5s", "90s"})
    void formatParsesBackToTheSameDuration(String text) {
        long nanos = Durations.parseNanos(text);
        assertEquals(text, Durations.format(nanos));
        assertEquals(nanos, Durations.parseNanos(Durations.format(nanos)));
    }

    @Test
    void formatDoesNotUseTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("1.5s", Durations.format(1_500_000_000L));
            assertEquals(1_500_000_000L, Durations.parseNanos("1.5s"));
        } finally {
            Locale.setDefault(saved);
        }
    }
}
