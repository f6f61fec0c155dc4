package io.gcsflush.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Ray-like application: writer threads fill Redis with task and object metadata that nobody ever deletes,
 * while the app reports Redis's memory use every second and charts it at the end.
 *
 * <p>Exit codes: 0 when the run ends normally, 1 when Redis cannot be reached (or started), 2 for bad arguments.
 */
public final class DemoApp {
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    /** The gcs-flush agent logs through the application's SLF4J, under this logger: its lines are the demo's point. */
    private static final String AGENT_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.gcsflush";

    private DemoApp() {}

    public static void main(String[] args) {
        // Before any client class creates a logger: Jedis and Lettuce are chatty below warn.
        if (System.getProperty(LOG_LEVEL) == null) System.setProperty(LOG_LEVEL, "warn");
        if (System.getProperty(AGENT_LOG_LEVEL) == null) System.setProperty(AGENT_LOG_LEVEL, "info");
        // Exit explicitly: client threads must not keep the JVM alive after the run.
        System.exit(run(args));
    }

    static int run(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
            if (options.help) {
                System.out.println(DemoOptions.USAGE);
                return 0;
            }
            checkWritable(options.chart);
        } catch (BadArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(DemoOptions.USAGE);
            return 2;
        }

        EmbeddedRedis embedded = null;
        RedisTarget target = options.redis;
        if (target == null) {
            try {
                embedded = EmbeddedRedis.start();
            } catch (IOException e) {
                System.err.println("cannot start the embedded Redis: " + e.getMessage());
                return 1;
            }
            target = RedisTarget.local(embedded.port);
            System.out.println("started an embedded redis-server at " + target + " (save \"\", appendonly no)");
        }
        try {
            return runAgainst(options, target);
        } finally {
            if (embedded != null) embedded.close();
        }
    }

    private static int runAgainst(DemoOptions options, RedisTarget target) {
        RedisStats stats;
        try {
            stats = new RedisStats(target);
            stats.ping();
        } catch (RuntimeException e) {
            System.err.println("cannot reach Redis at " + target + ": " + WriteCounters.describe(e));
            return 1;
        }
        try (stats) {
            DemoRun run = new DemoRun(options, target, stats, System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> run.interrupt("interrupted"), "demo-shutdown"));
            return run.execute();
        }
    }

    /** Fails now rather than after a long run when the chart could not be written. */
    private static void checkWritable(Path chart) throws BadArgumentException {
        if (Files.isDirectory(chart)) throw new BadArgumentException("bad --chart '" + chart + "': is a directory");
        Path dir = chart.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".gcs-flush-demo-", ".tmp"));
        } catch (IOException | RuntimeException e) {
            throw new BadArgumentException("bad --chart '" + chart + "': cannot write in " + dir);
        }
    }
}
