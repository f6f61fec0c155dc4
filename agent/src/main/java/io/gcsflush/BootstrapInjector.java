package io.gcsflush;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * Puts {@link io.gcsflush.bootstrap.Bridge}, and {@link io.gcsflush.bootstrap.AppLogging} (its counterpart for the
 * application's logging), into the bootstrap class loader, where code woven into any class finds them. Appending the
 * agent jar to the bootstrap class path would do it too, but makes the JVM turn class data sharing off for every class
 * not loaded by the bootstrap loader, which slows the application's start-up and prints a warning; so the classes are
 * defined directly, through the JDK's internal {@code Unsafe.defineClass}, opened to the agent's class loader alone.
 * Where that is refused, the jar is appended after all.
 */
final class BootstrapInjector {
    private static final String[] CLASSES = {"io.gcsflush.bootstrap.Bridge$Sink", "io.gcsflush.bootstrap.Bridge",
        "io.gcsflush.bootstrap.AppLogging"};

    private BootstrapInjector() {}

    /** Returns how the bridge got there, for the debug log. */
    static String inject(Instrumentation instrumentation, String agentJar) throws IOException {
        try (JarFile jar = new JarFile(agentJar, false)) {
            try {
                Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
                instrumentation.redefineModule(unsafeType.getModule(), Set.of(),
                        Map.of("jdk.internal.misc", Set.of(BootstrapInjector.class.getModule())), Map.of(), Set.of(),
                        Map.of());
                Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
                Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                        ClassLoader.class, ProtectionDomain.class);
                for (String name : CLASSES) {
                    byte[] bytes = read(jar, name);
                    define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
                }
                return "defined in the bootstrap class loader";
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(agentJar, false));
                return "agent jar appended to the bootstrap class path (" + e + ")";
            }
        }
    }

    private static byte[] read(JarFile jar, String className) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getJarEntry(className.replace('.', '/') + ".class"))) {
            return in.readAllBytes();
        }
    }
}
