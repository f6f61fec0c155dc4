package io.gcsflush.bootstrap;

/**
 * Where code woven into the application's logging says that it is ready for the agent's lines: SLF4J's
 * {@code LoggerFactory.getLogger(String)} returned a logger to the application (so SLF4J, and the backend behind it,
 * are configured), or Spring Boot's {@code LoggingApplicationListener.initialize} returned (Boot has configured its
 * logging system, after the defaults SLF4J started with). Like {@link Bridge}, it lives in the bootstrap class loader,
 * where the woven code finds it from any class loader, and depends on nothing but the JDK.
 *
 * <p>Each call costs the application one or two volatile accesses: no lock, no allocation, no exception. The agent
 * reads what was left here from a thread of its own, and calls {@link #stopWatching()} once it has decided.
 */
public final class AppLogging {
    private static volatile boolean watching = true;
    private static volatile Object slf4jLogger;
    private static volatile Object springBootListener;

    private AppLogging() {}

    /** Woven before each return of {@code org.slf4j.LoggerFactory.getLogger(String)}: the logger it returns. */
    public static void loggerReturned(Object logger) {
        if (watching) slf4jLogger = logger;
    }

    /** Woven before each return of Spring Boot's {@code LoggingApplicationListener.initialize}: the listener. */
    public static void springBootLoggingInitialized(Object listener) {
        if (watching) springBootListener = listener;
    }

    /** The latest logger SLF4J handed to the application, or null. */
    public static Object slf4jLogger() {
        return slf4jLogger;
    }

    /** A Spring Boot logging listener that has configured the application's logging, or null. */
    public static Object springBootListener() {
        return springBootListener;
    }

    /** Stops recording and lets go of what was recorded, which would otherwise pin the application's class loader. */
    public static void stopWatching() {
        watching = false;
        slf4jLogger = null;
        springBootListener = null;
    }
}
