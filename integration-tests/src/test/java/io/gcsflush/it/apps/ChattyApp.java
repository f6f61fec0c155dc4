package io.gcsflush.it.apps;

/**
 * Prints {@code lines} numbered lines to stdout and as many to stderr, interleaved, then
 * {@code bye} and exits with {@code exitCode}: far more than an OS pipe holds, to prove that the
 * harness drains both streams while the child runs.
 *
 * <p>Arguments: {@code lines exitCode}.
 */
public final class ChattyApp {

    private ChattyApp() {
    }

    public static void main(String[] args) {
        int lines = Integer.parseInt(args[0]);
        int exitCode = Integer.parseInt(args[1]);
        for (int i = 0; i < lines; i++) {
            System.out.println("out " + i);
            System.err.println("err " + i);
        }
        System.out.println("bye");
        System.out.flush();
        System.exit(exitCode);
    }
}
