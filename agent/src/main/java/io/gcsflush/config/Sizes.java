package io.gcsflush.config;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as users write them: {@code 2g}, {@code 512MiB}, {@code 1.5G}, {@code 1048576}. Units are binary. */
public final class Sizes {
    private static final Pattern SIZE =
            Pattern.compile("([0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)\\s*(?:([kmgt])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);
    private static final String EXPECTED = "expected a size such as 2g, 512m, 64mb or 1048576";

    private Sizes() {}

    /**
     * Parses a size. A bare number is bytes; {@code k m g t} (any case, optionally followed by {@code b} or
     * {@code ib}) multiply by 2^10, 2^20, 2^30, 2^40. Fractions are allowed with a unit ({@code 1.5g}).
     *
     * @throws IllegalArgumentException with a message fit to show the user
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException(EXPECTED);
        int shift = 0;
        if (m.group(2) != null) {
            shift = 10 * ("kmgt".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1);
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("size is too large");
        }
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("size must come to a whole number of bytes");
        }
        return bytes.longValueExact();
    }

    /**
     * Formats bytes for people: {@code 1.5 GiB}, {@code 312 KiB}, {@code 17 B}; one decimal below 100 of a unit.
     * Without {@code String.format}, whose first use costs an application tens of milliseconds of start-up.
     */
    public static String format(long bytes) {
        if (bytes < 1024 && bytes > -1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        long tenths = Math.round(Math.abs(value) * 10);
        String sign = bytes < 0 ? "-" : "";
        if (tenths >= 1000) return sign + Math.round(Math.abs(value)) + " " + units[unit];
        return sign + tenths / 10 + "." + tenths % 10 + " " + units[unit];
    }
}
