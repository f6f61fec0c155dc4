package io.gcsflush.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}). It puts the agent jar on the bootstrap
 * class path, for {@link Bridge}, and starts the agent proper in its own class loader. Whatever goes wrong here is
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
            // The loader class is resolved before the jar joins the bootstrap path, so that it stays in the
            // launcher's own (system) loader and package; Bridge, used only later, resolves to the bootstrap copy.
            ClassLoader loader = new AgentClassLoader(new JarFile(file, false), file.toURI().toURL(),
                    ClassLoader.getPlatformClassLoader());
            instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(file, false));
            Class<?> agent = Class.forName(AGENT_CLASS, true, loader);
            agent.getMethod("start", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, argument, instrumentation, attachedLate);
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            System.err.println("[gcs-flush] ERROR the agent could not start (" + cause
                    + "); the application runs without it");
        }
    }
}
