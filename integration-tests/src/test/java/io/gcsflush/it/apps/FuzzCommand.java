package io.gcsflush.it.apps;

import java.nio.charset.StandardCharsets;

/** One command of the fuzz application: its name, its arguments, which of them are keys, and its kind of reply. */
public final class FuzzCommand {
    /** The kind of reply, which picks the output a Lettuce application would use for it. */
    public enum Reply { STATUS, INTEGER, BOOLEAN, BULK, ARRAY, DOUBLE }

    /** An error reply, as the application saw it. */
    public record Err(String message) {
        public String kind() {
            int space = message.indexOf(' ');
            return space < 0 ? message : message.substring(0, space);
        }
    }

    public final String name;
    public final byte[][] args;
    /** Bit i: {@code args[i]} is a key. */
    public final long keyMask;
    public final Reply reply;
    /** For EVAL: which script of {@link FuzzCommands#SCRIPTS}; else -1. */
    public final int script;

    FuzzCommand(String name, byte[][] args, long keyMask, Reply reply, int script) {
        this.name = name;
        this.args = args;
        this.keyMask = keyMask;
        this.reply = reply;
        this.script = script;
    }

    public boolean isKey(int i) {
        return i < 64 && (keyMask & (1L << i)) != 0;
    }

    public String arg(int i) {
        return new String(args[i], StandardCharsets.ISO_8859_1);
    }

    /** Whether an argument equals a word, ignoring case. */
    public boolean has(String word) {
        for (byte[] a : args) {
            if (a.length == word.length() && new String(a, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word)) {
                return true;
            }
        }
        return false;
    }

    /** The index of the first argument equal to a word, ignoring case, or -1. */
    public int indexOf(String word) {
        for (int i = 0; i < args.length; i++) {
            byte[] a = args[i];
            if (a.length == word.length() && new String(a, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        for (byte[] a : args) b.append(' ').append(FuzzKeys.show(a));
        return b.toString();
    }
}
