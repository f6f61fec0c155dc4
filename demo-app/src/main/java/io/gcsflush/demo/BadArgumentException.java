package io.gcsflush.demo;

/** A command-line argument the demo cannot use; the message names it and its value. */
final class BadArgumentException extends Exception {
    private static final long serialVersionUID = 1L;

    BadArgumentException(String message) {
        super(message);
    }
}
