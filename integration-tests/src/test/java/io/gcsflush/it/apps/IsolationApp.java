package io.gcsflush.it.apps;

import java.io.File;
import java.io.InputStream;
import java.util.Properties;
import java.util.jar.JarFile;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application with libraries of its own, some of which the agent bundles too: it logs through its SLF4J binding,
 * makes a class with its Byte Buddy, looks for the agent's classes, then runs {@link JedisWriterApp} with the same
 * arguments. It prints:
 * <pre>
 * [main] INFO io.gcsflush.it.apps.IsolationApp - SLF4J binding org.slf4j.simple.SimpleLoggerFactory 2.0.9   (stderr)
 * byte-buddy 1.14.18 (byte-buddy-1.14.18.jar) made io.gcsflush.it.apps.MadeAtRunTime: made by the application
 * not visible: io.gcsflush.Agent (ClassNotFoundException)          or    visible: io.gcsflush.Agent from ...
 * </pre>
 */
public final class IsolationApp {
    /** Classes of the agent, which the application must not see. */
    public static final String[] AGENT_CLASSES = {"io.gcsflush.Agent", "io.gcsflush.shaded.bytebuddy.jar.asm.ClassReader"};

    private IsolationApp() {
    }

    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger(IsolationApp.class);
        Class<?> binding = LoggerFactory.getILoggerFactory().getClass();
        log.info("SLF4J binding {} {}", binding.getName(), binding.getPackage().getImplementationVersion());

        Class<?> made = new ByteBuddy()
                .subclass(Object.class)
                .name(IsolationApp.class.getPackageName() + ".MadeAtRunTime")
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the application"))
                .make()
                .load(IsolationApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        System.out.println("byte-buddy " + mavenVersion(ByteBuddy.class, "net.bytebuddy", "byte-buddy") + " made "
                + made.getName() + ": " + made.getConstructor().newInstance());

        for (String name : AGENT_CLASSES) {
            try {
                Class<?> found = Class.forName(name);
                System.out.println("visible: " + name + " from " + found.getClassLoader());
            } catch (ClassNotFoundException e) {
                System.out.println("not visible: " + name + " (ClassNotFoundException)");
            }
        }

        JedisWriterApp.run(args);
        System.exit(0);
    }

    /**
     * The version in the Maven metadata of the jar the class came from, and that jar's name: Byte Buddy's manifest
     * has no Implementation-Version.
     */
    private static String mavenVersion(Class<?> type, String group, String artifact) throws Exception {
        File jar = new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(jar);
             InputStream in = file.getInputStream(
                     file.getEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties"))) {
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version") + " (" + jar.getName() + ")";
        }
    }
}
