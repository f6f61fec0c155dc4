package io.gcsflush;

import io.gcsflush.config.AgentConfig;
import io.gcsflush.config.ConfigException;
import io.gcsflush.config.LogLevel;
import io.gcsflush.config.LogSink;
import io.gcsflush.log.AppSlf4j;
import io.gcsflush.log.LogRelay;
import io.gcsflush.log.StderrSink;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Properties;

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
        Log.level(config.log());
        if (!config.enabled()) {
            Log.info("gcs-flush {} is disabled (enabled=false)", version());
            return;
        }
        // Until the relay knows where the application's lines go, it holds the agent's (see LogRelay).
        LogRelay relay = config.logSink() == LogSink.STDERR || config.log() == LogLevel.OFF ? null
                : new LogRelay(config.logSink(), StderrSink.standardError());
        if (relay != null) Log.sink(relay);
        for (String warning : config.warnings()) Log.warn("{}", warning);
        String bridge;
        try {
            bridge = BootstrapInjector.inject(instrumentation, agentJar);
        } catch (Exception | LinkageError e) {
            if (relay != null) relay.startOnStderr();
            System.err.println("[gcs-flush] ERROR the agent could not start (" + e + "); the application runs "
                    + "without it");
            return;
        }
        // Only now may classes that refer to the bridge be loaded (the verifier resolves them on loading).
        if (relay != null) AppSlf4j.watch(relay, instrumentation, attachedLate);
        AgentRuntime.start(config, instrumentation, attachedLate, bridge);
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
