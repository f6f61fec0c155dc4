package io.gcsflush.cli;

/** A command that cannot be carried out, with the one line that says why (and what to do), and its exit code. */
final class CliException extends Exception {
    /** The command line is wrong: exit code 2, and the usage is shown. */
    static final int USAGE = 2;
    /** The command could not be carried out: exit code 1. */
    static final int FAILED = 1;

    private final int exitCode;

    CliException(String message) {
        this(message, FAILED);
    }

    CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(message, USAGE);
    }

    int exitCode() {
        return exitCode;
    }
}
