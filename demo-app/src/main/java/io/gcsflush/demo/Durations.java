package io.gcsflush.demo;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 90s}, {@code 2m}, {@code 1.5h}, {@code 500ms}; a bare number is seconds. */
final class Durations {
    private static final Pattern DURATION =
            Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    private Durations() {}

    /**
     * Parses a positive duration.
     *
     * @throws IllegalArgumentException with a reason fit to show the user
     */
    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("expected a duration such as 90s, 2m, 1h or 500ms");
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        long nanosPerUnit;
        switch (unit) {
            case "ms": nanosPerUnit = 1_000_000L; break;
            case "s": nanosPerUnit = 1_000_000_000L; break;
            case "m": nanosPerUnit = 60_000_000_000L; break;
            default: nanosPerUnit = 3_600_000_000_000L; break;
        }
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit));
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) throw new IllegalArgumentException("too long");
        if (nanos.compareTo(BigDecimal.valueOf(1_000_000L)) < 0) {
            throw new IllegalArgumentException("must be at least 1ms");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** Formats a duration for people: {@code 90s}, {@code 1.5s}, {@code 250ms}. */
    static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + "s";
        if (nanos < 1_000_000_000L) return String.format(Locale.ROOT, "%.0fms", nanos / 1e6);
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }
}
