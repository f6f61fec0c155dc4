package io.gcsflush.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentConfigTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long SECOND = 1_000_000_000L;
    private static final String ARG = "the agent argument";
    private static final String KNOWN = "known settings: threshold, period, batch, policy, low-water, max-batch, order, "
            + "journal.key, include, exclude, adopt, uncovered, max-keys, buffer, dry-run, log, log.sink, enabled, "
            + "redis.user, redis.password, redis.tls, redis.truststore, redis.truststore-password, redis.keystore, "
            + "redis.keystore-password, redis.verify-hostname";

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static AgentConfig arg(String agentArgument) throws ConfigException {
        return AgentConfig.resolve(agentArgument, Map.of(), Map.of());
    }

    private static AgentConfig sys(String name, String value) throws ConfigException {
        return AgentConfig.resolve(null, Map.of(name, value), Map.of());
    }

    private static AgentConfig env(String name, String value) throws ConfigException {
        return AgentConfig.resolve(null, Map.of(), Map.of(name, value));
    }

    private static ConfigException argFails(String agentArgument) {
        return fails(agentArgument, Map.of(), Map.of());
    }

    private static ConfigException fails(String agentArgument, Map<String, String> sys, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.resolve(agentArgument, sys, env));
        assertOneLine(e);
        return e;
    }

    private static void assertOneLine(ConfigException e) {
        String message = e.getMessage();
        assertNotNull(message);
        assertFalse(message.isBlank(), "empty message");
        assertFalse(message.contains("\n") || message.contains("\r"), () -> "message is not one line: " + message);
    }

    /** Asserts the message names each of the given fragments (the key as written, the value, the source...). */
    private static void assertMentions(ConfigException e, String... fragments) {
        String message = e.getMessage();
        List<Runnable> checks = new ArrayList<>();
        for (String f : fragments) {
            checks.add(() -> assertTrue(message.contains(f), () -> "'" + message + "' does not mention '" + f + "'"));
        }
        assertAll(checks.stream().map(r -> r::run));
    }

    private static void assertDefaults(AgentConfig c) {
        assertAll(
                () -> assertEquals(1L << 31, c.thresholdBytes()),
                () -> assertEquals(10 * SECOND, c.periodNanos()),
                () -> assertEquals(10_000, c.batch()),
                () -> assertEquals("ray", c.policy()),
                () -> assertEquals(0.95, c.lowWater()),
                () -> assertEquals(20_000, c.maxBatch()),
                () -> assertEquals(AgentConfig.autoMaxKeys(), c.maxKeys()),
                () -> assertEquals(262_144, c.bufferCapacity()),
                () -> assertFalse(c.dryRun()),
                () -> assertSame(LogLevel.INFO, c.log()),
                () -> assertSame(LogSink.AUTO, c.logSink()),
                () -> assertTrue(c.enabled()));
    }

    // ---- defaults --------------------------------------------------------------------------------------------

    @Nested
    class Defaults {
        @Test
        void defaultsMatchTheDocumentedValues() {
            assertDefaults(AgentConfig.defaults());
        }

        @ParameterizedTest(name = "agent argument \"{0}\" gives the defaults")
        @ValueSource(strings = {"", " ", "\t", ",", " , ,, "})
        void emptyAgentArgumentGivesTheDefaults(String agentArgument) throws ConfigException {
            assertDefaults(arg(agentArgument));
        }

        @Test
        void nullAgentArgumentGivesTheDefaults() throws ConfigException {
            assertDefaults(arg(null));
        }

        @Test
        void defaultThresholdIsTwoToTheThirtyFirstBytes() {
            assertEquals(2_147_483_648L, AgentConfig.defaults().thresholdBytes());
        }

        @Test
        void autoMaxKeysIsAboutFivePercentOfTheHeapAtSixtyFourBytesAKey() {
            long expected = Math.max(100_000L, Runtime.getRuntime().maxMemory() / 20 / 64);
            assertEquals(expected, AgentConfig.autoMaxKeys());
            assertTrue(AgentConfig.autoMaxKeys() >= 100_000L);
        }

        @Test
        void settingsTableListsEveryKeyAliasAndDefault() {
            List<String> keys = new ArrayList<>();
            Map<String, String> aliases = new LinkedHashMap<>();
            Map<String, String> defaults = new LinkedHashMap<>();
            for (AgentConfig.Setting s : AgentConfig.SETTINGS) {
                keys.add(s.key);
                aliases.put(s.key, s.alias);
                defaults.put(s.key, s.defaultValue);
                assertFalse(s.description.isBlank(), s.key);
            }
            assertEquals(List.of("threshold", "period", "batch", "policy", "low-water", "max-batch", "order",
                    "journal.key", "include", "exclude", "adopt", "uncovered", "max-keys", "buffer", "dry-run", "log",
                    "log.sink", "enabled", "redis.user", "redis.password", "redis.tls", "redis.truststore",
                    "redis.truststore-password",
                    "redis.keystore", "redis.keystore-password", "redis.verify-hostname"), keys);
            assertEquals("flush_when_at_least_bytes", aliases.get("threshold"));
            assertEquals("flush_period_secs", aliases.get("period"));
            assertEquals("flush_num_entries_each_time", aliases.get("batch"));
            assertNull(aliases.get("max-keys"));
            assertEquals("2g", defaults.get("threshold"));
            assertEquals("10s", defaults.get("period"));
            assertEquals("10000", defaults.get("batch"));
            assertEquals("ray", defaults.get("policy"));
            assertEquals("95%", defaults.get("low-water"));
            assertEquals("20000", defaults.get("max-batch"));
            assertEquals("auto", defaults.get("max-keys"));
            assertEquals("info", defaults.get("log"));
            assertEquals("auto", defaults.get("log.sink"));
            assertEquals("false", defaults.get("dry-run"));
            assertEquals("true", defaults.get("enabled"));
        }

        @Test
        void givingTheDefaultsExplicitlyChangesNothing() throws ConfigException {
            StringBuilder sb = new StringBuilder();
            for (AgentConfig.Setting s : AgentConfig.SETTINGS) {
                if (sb.length() > 0) sb.append(',');
                sb.append(s.key).append('=').append(s.defaultValue);
            }
            assertDefaults(arg(sb.toString()));
        }
    }

    // ---- the agent argument ----------------------------------------------------------------------------------

    @Nested
    class AgentArgument {
        @Test
        void readmeExample() throws ConfigException {
            AgentConfig c = arg("threshold=2g,period=10s,batch=10000");
            assertEquals(1L << 31, c.thresholdBytes());
            assertEquals(10 * SECOND, c.periodNanos());
            assertEquals(10_000, c.batch());
        }

        @Test
        void everySettingAtOnce() throws ConfigException {
            AgentConfig c = arg("threshold=512m,period=250ms,batch=500,max-keys=1000,buffer=2048,dry-run=true,"
                    + "log=debug,enabled=false");
            assertAll(
                    () -> assertEquals(512 * MIB, c.thresholdBytes()),
                    () -> assertEquals(250_000_000L, c.periodNanos()),
                    () -> assertEquals(500, c.batch()),
                    () -> assertEquals(1000L, c.maxKeys()),
                    () -> assertEquals(2048, c.bufferCapacity()),
                    () -> assertTrue(c.dryRun()),
                    () -> assertSame(LogLevel.DEBUG, c.log()),
                    () -> assertFalse(c.enabled()));
        }

        @Test
        void whitespaceAroundKeysAndValuesIsIgnored() throws ConfigException {
            AgentConfig c = arg(" threshold = 1g ,\tperiod= 5s , batch =7 ");
            assertEquals(GIB, c.thresholdBytes());
            assertEquals(5 * SECOND, c.periodNanos());
            assertEquals(7, c.batch());
        }

        @Test
        void emptyPartsAreSkipped() throws ConfigException {
            AgentConfig c = arg(",threshold=1g,,period=5s,");
            assertEquals(GIB, c.thresholdBytes());
            assertEquals(5 * SECOND, c.periodNanos());
        }

        @Test
        void unsetSettingsKeepTheirDefaults() throws ConfigException {
            AgentConfig c = arg("batch=3");
            assertEquals(3, c.batch());
            assertEquals(1L << 31, c.thresholdBytes());
            assertEquals(10 * SECOND, c.periodNanos());
            assertSame(LogLevel.INFO, c.log());
        }

        @ParameterizedTest(name = "part \"{1}\" of \"{0}\" has no '='")
        @CsvSource(delimiter = '|', value = {
                "threshold                  | threshold",
                "2g                         | 2g",
                "threshold=2g,period        | period",
                "threshold=2g, dry-run ,log=info | dry-run",
                "threshold:2g               | threshold:2g",
        })
        void partWithoutEqualsIsRejected(String agentArgument, String part) {
            ConfigException e = argFails(agentArgument);
            assertEquals("invalid agent argument '" + part + "': expected key=value pairs separated by commas, "
                    + "such as threshold=2g,period=10s", e.getMessage());
        }

        @ParameterizedTest(name = "\"{0}\" gives a setting twice")
        @CsvSource(delimiter = '|', value = {
                "threshold=1g,threshold=2g                   | threshold=2g | threshold=1g | threshold",
                "threshold=1g,flush_when_at_least_bytes=2g   | flush_when_at_least_bytes=2g | threshold=1g | threshold",
                "flush_period_secs=5,period=6s               | period=6s | flush_period_secs=5 | period",
                "max-keys=5,MAX_KEYS=6                       | MAX_KEYS=6 | max-keys=5 | max-keys",
                "batch=1,period=2s,Flush.Num.Entries.Each.Time=3 | Flush.Num.Entries.Each.Time=3 | batch=1 | batch",
                "log=info,log=info                           | log=info | log=info | log",
        })
        void settingGivenTwiceIsRejected(String agentArgument, String second, String first, String key) {
            ConfigException e = argFails(agentArgument);
            assertMentions(e, second, first, ARG, key);
            assertEquals("setting " + second + " in the agent argument repeats " + first + " (both set " + key + ")",
                    e.getMessage());
        }

        @Test
        void settingGivenOnceInTheArgumentAndAgainElsewhereIsNotATwice() throws ConfigException {
            AgentConfig c = AgentConfig.resolve("threshold=1g",
                    Map.of("gcsflush.threshold", "2g"), Map.of("GCSFLUSH_THRESHOLD", "3g"));
            assertEquals(GIB, c.thresholdBytes());
        }

        @Test
        void unknownKeyIsRejectedListingTheKnownOnes() {
            ConfigException e = argFails("threshold=2g,thresold=3g");
            assertEquals("unknown setting 'thresold' (=3g) in the agent argument; " + KNOWN, e.getMessage());
        }

        @ParameterizedTest(name = "unknown key \"{0}\"")
        @ValueSource(strings = {"foo", "maxkeys", "dryrun", "flush_when_at_least", "period_secs", "gcsflush.threshold",
                "threshold_bytes", "max keys"})
        void unknownKeysAreRejected(String key) {
            ConfigException e = argFails(key + "=1");
            assertMentions(e, "'" + key + "'", "=1", ARG, KNOWN);
        }

        @Test
        void emptyKeyIsRejected() {
            ConfigException e = argFails("=5");
            assertEquals("unknown setting '' (=5) in the agent argument; " + KNOWN, e.getMessage());
        }

        @Test
        void emptyValueIsRejected() {
            ConfigException e = argFails("threshold=");
            assertEquals("invalid threshold= in the agent argument: expected a size such as 2g, 512m, 64mb or 1048576",
                    e.getMessage());
        }

        @Test
        void valueContainingEqualsIsRejectedWholly() {
            ConfigException e = argFails("threshold=2g=3g");
            assertMentions(e, "threshold", "2g=3g", ARG);
        }
    }

    // ---- names -----------------------------------------------------------------------------------------------

    @Nested
    class Names {
        @ParameterizedTest(name = "\"{0}\" names max-keys")
        @ValueSource(strings = {"max-keys", "max_keys", "MAX-KEYS", "MAX_KEYS", "max.keys", "Max_Keys", "mAx.KeYs"})
        void maxKeysSpellings(String name) throws ConfigException {
            assertEquals(42L, arg(name + "=42").maxKeys());
        }

        @ParameterizedTest(name = "\"{0}\" names threshold")
        @ValueSource(strings = {"threshold", "THRESHOLD", "Threshold", "flush_when_at_least_bytes",
                "FLUSH_WHEN_AT_LEAST_BYTES", "flush-when-at-least-bytes", "flush.when.at.least.bytes",
                "Flush_When-At.Least_Bytes"})
        void thresholdSpellings(String name) throws ConfigException {
            assertEquals(MIB, arg(name + "=1048576").thresholdBytes());
        }

        @ParameterizedTest(name = "\"{0}\" names period")
        @ValueSource(strings = {"period", "PERIOD", "flush_period_secs", "FLUSH_PERIOD_SECS", "flush-period-secs",
                "flush.period.secs"})
        void periodSpellings(String name) throws ConfigException {
            assertEquals(3 * SECOND, arg(name + "=3").periodNanos());
        }

        @ParameterizedTest(name = "\"{0}\" names batch")
        @ValueSource(strings = {"batch", "BATCH", "flush_num_entries_each_time", "FLUSH-NUM-ENTRIES-EACH-TIME",
                "flush.num.entries.each.time"})
        void batchSpellings(String name) throws ConfigException {
            assertEquals(77, arg(name + "=77").batch());
        }

        @ParameterizedTest(name = "\"{0}\" names dry-run")
        @ValueSource(strings = {"dry-run", "dry_run", "DRY_RUN", "dry.run", "Dry-Run"})
        void dryRunSpellings(String name) throws ConfigException {
            assertTrue(arg(name + "=true").dryRun());
        }

        @Test
        void otherKeysIgnoreCase() throws ConfigException {
            AgentConfig c = arg("BUFFER=2048,LOG=warn,ENABLED=false");
            assertEquals(2048, c.bufferCapacity());
            assertSame(LogLevel.WARN, c.log());
            assertFalse(c.enabled());
        }

        @Test
        void errorNamesTheSettingAsTheUserWroteIt() {
            assertEquals("invalid MAX_KEYS=0 in the agent argument: must be greater than zero",
                    argFails("MAX_KEYS=0").getMessage());
            assertEquals("invalid flush_when_at_least_bytes=abc in the agent argument: "
                    + "expected a size such as 2g, 512m, 64mb or 1048576",
                    argFails("flush_when_at_least_bytes=abc").getMessage());
            assertEquals("invalid Flush.Period.Secs=-1 in the agent argument: "
                    + "expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5",
                    argFails("Flush.Period.Secs=-1").getMessage());
        }
    }

    // ---- threshold -------------------------------------------------------------------------------------------

    @Nested
    class Threshold {
        @ParameterizedTest(name = "threshold={0} is {1} bytes")
        @CsvSource(delimiter = '|', value = {
                "1            | 1",
                "1048576      | 1048576",
                "100b         | 100",
                "2g           | 2147483648",
                "2G           | 2147483648",
                "2GiB         | 2147483648",
                "64mb         | 67108864",
                "64MiB        | 67108864",
                "64M          | 67108864",
                "64MB         | 67108864",
                "1.5g         | 1610612736",
                "0.5k         | 512",
                "1t           | 1099511627776",
                "1TiB         | 1099511627776",
                "9223372036854775807 | 9223372036854775807",
        })
        void validThresholds(String value, long bytes) throws ConfigException {
            assertEquals(bytes, arg("threshold=" + value).thresholdBytes());
            assertEquals(bytes, arg("flush_when_at_least_bytes=" + value).thresholdBytes());
            assertEquals(bytes, sys("gcsflush.threshold", value).thresholdBytes());
            assertEquals(bytes, env("GCSFLUSH_THRESHOLD", value).thresholdBytes());
        }

        @ParameterizedTest(name = "threshold={0} is rejected: {1}")
        @CsvSource(delimiter = '|', value = {
                "10ib                  | expected a size such as 2g, 512m, 64mb or 1048576",
                "-1                    | expected a size such as 2g, 512m, 64mb or 1048576",
                "abc                   | expected a size such as 2g, 512m, 64mb or 1048576",
                "2x                    | expected a size such as 2g, 512m, 64mb or 1048576",
                "2 gigs                | expected a size such as 2g, 512m, 64mb or 1048576",
                "9223372036854775808   | size is too large",
                "8388608t              | size is too large",
                "99999999999999999999g | size is too large",
                "1.5                   | size must come to a whole number of bytes",
                "0.1m                  | size must come to a whole number of bytes",
                "1.0001k               | size must come to a whole number of bytes",
                "0                     | must be greater than zero",
                "0g                    | must be greater than zero",
                "0.0k                  | must be greater than zero",
        })
        void invalidThresholds(String value, String reason) {
            assertEquals("invalid threshold=" + value + " in the agent argument: " + reason,
                    argFails("threshold=" + value).getMessage());
        }

        @Test
        void emptyThresholdIsRejected() {
            ConfigException e = argFails("threshold=  ");
            assertMentions(e, "threshold=", ARG, "expected a size");
        }
    }

    // ---- period ----------------------------------------------------------------------------------------------

    @Nested
    class Period {
        @ParameterizedTest(name = "period={0} is {1} ns")
        @CsvSource(delimiter = '|', value = {
                "10s     | 10000000000",
                "10      | 10000000000",
                "0.5     | 500000000",
                "1.5m    | 90000000000",
                "250ms   | 250000000",
                "1ms     | 1000000",
                "2h      | 7200000000000",
                "10S     | 10000000000",
                "500MS   | 500000000",
                "0.001   | 1000000",
        })
        void validPeriods(String value, long nanos) throws ConfigException {
            assertEquals(nanos, arg("period=" + value).periodNanos());
            assertEquals(nanos, arg("flush_period_secs=" + value).periodNanos());
            assertEquals(nanos, sys("gcsflush.flush_period_secs", value).periodNanos());
            assertEquals(nanos, env("GCSFLUSH_FLUSH_PERIOD_SECS", value).periodNanos());
        }

        @Test
        void raysSecondsAliasTakesABareNumberAsSeconds() throws ConfigException {
            assertEquals(5 * SECOND, arg("flush_period_secs=5").periodNanos());
        }

        @ParameterizedTest(name = "period={0} is rejected: {1}")
        @CsvSource(delimiter = '|', value = {
                "-1      | expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5",
                "-5s     | expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5",
                "abc     | expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5",
                "10d     | expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5",
                "10us    | expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5",
                "10sec   | expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5",
                "1e3     | expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5",
                "0       | duration must be at least 1ms",
                "0s      | duration must be at least 1ms",
                "0.5ms   | duration must be at least 1ms",
                "0.0001  | duration must be at least 1ms",
                "2562048h | duration is too long",
        })
        void invalidPeriods(String value, String reason) {
            assertEquals("invalid period=" + value + " in the agent argument: " + reason,
                    argFails("period=" + value).getMessage());
        }

        @Test
        void emptyPeriodIsRejected() {
            assertMentions(argFails("period="), "period=", ARG, "expected a duration");
        }
    }

    // ---- batch -----------------------------------------------------------------------------------------------

    @Nested
    class Batch {
        @ParameterizedTest(name = "batch={0}")
        @CsvSource(delimiter = '|', value = {
                "1           | 1",
                "10000       | 10000",
                " 42         | 42",
                "2147483647  | 2147483647",
        })
        void validBatches(String value, int expected) throws ConfigException {
            assertEquals(expected, arg("batch=" + value).batch());
            assertEquals(expected, arg("flush_num_entries_each_time=" + value).batch());
            assertEquals(expected, sys("gcsflush.batch", value).batch());
            assertEquals(expected, env("GCSFLUSH_FLUSH_NUM_ENTRIES_EACH_TIME", value).batch());
        }

        @Test
        void batchAboveIntRangeIsCappedAtIntMax() throws ConfigException {
            assertEquals(Integer.MAX_VALUE, arg("batch=99999999999").batch());
        }

        @ParameterizedTest(name = "batch={0} is rejected: {1}")
        @CsvSource(delimiter = '|', value = {
                "0                       | must be greater than zero",
                "-5                      | must be greater than zero",
                "1.5                     | expected a whole number",
                "10.0                    | expected a whole number",
                "abc                     | expected a whole number",
                "10k                     | expected a whole number",
                "1e3                     | expected a whole number",
                "99999999999999999999    | expected a whole number",
        })
        void invalidBatches(String value, String reason) {
            assertEquals("invalid batch=" + value + " in the agent argument: " + reason,
                    argFails("batch=" + value).getMessage());
            assertEquals("invalid flush_num_entries_each_time=" + value + " in the agent argument: " + reason,
                    argFails("flush_num_entries_each_time=" + value).getMessage());
        }

        @Test
        void emptyBatchIsRejected() {
            assertEquals("invalid batch= in the agent argument: expected a whole number",
                    argFails("batch=").getMessage());
        }
    }

    // ---- policy, low-water, max-batch -------------------------------------------------------------------------

    @Nested
    class Policy {
        @ParameterizedTest(name = "policy={0}")
        @CsvSource(delimiter = '|', value = {"ray | ray", "adaptive | adaptive", "ADAPTIVE | adaptive", " Ray | ray"})
        void validPolicies(String value, String expected) throws ConfigException {
            assertEquals(expected, arg("policy=" + value).policy());
            assertEquals(expected, sys("gcsflush.policy", value).policy());
            assertEquals(expected, env("GCSFLUSH_POLICY", value).policy());
        }

        @ParameterizedTest(name = "policy={0} is rejected")
        @ValueSource(strings = {"", "simple", "lru", "adaptive2"})
        void invalidPolicies(String value) {
            assertEquals("invalid policy=" + value + " in the agent argument: expected ray or adaptive",
                    argFails("policy=" + value).getMessage());
        }

        @ParameterizedTest(name = "low-water={0}")
        @CsvSource(delimiter = '|', value = {
                "95%     | 0.95",
                "100%    | 1.0",
                "50 %    | 0.5",
                "12.5%   | 0.125",
                "0.1%    | 0.001",
        })
        void validLowWaterMarks(String value, double expected) throws ConfigException {
            assertEquals(expected, arg("low-water=" + value).lowWater(), 1e-12);
            assertEquals(expected, sys("gcsflush.low_water", value).lowWater(), 1e-12);
            assertEquals(expected, env("GCSFLUSH_LOW_WATER", value).lowWater(), 1e-12);
        }

        @ParameterizedTest(name = "low-water={0} is rejected: {1}")
        @CsvSource(delimiter = '|', value = {
                "0%      | must be more than 0% and at most 100%",
                "-5%     | must be more than 0% and at most 100%",
                "100.1%  | must be more than 0% and at most 100%",
                "0.95    | expected a percentage of the threshold such as 95%",
                "95      | expected a percentage of the threshold such as 95%",
                "60m     | expected a percentage of the threshold such as 95%",
                "%       | expected a percentage of the threshold such as 95%",
                "NaN%    | must be more than 0% and at most 100%",
        })
        void invalidLowWaterMarks(String value, String reason) {
            assertEquals("invalid low-water=" + value + " in the agent argument: " + reason,
                    argFails("low-water=" + value).getMessage());
        }

        @ParameterizedTest(name = "max-batch={0}")
        @CsvSource(delimiter = '|', value = {"1 | 1", "10000 | 10000", "99999999999 | 2147483647"})
        void validMaxBatches(String value, int expected) throws ConfigException {
            assertEquals(expected, arg("max-batch=" + value).maxBatch());
            assertEquals(expected, env("GCSFLUSH_MAX_BATCH", value).maxBatch());
        }

        @ParameterizedTest(name = "max-batch={0} is rejected: {1}")
        @CsvSource(delimiter = '|', value = {"0 | must be greater than zero", "10k | expected a whole number"})
        void invalidMaxBatches(String value, String reason) {
            assertEquals("invalid max-batch=" + value + " in the agent argument: " + reason,
                    argFails("max-batch=" + value).getMessage());
        }

        @Test
        void describedWithTheirSources() throws ConfigException {
            String text = arg("policy=adaptive,low-water=90%,max-batch=5000").describe();
            assertTrue(text.contains("policy=adaptive (the agent argument), low-water=90% (the agent argument), "
                    + "max-batch=5000 (the agent argument)"), text);
            assertTrue(arg("low-water=12.5%").describe().contains("low-water=12.5% (the agent argument)"));
        }
    }

    // ---- log -------------------------------------------------------------------------------------------------

    @Nested
    class Log {
        @ParameterizedTest(name = "log={0}")
        @CsvSource(delimiter = '|', value = {
                "off   | OFF", "OFF   | OFF", "error | ERROR", "Error | ERROR", "warn  | WARN", "WARN  | WARN",
                "info  | INFO", "INFO  | INFO", "debug | DEBUG", "DeBuG | DEBUG",
        })
        void validLevels(String value, LogLevel expected) throws ConfigException {
            assertSame(expected, arg("log=" + value).log());
            assertSame(expected, sys("gcsflush.log", value).log());
            assertSame(expected, env("GCSFLUSH_LOG", value).log());
        }

        @ParameterizedTest(name = "log={0} is rejected")
        @ValueSource(strings = {"verbose", "warning", "trace", "all", "none", "1", "in fo"})
        void invalidLevels(String value) {
            assertEquals("invalid log=" + value + " in the agent argument: expected one of off, error, warn, info, debug",
                    argFails("log=" + value).getMessage());
        }

        @Test
        void emptyLevelIsRejected() {
            assertEquals("invalid log= in the agent argument: expected one of off, error, warn, info, debug",
                    argFails("log=").getMessage());
        }

        @Test
        void lowerName() {
            assertEquals("warn", LogLevel.WARN.lowerName());
            assertEquals("off", LogLevel.OFF.lowerName());
        }
    }

    // ---- log.sink --------------------------------------------------------------------------------------------

    @Nested
    class Sink {
        @ParameterizedTest(name = "log.sink={0}")
        @CsvSource(delimiter = '|', value = {
                "auto | AUTO", "AUTO | AUTO", "stderr | STDERR", "StdErr | STDERR", "slf4j | SLF4J", "SLF4J | SLF4J",
        })
        void validSinks(String value, LogSink expected) throws ConfigException {
            assertSame(expected, arg("log.sink=" + value).logSink());
            assertSame(expected, arg("log_sink=" + value).logSink());
            assertSame(expected, sys("gcsflush.log.sink", value).logSink());
            assertSame(expected, env("GCSFLUSH_LOG_SINK", value).logSink());
        }

        @ParameterizedTest(name = "log.sink={0} is rejected")
        @ValueSource(strings = {"", "console", "logback", "slf4j2", "file"})
        void invalidSinks(String value) {
            assertEquals("invalid log.sink=" + value + " in the agent argument: expected one of auto, stderr, slf4j",
                    argFails("log.sink=" + value).getMessage());
        }
    }

    // ---- max-keys --------------------------------------------------------------------------------------------

    @Nested
    class MaxKeys {
        @ParameterizedTest(name = "max-keys={0} is auto")
        @ValueSource(strings = {"auto", "AUTO", "Auto", " auto "})
        void auto(String value) throws ConfigException {
            assertEquals(AgentConfig.autoMaxKeys(), arg("max-keys=" + value).maxKeys());
        }

        @ParameterizedTest(name = "max-keys={0}")
        @CsvSource(delimiter = '|', value = {"1 | 1", "1000 | 1000", "5000000 | 5000000",
                "9223372036854775807 | 9223372036854775807"})
        void explicit(String value, long expected) throws ConfigException {
            assertEquals(expected, arg("max-keys=" + value).maxKeys());
            assertEquals(expected, sys("gcsflush.max_keys", value).maxKeys());
            assertEquals(expected, env("GCSFLUSH_MAX_KEYS", value).maxKeys());
        }

        @ParameterizedTest(name = "max-keys={0} is rejected: {1}")
        @CsvSource(delimiter = '|', value = {
                "0        | must be greater than zero",
                "-1       | must be greater than zero",
                "abc      | expected a whole number",
                "1.5      | expected a whole number",
                "1m       | expected a whole number",
                "automatic | expected a whole number",
        })
        void invalid(String value, String reason) {
            assertEquals("invalid max-keys=" + value + " in the agent argument: " + reason,
                    argFails("max-keys=" + value).getMessage());
        }
    }

    // ---- buffer ----------------------------------------------------------------------------------------------

    @Nested
    class Buffer {
        @ParameterizedTest(name = "buffer={0} -> {1}")
        @CsvSource(delimiter = '|', value = {
                "1          | 1024",
                "2          | 1024",
                "1000       | 1024",
                "1023       | 1024",
                "1024       | 1024",
                "1025       | 2048",
                "3000       | 4096",
                "65535      | 65536",
                "65536      | 65536",
                "65537      | 131072",
                "33554433   | 67108864",
                "67108863   | 67108864",
                "67108864   | 67108864",
        })
        void roundedUpToAPowerOfTwoAtLeast1024(String value, int expected) throws ConfigException {
            assertEquals(expected, arg("buffer=" + value).bufferCapacity());
            assertEquals(expected, sys("gcsflush.buffer", value).bufferCapacity());
            assertEquals(expected, env("GCSFLUSH_BUFFER", value).bufferCapacity());
            assertEquals(1, Integer.bitCount(expected));
        }

        @ParameterizedTest(name = "buffer={0} is rejected: {1}")
        @CsvSource(delimiter = '|', value = {
                "67108865    | must be at most 67108864",
                "134217728   | must be at most 67108864",
                "9999999999  | must be at most 67108864",
                "0           | must be greater than zero",
                "-1024       | must be greater than zero",
                "abc         | expected a whole number",
                "64k         | expected a whole number",
                "1.5         | expected a whole number",
        })
        void invalid(String value, String reason) {
            assertEquals("invalid buffer=" + value + " in the agent argument: " + reason,
                    argFails("buffer=" + value).getMessage());
        }
    }

    // ---- booleans --------------------------------------------------------------------------------------------

    @Nested
    class Booleans {
        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource(delimiter = '|', value = {
                "true | true", "TRUE | true", "True | true", "yes | true", "YES | true", "on | true", "On | true",
                "1 | true",
                "false | false", "FALSE | false", "no | false", "NO | false", "off | false", "OFF | false",
                "0 | false",
        })
        void dryRunAndEnabled(String value, boolean expected) throws ConfigException {
            assertEquals(expected, arg("dry-run=" + value).dryRun());
            assertEquals(expected, arg("enabled=" + value).enabled());
            assertEquals(expected, sys("gcsflush.dry-run", value).dryRun());
            assertEquals(expected, env("GCSFLUSH_ENABLED", value).enabled());
        }

        @ParameterizedTest(name = "{0} is rejected")
        @ValueSource(strings = {"maybe", "2", "-1", "y", "n", "t", "f", "enabled", "truee", "01"})
        void invalid(String value) {
            assertEquals("invalid dry-run=" + value + " in the agent argument: expected true or false",
                    argFails("dry-run=" + value).getMessage());
            assertEquals("invalid enabled=" + value + " in the agent argument: expected true or false",
                    argFails("enabled=" + value).getMessage());
        }

        @Test
        void emptyIsRejected() {
            assertEquals("invalid enabled= in the agent argument: expected true or false",
                    argFails("enabled=").getMessage());
        }
    }

    // ---- system properties and environment -------------------------------------------------------------------

    @Nested
    class SystemProperties {
        @Test
        void everySettingAsASystemProperty() throws ConfigException {
            Map<String, String> sys = new LinkedHashMap<>();
            sys.put("gcsflush.threshold", "1g");
            sys.put("gcsflush.period", "5s");
            sys.put("gcsflush.batch", "12");
            sys.put("gcsflush.max-keys", "34");
            sys.put("gcsflush.buffer", "4096");
            sys.put("gcsflush.dry-run", "yes");
            sys.put("gcsflush.log", "warn");
            sys.put("gcsflush.enabled", "off");
            AgentConfig c = AgentConfig.resolve(null, sys, Map.of());
            assertAll(
                    () -> assertEquals(GIB, c.thresholdBytes()),
                    () -> assertEquals(5 * SECOND, c.periodNanos()),
                    () -> assertEquals(12, c.batch()),
                    () -> assertEquals(34L, c.maxKeys()),
                    () -> assertEquals(4096, c.bufferCapacity()),
                    () -> assertTrue(c.dryRun()),
                    () -> assertSame(LogLevel.WARN, c.log()),
                    () -> assertFalse(c.enabled()));
        }

        @ParameterizedTest(name = "-D{0}=42")
        @ValueSource(strings = {"gcsflush.max-keys", "gcsflush.max_keys", "gcsflush.MAX_KEYS", "gcsflush.max.keys"})
        void keySpellings(String property) throws ConfigException {
            assertEquals(42L, sys(property, "42").maxKeys());
        }

        @Test
        void raysNamesAsSystemProperties() throws ConfigException {
            Map<String, String> sys = Map.of("gcsflush.flush_when_at_least_bytes", "1m",
                    "gcsflush.flush_period_secs", "3", "gcsflush.flush_num_entries_each_time", "9");
            AgentConfig c = AgentConfig.resolve(null, sys, Map.of());
            assertEquals(MIB, c.thresholdBytes());
            assertEquals(3 * SECOND, c.periodNanos());
            assertEquals(9, c.batch());
        }

        @Test
        void invalidValueNamesTheProperty() {
            ConfigException e = fails(null, Map.of("gcsflush.threshold", "abc"), Map.of());
            assertEquals("invalid threshold=abc in system property gcsflush.threshold: "
                    + "expected a size such as 2g, 512m, 64mb or 1048576", e.getMessage());
        }

        @Test
        void invalidValueNamesTheAliasAsWritten() {
            ConfigException e = fails(null, Map.of("gcsflush.flush_period_secs", "0"), Map.of());
            assertEquals("invalid flush_period_secs=0 in system property gcsflush.flush_period_secs: "
                    + "duration must be at least 1ms", e.getMessage());
        }

        @Test
        void unknownPropertyIsRejected() {
            ConfigException e = fails(null, Map.of("gcsflush.treshold", "2g"), Map.of());
            assertEquals("unknown setting 'treshold' (=2g) in system property gcsflush.treshold; " + KNOWN,
                    e.getMessage());
        }

        @Test
        void unrelatedPropertiesAreIgnored() throws ConfigException {
            Map<String, String> sys = new LinkedHashMap<>();
            sys.put("java.version", "17");
            sys.put("user.dir", "/tmp");
            sys.put("threshold", "garbage");
            sys.put("batch", "-1");
            sys.put("gcsflushthreshold", "garbage");
            sys.put("gcsflush", "garbage");
            sys.put("GCSFLUSH.threshold", "garbage");
            sys.put("my.gcsflush.threshold", "garbage");
            sys.put("gcs.flush.threshold", "garbage");
            sys.put("GCSFLUSH_THRESHOLD", "garbage");
            assertDefaults(AgentConfig.resolve(null, sys, Map.of()));
        }

        @Test
        void debuggingHooksAreNotSettings() throws ConfigException {
            // -Dgcsflush.debug.dump is read by the agent's runtime (DebugDump), not by the settings.
            assertDefaults(AgentConfig.resolve(null, Map.of("gcsflush.debug.dump", "/tmp/keys.txt"), Map.of()));
        }
    }

    @Nested
    class Environment {
        @Test
        void everySettingAsAnEnvironmentVariable() throws ConfigException {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("GCSFLUSH_THRESHOLD", "1g");
            env.put("GCSFLUSH_PERIOD", "5s");
            env.put("GCSFLUSH_BATCH", "12");
            env.put("GCSFLUSH_MAX_KEYS", "34");
            env.put("GCSFLUSH_BUFFER", "4096");
            env.put("GCSFLUSH_DRY_RUN", "on");
            env.put("GCSFLUSH_LOG", "ERROR");
            env.put("GCSFLUSH_ENABLED", "no");
            AgentConfig c = AgentConfig.resolve(null, Map.of(), env);
            assertAll(
                    () -> assertEquals(GIB, c.thresholdBytes()),
                    () -> assertEquals(5 * SECOND, c.periodNanos()),
                    () -> assertEquals(12, c.batch()),
                    () -> assertEquals(34L, c.maxKeys()),
                    () -> assertEquals(4096, c.bufferCapacity()),
                    () -> assertTrue(c.dryRun()),
                    () -> assertSame(LogLevel.ERROR, c.log()),
                    () -> assertFalse(c.enabled()));
        }

        @Test
        void raysNamesAsEnvironmentVariables() throws ConfigException {
            Map<String, String> env = Map.of("GCSFLUSH_FLUSH_WHEN_AT_LEAST_BYTES", "1m",
                    "GCSFLUSH_FLUSH_PERIOD_SECS", "3", "GCSFLUSH_FLUSH_NUM_ENTRIES_EACH_TIME", "9");
            AgentConfig c = AgentConfig.resolve(null, Map.of(), env);
            assertEquals(MIB, c.thresholdBytes());
            assertEquals(3 * SECOND, c.periodNanos());
            assertEquals(9, c.batch());
        }

        @Test
        void invalidValueNamesTheVariable() {
            ConfigException e = fails(null, Map.of(), Map.of("GCSFLUSH_MAX_KEYS", "0"));
            assertEquals("invalid MAX_KEYS=0 in environment variable GCSFLUSH_MAX_KEYS: must be greater than zero",
                    e.getMessage());
        }

        @Test
        void invalidPeriodNamesTheVariable() {
            ConfigException e = fails(null, Map.of(), Map.of("GCSFLUSH_FLUSH_PERIOD_SECS", "soon"));
            assertMentions(e, "FLUSH_PERIOD_SECS", "soon", "environment variable GCSFLUSH_FLUSH_PERIOD_SECS");
        }

        /** Not the agent's to refuse: GCSFLUSH_HOME may belong to the installation (see AgentConfig#readEnvironment). */
        @Test
        void aVariableThatNamesNoSettingIsIgnoredWithAWarning() throws ConfigException {
            AgentConfig c = env("GCSFLUSH_HOME", "/opt/gcsflush");
            assertDefaults(c);
            assertEquals(List.of("environment variable GCSFLUSH_HOME is not a setting of the agent; ignored"),
                    c.warnings());
        }

        @Test
        void aMisspeltVariableIsIgnoredWithASuggestion() throws ConfigException {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("GCSFLUSH_TRESHOLD", "1g");
            env.put("GCSFLUSH_MAXKEYS", "5");
            env.put("GCSFLUSH_FLUSH_PERIOD_SEC", "3");
            env.put("GCSFLUSH_BATCH", "7");
            AgentConfig c = AgentConfig.resolve(null, Map.of(), env);
            assertEquals(7, c.batch());
            assertEquals(1L << 31, c.thresholdBytes());
            assertEquals(List.of(
                    "environment variable GCSFLUSH_FLUSH_PERIOD_SEC is not a setting of the agent; ignored (did you "
                            + "mean GCSFLUSH_PERIOD?)",
                    "environment variable GCSFLUSH_MAXKEYS is not a setting of the agent; ignored (did you mean "
                            + "GCSFLUSH_MAX_KEYS?)",
                    "environment variable GCSFLUSH_TRESHOLD is not a setting of the agent; ignored (did you mean "
                            + "GCSFLUSH_THRESHOLD?)"), c.warnings());
        }

        @Test
        void knownSettingsGiveNoWarning() throws ConfigException {
            assertEquals(List.of(), env("GCSFLUSH_MAX_KEYS", "5").warnings());
            assertEquals(List.of(), AgentConfig.defaults().warnings());
        }

        @Test
        void aBadValueOfAKnownVariableStillDisablesTheAgent() {
            ConfigException e = fails(null, Map.of(), Map.of("GCSFLUSH_HOME", "/opt/x", "GCSFLUSH_BATCH", "lots"));
            assertEquals("invalid BATCH=lots in environment variable GCSFLUSH_BATCH: expected a whole number",
                    e.getMessage());
        }

        @Test
        void unrelatedVariablesAreIgnored() throws ConfigException {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", "/usr/bin");
            env.put("HOME", "/root");
            env.put("THRESHOLD", "garbage");
            env.put("BATCH", "-1");
            env.put("GCSFLUSH", "garbage");
            env.put("GCSFLUSHTHRESHOLD", "garbage");
            env.put("MY_GCSFLUSH_THRESHOLD", "garbage");
            env.put("gcsflush.threshold", "garbage");
            env.put("gcsflush_threshold", "garbage");
            env.put("Gcsflush_Home", "garbage");
            assertDefaults(AgentConfig.resolve(null, Map.of(), env));
        }
    }

    // ---- precedence ------------------------------------------------------------------------------------------

    @Nested
    class Precedence {
        private final Map<String, String> sys = Map.of("gcsflush.threshold", "2m");
        private final Map<String, String> env = Map.of("GCSFLUSH_THRESHOLD", "3m");

        @Test
        void agentArgumentBeatsSystemPropertyAndEnvironment() throws ConfigException {
            assertEquals(MIB, AgentConfig.resolve("threshold=1m", sys, env).thresholdBytes());
        }

        @Test
        void systemPropertyBeatsEnvironment() throws ConfigException {
            assertEquals(2 * MIB, AgentConfig.resolve(null, sys, env).thresholdBytes());
        }

        @Test
        void environmentBeatsDefault() throws ConfigException {
            assertEquals(3 * MIB, AgentConfig.resolve(null, Map.of(), env).thresholdBytes());
        }

        @Test
        void precedenceHoldsAcrossAliases() throws ConfigException {
            AgentConfig c = AgentConfig.resolve("flush_when_at_least_bytes=1m",
                    Map.of("gcsflush.threshold", "2m"), Map.of("GCSFLUSH_FLUSH_WHEN_AT_LEAST_BYTES", "3m"));
            assertEquals(MIB, c.thresholdBytes());
            AgentConfig d = AgentConfig.resolve(null,
                    Map.of("gcsflush.flush_period_secs", "2"), Map.of("GCSFLUSH_PERIOD", "3s"));
            assertEquals(2 * SECOND, d.periodNanos());
        }

        @Test
        void eachSettingResolvesIndependently() throws ConfigException {
            AgentConfig c = AgentConfig.resolve("threshold=1m",
                    Map.of("gcsflush.period", "2s", "gcsflush.threshold", "2m"),
                    Map.of("GCSFLUSH_BATCH", "3", "GCSFLUSH_PERIOD", "3s", "GCSFLUSH_THRESHOLD", "3m"));
            assertEquals(MIB, c.thresholdBytes());
            assertEquals(2 * SECOND, c.periodNanos());
            assertEquals(3, c.batch());
            assertEquals(262_144, c.bufferCapacity());
            assertSame(LogLevel.INFO, c.log());
        }

        @Test
        void anOverriddenValueIsNotLookedAt() throws ConfigException {
            // Only the value that wins is parsed; a bad one underneath it is never used.
            AgentConfig c = AgentConfig.resolve("threshold=1m",
                    Map.of("gcsflush.threshold", "bad"), Map.of("GCSFLUSH_THRESHOLD", "worse"));
            assertEquals(MIB, c.thresholdBytes());
        }

        @Test
        void errorReportsTheSourceThatWon() {
            ConfigException e = fails("period=0", Map.of("gcsflush.period", "5s"), Map.of("GCSFLUSH_PERIOD", "6s"));
            assertEquals("invalid period=0 in the agent argument: duration must be at least 1ms", e.getMessage());
            ConfigException f = fails(null, Map.of("gcsflush.period", "0"), Map.of("GCSFLUSH_PERIOD", "6s"));
            assertEquals("invalid period=0 in system property gcsflush.period: duration must be at least 1ms",
                    f.getMessage());
        }

        @Test
        void unknownKeyInASystemPropertyIsStillRejectedWhenTheArgumentIsValid() {
            ConfigException e = fails("threshold=1g", Map.of("gcsflush.treshold", "1g"), Map.of());
            assertMentions(e, "treshold", "1g", "system property gcsflush.treshold", KNOWN);
        }
    }

    // ---- describe() ------------------------------------------------------------------------------------------

    @Nested
    class Describe {
        @Test
        void defaultsNameEveryValueAndNoSource() {
            assertEquals("threshold=2.0 GiB, period=10s, batch=10000, policy=ray, order=journal, max-keys="
                            + AgentConfig.autoMaxKeys() + ", buffer=262144, dry-run=false, log=info, log.sink=auto, "
                            + "enabled=true",
                    AgentConfig.defaults().describe());
        }

        @Test
        void mentionsEverySettingOfTheFlushAndTheRedisOnesThatAreSet() throws ConfigException {
            String text = arg("dry-run=true,log=off,enabled=false,journal.key=j,include=a:*,b:*,exclude=@3:c,adopt=*,"
                    + "uncovered=flush,policy=adaptive").describe();
            assertTrue(text.contains("include=a:*,b:* (the agent argument)"), text);
            assertTrue(text.contains("exclude=@3:c (the agent argument)"), text);
            for (AgentConfig.Setting s : AgentConfig.SETTINGS) {
                if (s.key.startsWith("redis.")) {
                    assertFalse(text.contains(s.key + "="), () -> text + " mentions the unset " + s.key);
                } else {
                    assertTrue(text.contains(s.key + "="), () -> text + " does not mention " + s.key);
                }
            }
            String redis = arg("redis.user=app,redis.password=s3cret,redis.tls=true,redis.verify-hostname=false").describe();
            assertTrue(redis.contains("redis.user=app (the agent argument)"), redis);
            assertTrue(redis.contains("redis.password=(set) (the agent argument)"), redis);
            assertTrue(redis.contains("redis.tls=true"), redis);
            assertTrue(redis.contains("redis.verify-hostname=false"), redis);
            assertFalse(redis.contains("s3cret"), redis);
        }

        @Test
        void aUserNeedsAPassword() {
            ConfigException e = argFails("redis.user=flusher");
            assertEquals("redis.user=flusher in the agent argument needs redis.password too", e.getMessage());
        }

        @Test
        void passwordsNeverAppearInMessages() {
            ConfigException typo = argFails("redis.pasword=s3cret");
            assertFalse(typo.getMessage().contains("s3cret"), typo.getMessage());
            ConfigException twice = argFails("redis.password=s3cret,redis.password=other");
            assertFalse(twice.getMessage().contains("s3cret") || twice.getMessage().contains("other"), twice.getMessage());
            ConfigException store = argFails("redis.truststore=/no/such/file.p12");
            assertTrue(store.getMessage().contains("invalid redis.truststore=/no/such/file.p12"), store.getMessage());
        }

        @Test
        void namesTheSourceOfEveryNonDefaultSetting() throws ConfigException {
            AgentConfig c = AgentConfig.resolve("threshold=1536m,dry-run=yes",
                    Map.of("gcsflush.period", "1.5s", "gcsflush.log", "debug"),
                    Map.of("GCSFLUSH_MAX_KEYS", "500", "GCSFLUSH_BUFFER", "3000", "GCSFLUSH_ENABLED", "0"));
            assertEquals("threshold=1.5 GiB (the agent argument), "
                            + "period=1.5s (system property gcsflush.period), "
                            + "batch=10000, "
                            + "policy=ray, order=journal, "
                            + "max-keys=500 (environment variable GCSFLUSH_MAX_KEYS), "
                            + "buffer=4096 (environment variable GCSFLUSH_BUFFER), "
                            + "dry-run=true (the agent argument), "
                            + "log=debug (system property gcsflush.log), "
                            + "log.sink=auto, "
                            + "enabled=false (environment variable GCSFLUSH_ENABLED)",
                    c.describe());
        }

        @Test
        void aValueGivenExplicitlyShowsItsSourceEvenWhenEqualToTheDefault() throws ConfigException {
            assertEquals("threshold=2.0 GiB (the agent argument)", arg("threshold=2g").describe().split(", ")[0]);
        }

        @Test
        void oneLine() throws ConfigException {
            String text = AgentConfig.resolve("threshold=1g", Map.of("gcsflush.period", "5s"),
                    Map.of("GCSFLUSH_BATCH", "3")).describe();
            assertFalse(text.contains("\n"));
        }
    }
}
