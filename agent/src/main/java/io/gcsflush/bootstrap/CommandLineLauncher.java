package io.gcsflush.bootstrap;

import java.io.File;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * {@code java -jar gcs-flush.jar ...} (the jar's {@code Main-Class}): starts the command line in the agent's own
 * class loader, like the agent, over the application class loader, which is where the JDK defines the attach API
 * ({@code jdk.attach}).
 */
public final class CommandLineLauncher {
    private CommandLineLauncher() {}

    public static void main(String[] args) {
        int exit;
        try {
            URL location = CommandLineLauncher.class.getProtectionDomain().getCodeSource().getLocation();
            File file = new File(location.toURI());
            ClassLoader loader = new AgentClassLoader(new JarFile(file, false), file.toURI().toURL(),
                    ClassLoader.getSystemClassLoader());
            Class<?> cli = Class.forName("io.gcsflush.cli.CommandLine", true, loader);
            exit = (Integer) cli.getMethod("run", String[].class, String.class).invoke(null, args, file.getPath());
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            System.err.println("gcs-flush: internal error: " + cause);
            exit = 1;
        }
        // The JMX client leaves threads of its own behind: exit, rather than wait for them.
        System.exit(exit);
    }
}
