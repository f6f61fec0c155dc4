package io.gcsflush.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DemoOptionsTest {

    @Test
    void defaults() throws Exception {
        DemoOptions o = DemoOptions.parse();
        assertNull(o.redis, "embedded Redis by default");
        assertNull(o.duration, "until Ctrl-C by default");
        assertEquals(4, o.threads);
        assertEquals(0, o.rate);
        assertEquals(0, o.valueSize);
        assertEquals(1L << 30, o.stopAt);
        assertEquals(0, o.mark);
        assertEquals(Path.of("gcs-flush-demo.svg"), o.chart);
        assertEquals(Path.of("gcs-flush-demo.csv"), o.csv());
        assertFalse(o.help);
    }

    @Test
    void everyOptionInBothSpellings() throws Exception {
        DemoOptions o = DemoOptions.parse("--redis", "redis://example.org:6380/3", "--duration=2m", "--threads", "6",
                "--rate=5000", "--value-size", "1k", "--stop-at=512m", "--mark", "64m", "--chart=/tmp/out/run.svg");
        assertEquals("example.org", o.redis.host);
        assertEquals(6380, o.redis.port);
        assertEquals(3, o.redis.database);
        assertEquals(Duration.ofMinutes(2), o.duration);
        assertEquals(6, o.threads);
        assertEquals(5000, o.rate);
        assertEquals(1024, o.valueSize);
        assertEquals(512L << 20, o.stopAt);
        assertEquals(64L << 20, o.mark);
        assertEquals(Path.of("/tmp/out/run.svg"), o.chart);
        assertEquals(Path.of("/tmp/out/run.csv"), o.csv());
    }

    @Test
    void help() throws Exception {
        assertTrue(DemoOptions.parse("--help").help);
        assertTrue(DemoOptions.parse("-h").help);
    }

    @ParameterizedTest
    @CsvSource({
        "512m, 536870912", "1g, 1073741824", "64mb, 67108864", "64MiB, 67108864", "1048576, 1048576",
        "2k, 2048", "1.5g, 1610612736", "10b, 10", "1t, 1099511627776"
    })
    void sizes(String text, long bytes) {
        assertEquals(bytes, Sizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "-1m", "1x", "1.5", "1 gigabyte", "99999999999t"})
    void badSizes(String text) {
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"90s, 90000", "2m, 120000", "1h, 3600000", "500ms, 500", "15, 15000", "1.5m, 90000"})
    void durations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "-5s", "5x", "0s", "0.0001s", "ten seconds"})
    void badDurations(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    }

    @Test
    void formats() {
        assertEquals("17 B", Sizes.format(17));
        assertEquals("64.0 MiB", Sizes.format(64L << 20));
        assertEquals("1.0 GiB", Sizes.format(1L << 30));
        assertEquals("312 KiB", Sizes.format(312L << 10));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
    }

    @Test
    void redisUris() throws Exception {
        RedisTarget plain = DemoOptions.parse("--redis", "redis://localhost").redis;
        assertEquals("localhost", plain.host);
        assertEquals(6379, plain.port);
        assertEquals(0, plain.database);
        assertNull(plain.password);
        assertEquals("redis://localhost:6379/0", plain.toString());

        RedisTarget auth = DemoOptions.parse("--redis", "rediss://app:s3cret@10.0.0.5:7000/2").redis;
        assertEquals("app", auth.user);
        assertEquals("s3cret", auth.password);
        assertTrue(auth.ssl);
        assertEquals("rediss://10.0.0.5:7000/2", auth.toString(), "credentials are never printed");

        RedisTarget passwordOnly = DemoOptions.parse("--redis", "redis://:pw@h:1/").redis;
        assertNull(passwordOnly.user);
        assertEquals("pw", passwordOnly.password);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--duration|9x|bad --duration '9x': expected a duration",
        "--threads|0|bad --threads '0': expected 1 to 256",
        "--threads|four|bad --threads 'four': expected a whole number",
        "--rate|-3|bad --rate '-3': expected 1 to",
        "--stop-at|lots|bad --stop-at 'lots': expected a size",
        "--mark|0|bad --mark '0': must be at least 1 byte",
        "--value-size|1g|bad --value-size '1g': must be at most 64.0 MiB",
        "--redis|http://localhost|bad --redis 'http://localhost': expected a URI",
        "--redis|redis://localhost/x|bad --redis 'redis://localhost/x': the path must be a database number",
        "--chart|''|bad --chart '': expected a file name"
    })
    void badValuesNameTheOptionAndTheValue(String option, String value, String messageStart) {
        BadArgumentException e = assertThrows(BadArgumentException.class, () -> DemoOptions.parse(option, value));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
        BadArgumentException inline =
                assertThrows(BadArgumentException.class, () -> DemoOptions.parse(option + "=" + value));
        assertEquals(e.getMessage(), inline.getMessage());
    }

    @Test
    void unknownMissingAndStrayArguments() {
        assertEquals("unknown option --verbose",
                assertThrows(BadArgumentException.class, () -> DemoOptions.parse("--verbose")).getMessage());
        assertEquals("unknown option --colour",
                assertThrows(BadArgumentException.class, () -> DemoOptions.parse("--colour=red")).getMessage());
        assertEquals("--duration needs a value",
                assertThrows(BadArgumentException.class, () -> DemoOptions.parse("--duration")).getMessage());
        assertEquals("unexpected argument '15s'",
                assertThrows(BadArgumentException.class, () -> DemoOptions.parse("15s")).getMessage());
    }

    @Test
    void csvSitsNextToTheChart() throws Exception {
        assertEquals(Path.of("out/x.csv"), DemoOptions.parse("--chart", "out/x.SVG").csv());
        assertEquals(Path.of("chart.csv"), DemoOptions.parse("--chart", "chart").csv());
    }
}
