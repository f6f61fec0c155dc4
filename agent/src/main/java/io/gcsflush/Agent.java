package io.gcsflush;

import io.gcsflush.config.AgentConfig;
import io.gcsflush.config.ConfigException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the agent: reads the settings, starts its two threads, and instruments the Redis clients. */
public final class Agent {
    private Agent() {}

    /** Called by {@link io.gcsflush.bootstrap.AgentLauncher}, in the agent's own class loader. */
    public static void start(String argument, Instrumentation instrumentation, boolean attachedLate, String agentJar) {
        AgentConfig config;
        try {
            config = AgentConfig.load(argument);
        } catch (ConfigException e) {
            System.err.println("[gcs-flush] ERROR " + e.getMessage() + "; the agent is disabled and the application "
                    + "runs without it");
            return;
        }
        Logging.configure(config.log());
        Logger log = LoggerFactory.getLogger("gcs-flush");
        if (!config.enabled()) {
            log.info("gcs-flush {} is disabled (enabled=false)", version());
            return;
        }
        String bridge;
        try {
            bridge = BootstrapInjector.inject(instrumentation, agentJar);
        } catch (Exception | LinkageError e) {
            log.error("gcs-flush could not start ({}); the application runs without it", e.toString());
            return;
        }
        log.debug("bridge {}", bridge);
        // Only now may classes that refer to the bridge be loaded (the verifier resolves them on loading).
        AgentRuntime.start(config, instrumentation, attachedLate, log);
    }

    static String version() {
        try (InputStream in = Agent.class.getResourceAsStream("agent.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "(development)");
        } catch (Exception e) {
            return "(development)";
        }
    }
}
