package io.gcsflush.command;

/** Reading RESP arguments: ASCII words and integers, without allocating. */
public final class Args {
    private Args() {}

    /** Whether the argument is the given word, ignoring ASCII case. */
    public static boolean is(byte[] arg, String word) {
        if (arg == null || arg.length != word.length()) return false;
        for (int i = 0; i < arg.length; i++) {
            int a = arg[i];
            if (a >= 'a' && a <= 'z') a -= 32;
            if (a != word.charAt(i)) return false;
        }
        return true;
    }

    /** The argument as a decimal integer, or {@link Long#MIN_VALUE} if it is not one. */
    public static long parseLong(byte[] arg) {
        if (arg == null || arg.length == 0 || arg.length > 20) return Long.MIN_VALUE;
        int i = 0;
        boolean negative = arg[0] == '-';
        if (negative || arg[0] == '+') i++;
        if (i == arg.length) return Long.MIN_VALUE;
        long value = 0;
        for (; i < arg.length; i++) {
            int d = arg[i] - '0';
            if (d < 0 || d > 9) return Long.MIN_VALUE;
            if (value > (Long.MAX_VALUE - d) / 10) return Long.MIN_VALUE;
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }
}
