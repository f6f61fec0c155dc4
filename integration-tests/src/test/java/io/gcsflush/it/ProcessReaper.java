package io.gcsflush.it;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills whatever the harness started that is still running when the test JVM exits (a test that
 * forgot to close, a timeout, Ctrl-C), so no redis-server or child JVM outlives the build.
 */
final class ProcessReaper {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::reapAll, "gcsflush-it-reaper"));
    }

    private ProcessReaper() {
    }

    static void register(Process process) {
        LIVE.add(process);
    }

    static void unregister(Process process) {
        LIVE.remove(process);
    }

    /** Kills the process and all its descendants, without waiting. */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void reapAll() {
        for (Process process : LIVE) {
            killTree(process);
        }
    }
}
