package io.gcsflush.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** min / median / max of a few repetitions. */
final class Stats {
    final List<Double> values = new ArrayList<>();

    void add(double v) {
        values.add(v);
    }

    double min() {
        return Collections.min(values);
    }

    double max() {
        return Collections.max(values);
    }

    double median() {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    int size() {
        return values.size();
    }

    /** {@code min/median/max} with a format such as {@code %.0f}. */
    String describe(String format) {
        return String.format(Locale.ROOT, format + "/" + format + "/" + format, min(), median(), max());
    }

    String all(String format) {
        StringBuilder b = new StringBuilder();
        for (double v : values) b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, format, v));
        return b.toString();
    }
}
