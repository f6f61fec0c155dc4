package io.gcsflush.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.config.AgentConfig;
import io.gcsflush.policy.AdaptiveFlushPolicy;
import io.gcsflush.policy.SimpleFlushPolicy;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private final Settings defaults = Settings.of(AgentConfig.defaults());

    @Test
    void changesOneSettingReadAsAtStart() {
        Settings s = defaults.with("threshold", "64m");
        assertEquals(64L << 20, s.thresholdBytes());
        assertEquals(defaults.periodNanos(), s.periodNanos());
        assertEquals(250_000_000L, s.with("period", "250ms").periodNanos());
        assertEquals(500, s.with("batch", "500").batch());
        assertEquals(0.9, s.with("low-water", "90%").lowWater(), 1e-9);
        assertEquals(1000, s.with("max-batch", "1000").maxBatch());
        assertEquals("adaptive", s.with("policy", "ADAPTIVE").policyName());
    }

    @Test
    void acceptsRaysNamesAndAnySpelling() {
        assertEquals(1L << 30, defaults.with("flush_when_at_least_bytes", "1g").thresholdBytes());
        assertEquals(7, defaults.with("FLUSH-NUM-ENTRIES-EACH-TIME", "7").batch());
        assertEquals(5, defaults.with("max_batch", "5").maxBatch());
    }

    @Test
    void refusesWhatCannotChangeOrIsWrong() {
        assertEquals("invalid threshold=2x: expected a size such as 2g, 512m, 64mb or 1048576",
                assertThrows(IllegalArgumentException.class, () -> defaults.with("threshold", "2x")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> defaults.with("order", "local")).getMessage()
                .startsWith("order cannot change while the agent runs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> defaults.with("dry-run", "true")).getMessage()
                .startsWith("dry-run cannot change while the agent runs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> defaults.with("treshold", "1g")).getMessage()
                .startsWith("no setting 'treshold'"));
        assertThrows(IllegalArgumentException.class, () -> defaults.with("batch", "0"));
        assertThrows(IllegalArgumentException.class, () -> defaults.with("low-water", "101%"));
        assertThrows(IllegalArgumentException.class, () -> defaults.with("policy", "lru"));
    }

    @Test
    void makesThePolicyOfItsSettings() {
        assertTrue(defaults.policy() instanceof SimpleFlushPolicy);
        AdaptiveFlushPolicy adaptive = (AdaptiveFlushPolicy) defaults.with("policy", "adaptive")
                .with("threshold", "100m").with("low-water", "90%").policy();
        assertEquals(100L << 20, adaptive.thresholdBytes());
        assertEquals((long) Math.floor((100L << 20) * 0.9), adaptive.lowWaterBytes());
    }

    @Test
    void describesTheSettingsOfItsPolicy() {
        assertEquals("threshold=2.0 GiB, period=10s, batch=10000, policy=ray, dry-run=false, order=journal",
                defaults.describe());
        assertEquals("threshold=2.0 GiB, period=10s, policy=adaptive, low-water=95%, max-batch=20000, dry-run=false, "
                + "order=journal", defaults.with("policy", "adaptive").describe());
    }
}
