package io.gcsflush.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them: {@code 10s}, {@code 250ms}, {@code 1.5m}, {@code 2h}; a bare number is seconds. */
public final class Durations {
    private static final Pattern DURATION =
            Pattern.compile("([0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    private Durations() {}

    /**
     * Parses a positive duration into nanoseconds.
     *
     * @throws IllegalArgumentException with a message fit to show the user
     */
    public static long parseNanos(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("expected a duration such as 10s, 500ms, 1.5m, 2h or 0.5");
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        long nanosPerUnit;
        switch (unit) {
            case "ms": nanosPerUnit = 1_000_000L; break;
            case "s": nanosPerUnit = 1_000_000_000L; break;
            case "m": nanosPerUnit = 60_000_000_000L; break;
            default: nanosPerUnit = 3_600_000_000_000L; break;
        }
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit));
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) throw new IllegalArgumentException("duration is too long");
        if (nanos.compareTo(BigDecimal.valueOf(1_000_000L)) < 0) throw new IllegalArgumentException("duration must be at least 1ms");
        return nanos.longValue();
    }

    /** Formats nanoseconds for people: {@code 10s}, {@code 250ms}, {@code 1.5s}. */
    public static String format(long nanos) {
        if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + "s";
        if (nanos < 1_000_000_000L) return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString() + "s";
    }
}
