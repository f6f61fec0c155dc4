package io.gcsflush.command;

import java.util.Locale;

/** Where a command's keys are among its arguments. See {@link CommandTable} for the notation. */
public final class KeySpec {
    enum Kind { NONE, AT, FIRST_TWO, ALL_FROM, PAIRS_FROM, NUMKEYS, AFTER_OPTION }

    final Kind kind;
    /** 0-based argument index (AT, ALL_FROM, PAIRS_FROM, the count for NUMKEYS). */
    final int index;
    /** The option whose next argument is the key (AFTER_OPTION). */
    final String option;

    private KeySpec(Kind kind, int index, String option) {
        this.kind = kind;
        this.index = index;
        this.option = option;
    }

    static KeySpec parse(String text) {
        if (text.equals("-")) return new KeySpec(Kind.NONE, -1, null);
        if (text.equals("1,2")) return new KeySpec(Kind.FIRST_TWO, 0, null);
        if (text.startsWith("numkeys@")) return new KeySpec(Kind.NUMKEYS, Integer.parseInt(text.substring(8)) - 1, null);
        if (text.startsWith("opt:")) return new KeySpec(Kind.AFTER_OPTION, -1, text.substring(4).toUpperCase(Locale.ROOT));
        if (text.endsWith("..+2")) return new KeySpec(Kind.PAIRS_FROM, Integer.parseInt(text.substring(0, text.length() - 4)) - 1, null);
        if (text.endsWith("..")) return new KeySpec(Kind.ALL_FROM, Integer.parseInt(text.substring(0, text.length() - 2)) - 1, null);
        return new KeySpec(Kind.AT, Integer.parseInt(text) - 1, null);
    }

    /** The index of the first key, or -1 if the command as sent names none. */
    public int first(CommandView cmd) {
        switch (kind) {
            case AT: case FIRST_TWO: case ALL_FROM: case PAIRS_FROM:
                return index < cmd.argCount() ? index : -1;
            case NUMKEYS:
                return count(cmd) > 0 ? index + 1 : -1;
            case AFTER_OPTION:
                for (int i = 1; i + 1 < cmd.argCount(); i++) {
                    if (Args.is(cmd.arg(i), option)) return i + 1;
                }
                return -1;
            default:
                return -1;
        }
    }

    /** The number of keys in this command as sent. */
    public int count(CommandView cmd) {
        int n = cmd.argCount();
        switch (kind) {
            case AT: case AFTER_OPTION: return first(cmd) >= 0 ? 1 : 0;
            case FIRST_TWO: return Math.min(2, n);
            case ALL_FROM: return Math.max(0, n - index);
            case PAIRS_FROM: return Math.max(0, (n - index) / 2);
            case NUMKEYS:
                if (index >= n) return 0;
                long keys = Args.parseLong(cmd.arg(index));
                return keys < 0 || keys > n - index - 1 ? 0 : (int) keys;
            default: return 0;
        }
    }

    /** The index of the i-th key (0-based). */
    public int keyIndex(CommandView cmd, int i) {
        switch (kind) {
            case PAIRS_FROM: return index + 2 * i;
            case AFTER_OPTION: return first(cmd);
            case NUMKEYS: return index + 1 + i;
            default: return index + i;
        }
    }

    @Override
    public String toString() {
        return kind + (index >= 0 ? "@" + (index + 1) : "") + (option != null ? ":" + option : "");
    }
}
