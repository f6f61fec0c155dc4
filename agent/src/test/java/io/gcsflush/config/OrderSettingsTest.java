package io.gcsflush.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings of the order: where it lives, and which keys enter it. */
class OrderSettingsTest {
    private static AgentConfig arg(String argument) throws ConfigException {
        return AgentConfig.resolve(argument, Map.of(), Map.of());
    }

    @Test
    void theJournalIsTheDefault() {
        AgentConfig config = AgentConfig.defaults();
        assertTrue(config.journal());
        assertEquals("gcs-flush:journal", config.journalKey());
        assertEquals(List.of(), config.include());
        assertEquals(List.of(), config.exclude());
    }

    @Test
    void orderIsJournalOrLocal() throws ConfigException {
        assertFalse(arg("order=local").journal());
        assertTrue(arg("order=JOURNAL").journal());
        ConfigException e = assertThrows(ConfigException.class, () -> arg("order=redis"));
        assertEquals("invalid order=redis in the agent argument: expected journal or local", e.getMessage());
    }

    @Test
    void theCommasOfAListSeparateItsPatternsInTheAgentArgument() throws ConfigException {
        AgentConfig config = arg("include=task:*,object:*,threshold=1g,exclude=lock:*,@3:config:*");
        assertEquals(List.of("task:*", "object:*"), config.include());
        assertEquals(List.of("lock:*", "@3:config:*"), config.exclude());
        assertEquals(1L << 30, config.thresholdBytes());
    }

    @Test
    void listsFromSystemPropertiesAndTheEnvironment() throws ConfigException {
        assertEquals(List.of("a:*", "b:*"),
                AgentConfig.resolve(null, Map.of("gcsflush.include", "a:*, b:*"), Map.of()).include());
        assertEquals(List.of("c:*"), AgentConfig.resolve(null, Map.of(), Map.of("GCSFLUSH_EXCLUDE", "c:*")).exclude());
    }

    @Test
    void aPartWithoutEqualsAfterAnotherSettingIsStillAnError() {
        assertThrows(ConfigException.class, () -> arg("threshold=1g,task:*"));
    }

    @Test
    void aDatabaseMustBeANumberInRange() {
        ConfigException e = assertThrows(ConfigException.class, () -> arg("include=@x:task:*"));
        assertTrue(e.getMessage().startsWith("invalid include=@x:task:* in the agent argument: '@x:task:*': @N: must "
                + "name a database"), e.getMessage());
        assertThrows(ConfigException.class, () -> arg("exclude=@999:a"));
    }

    @Test
    void theJournalKeyIsNotEmpty() {
        assertThrows(ConfigException.class, () -> arg("journal.key= "));
    }
}
