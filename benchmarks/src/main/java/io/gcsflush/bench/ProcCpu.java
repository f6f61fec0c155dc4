package io.gcsflush.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds (user + sys) of a process, in all and per group of threads, from {@code /proc/PID/task/TID/stat}:
 * {@code agent} (the gcs-flush threads), {@code jit} (C1 and C2 compiler threads), {@code gc} (GC and VM threads),
 * {@code app} (the rest: the application's own threads and the client's I/O threads). Linux only; empty elsewhere.
 */
final class ProcCpu {
    static final String[] GROUPS = {"total", "app", "agent", "jit", "gc"};
    private static final double TICK = 100.0; // USER_HZ, 100 on every Linux this runs on

    private ProcCpu() {}

    static Map<String, Double> read(long pid) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (String g : GROUPS) cpu.put(g, 0.0);
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                String[] f = stat.substring(close + 2).split(" ");
                double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICK;
                cpu.merge("total", seconds, Double::sum);
                cpu.merge(group(name), seconds, Double::sum);
            }
        } catch (IOException e) {
            return Map.of();
        }
        return cpu;
    }

    static String group(String thread) {
        if (thread.startsWith("gcs-flush")) return "agent";
        if (thread.startsWith("C1 Compiler") || thread.startsWith("C2 Compiler")) return "jit";
        if (thread.startsWith("GC Thread") || thread.startsWith("G1 ") || thread.startsWith("VM Thread")) return "gc";
        return "app";
    }
}
