package io.gcsflush.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestInfo;

/**
 * A child JVM running a real application, optionally with {@code -javaagent:gcs-flush.jar=ARGS}:
 * {@code java [-javaagent:AGENT=ARGS] [jvm args] [-Dk=v] -cp CLASSPATH MAIN args...} with the same
 * java binary as the test JVM. Its stdout and stderr are read concurrently (a chatty child never
 * blocks on a full pipe), kept in memory for assertions and written as they come to
 * {@code target/child-logs/<name>.log}. {@link #close()} ends it and everything it started.
 *
 * <pre>{@code
 * try (ChildJvm app = ChildJvm.builder(testInfo)
 *         .agent("threshold=1m,period=200ms")
 *         .mainClass(PingApp.class).args(redis.host(), String.valueOf(redis.port()), "100")
 *         .start()) {
 *     app.waitForLine("done", Duration.ofSeconds(30));
 *     assertEquals(0, app.waitForExit(Duration.ofSeconds(30)));
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

    private static final Map<String, AtomicInteger> NAMES = new ConcurrentHashMap<>();
    private static final int TAIL_LINES = 60;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final boolean ECHO = Boolean.getBoolean("gcsflush.it.echo");

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path logFile;
    private final Writer log;
    private final Thread outPump;
    private final Thread errPump;
    private final Writer stdin; // null unless the builder asked to keep it open
    private final long startNanos = System.nanoTime();

    private final List<Line> lines = new ArrayList<>(); // guarded by this
    private int openStreams = 2; // guarded by this
    private boolean closed; // guarded by this

    private static final class Line {
        final boolean stderr;
        final String text;

        Line(boolean stderr, String text) {
            this.stderr = stderr;
            this.text = text;
        }
    }

    private ChildJvm(String name, List<String> command, Path workDir, Map<String, String> env, boolean openStdin)
            throws IOException {
        this.name = name;
        this.command = List.copyOf(command);
        this.logFile = TestDirs.underTarget("child-logs").resolve(name + ".log");
        this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        log.write("# " + String.join(" ", command) + System.lineSeparator());
        log.flush();
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().putAll(env);
        try {
            this.process = builder.start();
        } catch (IOException e) {
            log.close();
            throw e;
        }
        ProcessReaper.register(process);
        if (openStdin) {
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        } else {
            this.stdin = null;
            process.getOutputStream().close(); // no stdin: a child that reads it sees end of file
        }
        this.outPump = pump(process.getInputStream(), false);
        this.errPump = pump(process.getErrorStream(), true);
    }

    /** A builder whose log is named after the running test: {@code <TestClass>.<method>[<display name>]}. */
    public static Builder builder(TestInfo test) {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("");
        String display = test.getDisplayName();
        String name = test.getTestClass().map(Class::getSimpleName).orElse("test")
                + (method.isEmpty() ? "" : "." + method)
                + (display.equals(method) || display.startsWith(method + "(") ? "" : "." + display);
        return new Builder(name);
    }

    /** A builder whose log is {@code target/child-logs/<name>.log} (made unique within this JVM). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The java executable running this JVM: children run on the same JDK. */
    public static Path javaBinary() {
        Optional<Path> self = ProcessHandle.current().info().command().map(Paths::get).filter(Files::isExecutable);
        if (self.isPresent()) {
            return self.get();
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase().contains("win");
        return Paths.get(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    }

    /** This JVM's classpath (the test classpath: jedis, lettuce, slf4j, the test apps) without the agent. */
    public static String defaultClasspath() {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path", "").split(File.pathSeparator));
        return String.join(File.pathSeparator, withoutAgent(entries, AgentJar.moduleDir()));
    }

    /**
     * Drops every classpath entry that is the agent: anything under the agent module's directory,
     * a {@code gcs-flush-agent-*.jar} or a {@code gcs-flush.jar}. The agent must reach the child
     * through {@code -javaagent} only, as it does in production.
     */
    static List<String> withoutAgent(List<String> entries, Optional<Path> agentModuleDir) {
        return entries.stream()
                .filter(entry -> !entry.isBlank())
                .filter(entry -> !isAgent(entry, agentModuleDir))
                .collect(Collectors.toList());
    }

    static boolean isAgent(String entry, Optional<Path> agentModuleDir) {
        Path path = Paths.get(entry).toAbsolutePath().normalize();
        if (agentModuleDir.isPresent() && path.startsWith(agentModuleDir.get())) {
            return true;
        }
        String file = path.getFileName() == null ? "" : path.getFileName().toString();
        if (file.equals("gcs-flush.jar") || (file.startsWith("gcs-flush-agent") && file.endsWith(".jar"))) {
            return true;
        }
        Path parent = path.getParent();
        return parent != null && parent.getFileName() != null && parent.getParent() != null
                && parent.getFileName().toString().equals("target")
                && parent.getParent().getFileName() != null
                && parent.getParent().getFileName().toString().equals("agent")
                && (file.equals("classes") || file.equals("test-classes"));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** The full command line the child was started with. */
    public List<String> command() {
        return command;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the child printed so far, stdout and stderr, in the order this JVM read them. */
    public synchronized List<String> output() {
        return lines.stream().map(l -> l.text).collect(Collectors.toList());
    }

    public synchronized List<String> stdout() {
        return lines.stream().filter(l -> !l.stderr).map(l -> l.text).collect(Collectors.toList());
    }

    public synchronized List<String> stderr() {
        return lines.stream().filter(l -> l.stderr).map(l -> l.text).collect(Collectors.toList());
    }

    /**
     * Waits for a line (stdout or stderr, printed at any time so far) that the predicate accepts and
     * returns it. Fails with the tail of the output if none comes in time or the child closes its output.
     */
    public String waitForLine(Predicate<String> accept, Duration timeout) {
        return awaitLine(accept, "a line accepted by " + accept, timeout);
    }

    /** Waits for a line in which the regular expression is found (see {@link #waitForLine(Predicate, Duration)}). */
    public String waitForLine(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        return awaitLine(line -> pattern.matcher(line).find(), "a line matching /" + regex + "/", timeout);
    }

    /** Like {@link #waitForLine(String, Duration)}, returning the match, for its groups. */
    public MatchResult waitForMatch(Pattern pattern, Duration timeout) {
        String line = awaitLine(l -> pattern.matcher(l).find(), "a line matching /" + pattern + "/", timeout);
        Matcher matcher = pattern.matcher(line);
        matcher.find();
        return matcher.toMatchResult();
    }

    /** Writes one line to the child's stdin (the builder must have asked for {@link Builder#openStdin()}). */
    public void send(String line) {
        if (stdin == null) {
            throw new IllegalStateException("child JVM " + name + " was started without an open stdin");
        }
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write '" + line + "' to the stdin of " + report(), e);
        }
    }

    /** Closes the child's stdin: a child that reads it sees end of file. Does nothing if it is closed already. */
    public void closeStdin() {
        if (stdin == null) {
            return;
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child is gone already: its stdin is as closed as it gets
        }
    }

    /** Waits for the child to exit and for its output to be read; returns the exit code. */
    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                requestThreadDump();
                throw new AssertionError("child JVM " + describe() + " did not exit within " + seconds(timeout)
                        + "; last output:\n" + tail() + "\nfull log: " + logFile);
            }
            awaitStreamsClosed(CLOSE_GRACE);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + describe(), e);
        }
    }

    /** Kills the child and everything it started, at once. */
    public void destroy() {
        ProcessReaper.killTree(process);
    }

    /** Ends the child if it still runs (SIGTERM, then SIGKILL after 5 s), with its descendants; closes the log. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeStdin();
        try {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    ProcessReaper.killTree(process);
                    process.waitFor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            outPump.join(CLOSE_GRACE.toMillis());
            errPump.join(CLOSE_GRACE.toMillis());
        } catch (InterruptedException e) {
            ProcessReaper.killTree(process);
            Thread.currentThread().interrupt();
        } finally {
            ProcessReaper.unregister(process);
            synchronized (log) {
                try {
                    log.write("# " + (process.isAlive() ? "still running" : "exit code " + process.exitValue())
                            + " after " + (System.nanoTime() - startNanos) / 1_000_000 + " ms" + System.lineSeparator());
                    log.close();
                } catch (IOException ignored) {
                    // the log is for debugging only
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[" + describe() + "]";
    }

    private String awaitLine(Predicate<String> accept, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean outputClosed = false;
        synchronized (this) {
            int next = 0;
            while (true) {
                for (; next < lines.size(); next++) {
                    String text = lines.get(next).text;
                    if (accept.test(text)) {
                        return text;
                    }
                }
                if (openStreams == 0) {
                    outputClosed = true;
                    break;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what + " from " + describe(), e);
                }
            }
        }
        if (outputClosed) {
            try {
                process.waitFor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new AssertionError("child JVM " + describe() + " closed its output without printing " + what
                    + "; last output:\n" + tail() + "\nfull log: " + logFile);
        }
        requestThreadDump();
        throw new AssertionError("child JVM " + describe() + " printed no " + what + " within " + seconds(timeout)
                + "; last output:\n" + tail() + "\nfull log: " + logFile);
    }

    private Thread pump(InputStream stream, boolean stderr) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    record(stderr, line, !reader.ready());
                }
            } catch (IOException e) {
                // the process was killed under us: what was read is kept
            } finally {
                synchronized (this) {
                    openStreams--;
                    notifyAll();
                }
                synchronized (log) {
                    try {
                        log.flush();
                    } catch (IOException ignored) {
                        // closed already
                    }
                }
            }
        }, "child-" + name + (stderr ? "-stderr" : "-stdout"));
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void record(boolean stderr, String text, boolean flush) {
        synchronized (this) {
            lines.add(new Line(stderr, text));
            notifyAll();
        }
        synchronized (log) {
            try {
                log.write(stderr ? "err| " : "out| ");
                log.write(text);
                log.write(System.lineSeparator());
                if (flush) {
                    log.flush(); // a hung or killed test still leaves a complete log
                }
            } catch (IOException ignored) {
                // the log is for debugging only
            }
        }
        if (ECHO) {
            System.out.println("[" + name + (stderr ? " err] " : "] ") + text);
        }
    }

    private void awaitStreamsClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (openStreams > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return; // a grandchild holds the pipes: what was read so far will do
                }
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            }
        }
    }

    /** Asks a running child for a thread dump (SIGQUIT), which it prints to stdout, into the log. */
    private void requestThreadDump() {
        if (!process.isAlive() || File.separatorChar != '/') {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(2, TimeUnit.SECONDS);
            Thread.sleep(500);
        } catch (IOException e) {
            // no kill command: no dump
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The child's name, pid and state, the tail of its output and the path of its full log: for failure messages. */
    public String report() {
        return describe() + "; last output:\n" + tail() + "\nfull log: " + logFile;
    }

    private String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return name + " (pid " + process.pid() + ", " + state + ")";
    }

    private synchronized String tail() {
        List<String> all = lines.stream().map(l -> (l.stderr ? "err| " : "out| ") + l.text).collect(Collectors.toList());
        List<String> tail = all.subList(Math.max(0, all.size() - TAIL_LINES), all.size());
        return tail.isEmpty() ? "(nothing)" : String.join("\n", tail);
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }

    /** Sets up and starts a {@link ChildJvm}. */
    public static final class Builder {
        private final String name;
        private Path agentJar;
        private String agentArgs;
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private String classpath;
        private String mainClass;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path workDir;
        private Path java;
        private boolean openStdin;

        private Builder(String name) {
            this.name = TestDirs.safeFileName(name);
        }

        /** {@code -javaagent:<the built gcs-flush.jar>=<args>}; fails now if the jar is not built. */
        public Builder agent(String args) {
            return agent(AgentJar.path(), args);
        }

        /** {@code -javaagent:<jar>=<args>} ({@code args} may be null or empty: no {@code =}). */
        public Builder agent(Path jar, String args) {
            this.agentJar = jar.toAbsolutePath().normalize();
            this.agentArgs = args;
            return this;
        }

        /** JVM options placed after {@code -javaagent}, e.g. {@code -Xmx256m}. */
        public Builder jvmArgs(String... jvmArgs) {
            this.jvmArgs.addAll(Arrays.asList(jvmArgs));
            return this;
        }

        /** {@code -D<key>=<value>}. */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        /** The child's classpath; by default {@link #defaultClasspath()}. */
        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        public Builder mainClass(Class<?> mainClass) {
            return mainClass(mainClass.getName());
        }

        public Builder mainClass(String mainClass) {
            this.mainClass = mainClass;
            return this;
        }

        /** Program arguments. */
        public Builder args(String... args) {
            this.args.addAll(Arrays.asList(args));
            return this;
        }

        /** An environment variable, added to those the test JVM has. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /**
         * Keeps the child's stdin open, for {@link ChildJvm#send(String)} and {@link ChildJvm#closeStdin()}; by
         * default it is closed at once. {@link ChildJvm#close()} closes it too.
         */
        public Builder openStdin() {
            this.openStdin = true;
            return this;
        }

        public Builder workingDirectory(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** Another java executable (by default {@link #javaBinary()}), e.g. to run the agent on Java 11. */
        public Builder java(Path java) {
            this.java = java;
            return this;
        }

        public List<String> command() {
            if (mainClass == null) {
                throw new IllegalStateException("ChildJvm " + name + ": no main class");
            }
            List<String> command = new ArrayList<>();
            command.add((java != null ? java : javaBinary()).toString());
            if (agentJar != null) {
                command.add("-javaagent:" + agentJar + (agentArgs == null || agentArgs.isEmpty() ? "" : "=" + agentArgs));
            }
            command.addAll(jvmArgs);
            systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-cp");
            command.add(classpath != null ? classpath : defaultClasspath());
            command.add(mainClass);
            command.addAll(args);
            return command;
        }

        public ChildJvm start() {
            List<String> command = command();
            int n = NAMES.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            String unique = n == 1 ? name : name + "-" + n;
            try {
                return new ChildJvm(unique, command, workDir, env, openStdin);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start child JVM " + unique + ": " + command, e);
            }
        }
    }
}
