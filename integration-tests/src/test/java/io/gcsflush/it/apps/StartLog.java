package io.gcsflush.it.apps;

/**
 * The one line a writer application logs through SLF4J as it starts, as services do: the agent holds its own lines
 * until the application's logging is configured, and an application that never logs would keep them held for the
 * agent's longest wait (10 s) in every test. Only where the class path has SLF4J: the client versions of the matrix
 * are run on their own jars, some without it.
 */
final class StartLog {
    private StartLog() {
    }

    static void writing(WriterArgs args) {
        try {
            Class.forName("org.slf4j.LoggerFactory", false, StartLog.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return;
        }
        Slf4j.info("writing " + args.count + " keys to " + args.host + ":" + args.port + ", database " + args.db);
    }

    /** Loaded only where SLF4J is. */
    private static final class Slf4j {
        static void info(String message) {
            org.slf4j.LoggerFactory.getLogger(WriterLoop.class).info(message);
        }
    }
}
