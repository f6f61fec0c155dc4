package io.gcsflush.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}). It starts the agent proper in a class
 * loader of its own, which sees the JDK and the {@link Bridge} but no application class. Whatever goes wrong here is
 * reported in one line and the application starts as if the agent were absent.
 */
public final class AgentLauncher {
    private static final String AGENT_CLASS = "io.gcsflush.Agent";

    private AgentLauncher() {}

    public static void premain(String argument, Instrumentation instrumentation) {
        launch(argument, instrumentation, false);
    }

    public static void agentmain(String argument, Instrumentation instrumentation) {
        launch(argument, instrumentation, true);
    }

    private static synchronized void launch(String argument, Instrumentation instrumentation, boolean attachedLate) {
        try {
            URL location = AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation();
            File file = new File(location.toURI());
            ClassLoader loader = new AgentClassLoader(new JarFile(file, false), file.toURI().toURL(),
                    ClassLoader.getPlatformClassLoader());
            Class<?> agent = Class.forName(AGENT_CLASS, true, loader);
            agent.getMethod("start", String.class, Instrumentation.class, boolean.class, String.class)
                    .invoke(null, argument, instrumentation, attachedLate, file.getPath());
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            System.err.println("[gcs-flush] ERROR the agent could not start (" + cause
                    + "); the application runs without it");
        }
    }
}
