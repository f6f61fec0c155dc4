package io.gcsflush.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.gcsflush.Log;
import io.gcsflush.bootstrap.AppLogging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The application's SLF4J, found through the class loader that loaded it: the system class loader for an
 * application on the class path, Spring Boot's {@code LaunchedClassLoader} for a Boot executable jar, whichever loader
 * handed the application its loggers otherwise. The agent never asks SLF4J for a logger before the application has
 * been handed one (see {@link AppLoggingHooks}), so it is never the one that makes SLF4J start a backend.
 */
public final class AppSlf4j implements Discovery {
    static final String LOGGER_FACTORY = "org.slf4j.LoggerFactory";
    /** What SLF4J hands out while it is initialising on another thread. */
    private static final String SUBSTITUTE_LOGGER = "org.slf4j.helpers.SubstituteLogger";
    /** What SLF4J hands out when it found no binding. */
    private static final String NOP_LOGGER = "org.slf4j.helpers.NOPLogger";
    /** Present in a Spring Boot application, whose logging Boot configures after SLF4J has started. */
    private static final String[] SPRING_BOOT_LISTENERS = {AppLoggingHooks.Target.SPRING_BOOT.className + ".class",
        AppLoggingHooks.Target.SPRING_BOOT_1.className + ".class"};
    /** Spring Boot's launcher of executable jars (3.2 on, and before): the application's classes come later. */
    private static final String[] SPRING_BOOT_LAUNCHERS = {
        "org/springframework/boot/loader/launch/Launcher.class", "org/springframework/boot/loader/Launcher.class"};
    /** slf4j-nop's provider: a binding that discards everything, as good as none for the agent's lines. */
    private static final String NOP_PROVIDER = "org.slf4j.nop.NOPServiceProvider";
    private static final Answer NOP_BINDING = Answer.none("the application's SLF4J binding is slf4j-nop");
    /** {@code LoggerFactory.INITIALIZATION_STATE} once a binding is in place, in SLF4J 1.7 and 2.x. */
    private static final int SUCCESSFUL_INITIALIZATION = 3;

    private final Instrumentation instrumentation;
    private final AppLoggingHooks hooks;
    private final boolean attachedLate;
    private boolean lookedAtStart;
    private ClassLoader bootChecked;
    private boolean bootAnswer;

    private AppSlf4j(Instrumentation instrumentation, AppLoggingHooks hooks, boolean attachedLate) {
        this.instrumentation = instrumentation;
        this.hooks = hooks;
        this.attachedLate = attachedLate;
    }

    /**
     * Watches the application's logging and starts the relay, which asks this class where to write. Only once the
     * bootstrap classes are in place: the hooks call {@link AppLogging}.
     */
    public static void watch(LogRelay relay, Instrumentation instrumentation, boolean attachedLate) {
        AppLoggingHooks hooks = new AppLoggingHooks(instrumentation);
        try {
            instrumentation.addTransformer(hooks, false);
        } catch (RuntimeException | LinkageError e) {
            // Never a reason for the agent not to run: its lines go to stderr.
            relay.startOnStderr();
            Log.warn("cannot watch the application's logging ({}): the agent logs to standard error", e);
            return;
        }
        relay.start(new AppSlf4j(instrumentation, hooks, attachedLate));
    }

    @Override
    public Answer poll(boolean holdOver) {
        if (!lookedAtStart) {
            lookedAtStart = true;
            Answer atStart = attachedLate ? alreadyConfigured() : classPath(ClassLoader.getSystemClassLoader());
            if (atStart != null) return atStart;
        }
        Object listener = AppLogging.springBootListener();
        if (listener != null) return fromLoader(listener.getClass().getClassLoader());
        Object logger = AppLogging.slf4jLogger();
        if (logger == null) return Answer.PENDING;
        Answer fallback = fallback(logger);
        if (fallback != null) return fallback;
        ClassLoader loader = logger.getClass().getClassLoader();
        // Spring Boot reconfigures the backend after SLF4J started it, and mutes it meanwhile: wait for Boot.
        if (!holdOver && configuredBySpringBoot(loader)) return Answer.PENDING;
        return fromLoader(loader);
    }

    @Override
    public void settled() {
        instrumentation.removeTransformer(hooks);
        AppLogging.stopWatching();
    }

    /**
     * Whether to wait for the application's SLF4J at all: not if the class path has none with a binding, unless it is
     * a Spring Boot executable jar, whose libraries are nested in it. Looks for class files, loading none.
     */
    static Answer classPath(ClassLoader system) {
        for (String launcher : SPRING_BOOT_LAUNCHERS) {
            if (system.getResource(launcher) != null) return null;
        }
        if (system.getResource(LOGGER_FACTORY.replace('.', '/') + ".class") == null) {
            return Answer.none("the application has no SLF4J on its class path");
        }
        boolean binding;
        if (system.getResource("org/slf4j/spi/SLF4JServiceProvider.class") != null) {
            // SLF4J 2.x: a provider by ServiceLoader, or named by a system property.
            String named = System.getProperty("slf4j.provider");
            if (named != null && !named.isEmpty()) return named.equals(NOP_PROVIDER) ? NOP_BINDING : null;
            List<String> providers = providers(system);
            if (!providers.isEmpty() && providers.equals(Collections.nCopies(providers.size(), NOP_PROVIDER))) {
                return NOP_BINDING;
            }
            binding = !providers.isEmpty();
        } else {
            binding = system.getResource("org/slf4j/impl/StaticLoggerBinder.class") != null;
        }
        return binding ? null : Answer.none("the application's SLF4J has no binding on its class path");
    }

    /** The SLF4J 2.x providers the class path declares, as ServiceLoader reads them (class names, no comments). */
    private static List<String> providers(ClassLoader loader) {
        List<String> providers = new ArrayList<>();
        try {
            String services = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
            for (URL url : Collections.list(loader.getResources(services))) {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(url.openStream(), UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        int hash = line.indexOf('#');
                        String name = (hash < 0 ? line : line.substring(0, hash)).trim();
                        if (!name.isEmpty()) providers.add(name);
                    }
                }
            }
        } catch (IOException e) {
            providers.add("(unreadable)"); // Cannot tell: count it as a binding, and let the application's SLF4J say.
        }
        return providers;
    }

    /** Attached to a running JVM: its SLF4J, if the application has configured it already. */
    private Answer alreadyConfigured() {
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (c.getName().equals(LOGGER_FACTORY) && c.getClassLoader() != null && initialized(c)) {
                return fromLoader(c.getClassLoader());
            }
        }
        return null;
    }

    /** SLF4J's own state: its package-private field, the only way to ask without making it initialise. */
    private static boolean initialized(Class<?> loggerFactory) {
        try {
            Field state = loggerFactory.getDeclaredField("INITIALIZATION_STATE");
            state.setAccessible(true);
            return state.getInt(null) == SUCCESSFUL_INITIALIZATION;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // A named module, or another SLF4J: wait for the application's next logger instead.
        }
    }

    private boolean configuredBySpringBoot(ClassLoader loader) {
        if (loader != bootChecked) {
            bootChecked = loader;
            bootAnswer = false;
            for (String listener : SPRING_BOOT_LISTENERS) {
                if (loader != null && loader.getResource(listener) != null) bootAnswer = true;
            }
        }
        return bootAnswer;
    }

    /** The logger {@value Slf4jSink#LOGGER_NAME} from the SLF4J that {@code loader} sees. */
    private static Answer fromLoader(ClassLoader loader) {
        try {
            Class<?> factory = Class.forName(LOGGER_FACTORY, false, loader);
            Object logger = factory.getMethod("getLogger", String.class).invoke(null, Slf4jSink.LOGGER_NAME);
            Answer fallback = fallback(logger);
            if (fallback != null) return fallback;
            Class<?> api = Class.forName("org.slf4j.Logger", false, factory.getClassLoader());
            return Answer.ready(new Slf4jSink(logger, api));
        } catch (ClassNotFoundException e) {
            return Answer.none("the application's logging has no SLF4J");
        } catch (InvocationTargetException e) {
            return Answer.none("the application's SLF4J failed (" + e.getCause() + ")");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Answer.none("the application's SLF4J cannot be used (" + e + ")");
        }
    }

    /** For a logger SLF4J handed out that is not the binding's: wait, or there is none; else null. */
    private static Answer fallback(Object logger) {
        String type = logger.getClass().getName();
        if (type.equals(SUBSTITUTE_LOGGER)) return Answer.PENDING;
        if (type.equals(NOP_LOGGER)) {
            return Answer.none("the application's SLF4J has no binding (it hands out no-operation loggers)");
        }
        return null;
    }
}
