package io.gcsflush.demo;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as people write them ({@code 512m}, {@code 1g}, {@code 64mb}, {@code 1048576}); units are binary. */
final class Sizes {
    private static final Pattern SIZE =
            Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(?:([kmgt])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);
    private static final long MIB = 1L << 20;

    private Sizes() {}

    /**
     * Parses a size: a bare number is bytes; {@code k m g t} (optionally followed by {@code b} or {@code ib})
     * multiply by 2^10, 2^20, 2^30, 2^40.
     *
     * @throws IllegalArgumentException with a reason fit to show the user
     */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("expected a size such as 512m, 1g, 64mb or 1048576");
        int shift = m.group(2) == null ? 0 : 10 * ("kmgt".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1);
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) throw new IllegalArgumentException("too large");
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("must come to a whole number of bytes");
        }
        return bytes.longValueExact();
    }

    /** Formats bytes for people: {@code 1.5 GiB}, {@code 312 KiB}, {@code 17 B}. */
    static String format(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }

    static double mebibytes(long bytes) {
        return bytes / (double) MIB;
    }
}
