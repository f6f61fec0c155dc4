package io.gcsflush.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM: {@code java [-javaagent:AGENT=ARGS] JVM_ARGS -cp bench-apps.jar MAIN ARGS}. Its stdout and stderr are
 * read as they come, kept, and written to a log file; lines can be awaited.
 */
final class Child implements AutoCloseable {
    final Process process;
    final long startNanos;
    private final List<String> lines = new ArrayList<>();
    private final PrintWriter log;
    private final PrintWriter stdin;
    private int open = 2;
    final Path logFile;

    private Child(List<String> command, Path logFile) throws IOException {
        this.logFile = logFile;
        this.log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true);
        log.println("# " + String.join(" ", command));
        startNanos = System.nanoTime();
        process = new ProcessBuilder(command).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        pump(process.getInputStream(), "out");
        pump(process.getErrorStream(), "err");
    }

    /** {@code agentArgs} null: no agent; "" : the agent with its defaults. */
    static Child start(Path logFile, String agentArgs, List<String> jvmArgs, String main, Object... args)
            throws IOException {
        List<String> agent = agentArgs == null ? List.of()
                : List.of("-javaagent:" + Paths.agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        return startWith(logFile, agent, jvmArgs, main, args);
    }

    /** With any agent flags (another Java agent, its system properties), or none. */
    static Child startWith(Path logFile, List<String> agentFlags, List<String> jvmArgs, String main, Object... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(agentFlags);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(Paths.appsJar().toString());
        cmd.add(main);
        for (Object a : args) cmd.add(String.valueOf(a));
        return new Child(cmd, logFile);
    }

    private void pump(InputStream in, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (this) {
                        lines.add(line);
                        notifyAll();
                    }
                    log.println(line);
                    if (Boolean.getBoolean("bench.echo")) System.out.println("  | " + line);
                }
            } catch (IOException ignored) {
                // the child is gone
            } finally {
                synchronized (this) {
                    open--;
                    notifyAll();
                }
            }
        }, "child-" + name);
        t.setDaemon(true);
        t.start();
    }

    void send(String line) {
        stdin.println(line);
    }

    /** The first line (from the start) that matches; fails after the timeout or when the child is done. */
    synchronized String await(Predicate<String> p, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int from = 0;
        while (true) {
            for (; from < lines.size(); from++) if (p.test(lines.get(from))) return lines.get(from);
            long left = deadline - System.nanoTime();
            if (open == 0 || left <= 0) {
                throw new IllegalStateException((open == 0 ? "child ended" : "timed out")
                        + " before the awaited line; see " + logFile);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The first match of a regex in any line, awaited. */
    Matcher await(Pattern pattern, long timeoutSeconds) throws InterruptedException {
        String line = await(l -> pattern.matcher(l).find(), timeoutSeconds);
        Matcher m = pattern.matcher(line);
        m.find();
        return m;
    }

    /** The last line that matches, or null. */
    synchronized String last(Predicate<String> p) {
        for (int i = lines.size() - 1; i >= 0; i--) if (p.test(lines.get(i))) return lines.get(i);
        return null;
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    int waitFor(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child did not exit in " + timeoutSeconds + " s; see " + logFile);
        }
        synchronized (this) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (open > 0 && System.nanoTime() < deadline) wait(100);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        try {
            OutputStream o = process.getOutputStream();
            o.close();
        } catch (IOException ignored) {
            // closed already
        }
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.close();
    }
}
