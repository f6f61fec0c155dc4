package io.gcsflush.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent jar's command line, run as a user runs it: {@code java -jar gcs-flush.jar ARGS}, with the same java as
 * the tests. Its output goes to {@code target/child-logs/cli-N.log} too.
 */
final class GcsFlushCli {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static int runs;

    /** What one run printed, and its exit code. */
    record Result(List<String> command, int exitCode, String out, String err) {
        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exitCode + "\nout: " + out + "\nerr: " + err;
        }
    }

    private GcsFlushCli() {
    }

    static Result run(String... args) {
        return runWith(List.of(), args);
    }

    /** As {@link #run}, with options for the command line's own JVM. */
    static Result runWith(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaBinary().toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", AgentJar.path().toString()));
        command.addAll(Arrays.asList(args));
        try {
            Path log;
            synchronized (GcsFlushCli.class) {
                log = TestDirs.underTarget("child-logs").resolve("cli-" + (++runs) + ".log");
            }
            Path out = Files.createTempFile("gcs-flush-cli", ".out");
            Path err = Files.createTempFile("gcs-flush-cli", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
            ProcessReaper.register(process);
            try {
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    ProcessReaper.killTree(process);
                    throw new AssertionError("java -jar gcs-flush.jar " + String.join(" ", args) + " took more than "
                            + TIMEOUT);
                }
            } finally {
                ProcessReaper.unregister(process);
            }
            Result result = new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.writeString(log, result.toString(), StandardCharsets.UTF_8);
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
