package io.gcsflush.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws used_memory (MiB, left axis) and the key count (right axis) over time as a self-contained SVG,
 * with an optional dashed "threshold" line.
 */
final class SvgChart {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final int LEFT = 80;
    private static final int RIGHT = 90;
    private static final int TOP = 84;
    private static final int BOTTOM = 56;
    private static final int PLOT_W = WIDTH - LEFT - RIGHT;
    private static final int PLOT_H = HEIGHT - TOP - BOTTOM;
    private static final String MEMORY_COLOR = "#1f77b4";
    private static final String KEYS_COLOR = "#ff7f0e";
    private static final String MARK_COLOR = "#d62728";

    private final String title;
    private final String subtitle;
    private final long markBytes;

    /** @param markBytes where to draw the threshold line, or 0 for none */
    SvgChart(String title, String subtitle, long markBytes) {
        this.title = title;
        this.subtitle = subtitle;
        this.markBytes = markBytes;
    }

    void write(Path file, List<Sample> samples) throws IOException {
        Recording.createParent(file);
        Files.writeString(file, render(samples), StandardCharsets.UTF_8);
    }

    String render(List<Sample> samples) {
        double maxSeconds = 0;
        double maxMib = markBytes > 0 ? Sizes.mebibytes(markBytes) : 0;
        long maxKeys = 0;
        for (Sample s : samples) {
            maxSeconds = Math.max(maxSeconds, s.seconds());
            maxMib = Math.max(maxMib, Sizes.mebibytes(s.usedMemory()));
            maxKeys = Math.max(maxKeys, s.keys());
        }
        Axis x = Axis.of(Math.max(maxSeconds, 1), 10);
        Axis y = Axis.of(Math.max(maxMib * 1.05, 1), 8);
        Axis k = Axis.of(Math.max(maxKeys * 1.05, 10), 8);

        StringBuilder svg = new StringBuilder(16_384);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, HEIGHT));
        text(svg, WIDTH / 2.0, 26, "middle", "font-size=\"18\" font-weight=\"bold\"", title);
        if (subtitle != null && !subtitle.isEmpty()) text(svg, WIDTH / 2.0, 46, "middle", "fill=\"#444\"", subtitle);

        gridAndAxes(svg, x, y, k);
        if (!samples.isEmpty()) {
            polyline(svg, samples, x, k, true, KEYS_COLOR, "1.5");
            polyline(svg, samples, x, y, false, MEMORY_COLOR, "2.5");
        }
        if (markBytes > 0) threshold(svg, y);
        legend(svg);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void gridAndAxes(StringBuilder svg, Axis x, Axis y, Axis k) {
        svg.append("<g stroke=\"#e3e3e3\" stroke-width=\"1\">\n");
        for (double v : y.ticks()) line(svg, LEFT, py(v, y), LEFT + PLOT_W, py(v, y), null);
        for (double v : x.ticks()) line(svg, px(v, x), TOP, px(v, x), TOP + PLOT_H, null);
        svg.append("</g>\n");
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
                LEFT, TOP, PLOT_W, PLOT_H));
        for (double v : x.ticks()) {
            line(svg, px(v, x), TOP + PLOT_H, px(v, x), TOP + PLOT_H + 5, "#333");
            text(svg, px(v, x), TOP + PLOT_H + 19, "middle", null, x.label(v));
        }
        for (double v : y.ticks()) {
            line(svg, LEFT - 5, py(v, y), LEFT, py(v, y), "#333");
            text(svg, LEFT - 8, py(v, y) + 4, "end", "fill=\"" + MEMORY_COLOR + "\"", y.label(v));
        }
        for (double v : k.ticks()) {
            line(svg, LEFT + PLOT_W, py(v, k), LEFT + PLOT_W + 5, py(v, k), "#333");
            text(svg, LEFT + PLOT_W + 8, py(v, k) + 4, "start", "fill=\"" + KEYS_COLOR + "\"", compact(v));
        }
        text(svg, LEFT + PLOT_W / 2.0, HEIGHT - 14, "middle", null, "seconds");
        verticalText(svg, 22, TOP + PLOT_H / 2.0, MEMORY_COLOR, "used_memory (MiB)");
        verticalText(svg, WIDTH - 16, TOP + PLOT_H / 2.0, KEYS_COLOR, "keys");
    }

    private static void polyline(StringBuilder svg, List<Sample> samples, Axis x, Axis y, boolean keys,
                                 String color, String width) {
        svg.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"").append(width)
                .append("\" stroke-linejoin=\"round\" points=\"");
        for (Sample s : samples) {
            double v = keys ? s.keys() : Sizes.mebibytes(s.usedMemory());
            svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(s.seconds(), x), py(v, y)));
        }
        svg.append("\"/>\n");
    }

    private void threshold(StringBuilder svg, Axis y) {
        double yy = py(Sizes.mebibytes(markBytes), y);
        svg.append(String.format(Locale.ROOT,
                "<line class=\"threshold\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\""
                        + " stroke-width=\"1.5\" stroke-dasharray=\"8 5\"/>\n",
                LEFT, yy, LEFT + PLOT_W, yy, MARK_COLOR));
        text(svg, LEFT + PLOT_W - 6, yy - 6, "end", "fill=\"" + MARK_COLOR + "\"",
                "threshold " + Sizes.format(markBytes));
    }

    private void legend(StringBuilder svg) {
        double x = LEFT;
        double y = TOP - 14;
        x = legendItem(svg, x, y, MEMORY_COLOR, null, "used_memory (left axis)");
        x = legendItem(svg, x, y, KEYS_COLOR, null, "keys (right axis)");
        if (markBytes > 0) legendItem(svg, x, y, MARK_COLOR, "8 5", "threshold");
    }

    private static double legendItem(StringBuilder svg, double x, double y, String color, String dash, String label) {
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\"%s/>\n",
                x, y - 4, x + 24, y - 4, color, dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
        text(svg, x + 30, y, "start", null, label);
        return x + 30 + label.length() * 7.2 + 24;
    }

    private static double px(double seconds, Axis x) {
        return LEFT + seconds / x.max * PLOT_W;
    }

    private static double py(double value, Axis y) {
        return TOP + PLOT_H - value / y.max * PLOT_H;
    }

    private static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String color) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"%s/>\n",
                x1, y1, x2, y2, color == null ? "" : " stroke=\"" + color + "\""));
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String attributes, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>\n",
                x, y, anchor, attributes == null ? "" : " " + attributes, escape(content)));
    }

    private static void verticalText(StringBuilder svg, double x, double y, String color, String content) {
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\""
                        + " transform=\"rotate(-90 %.1f %.1f)\">%s</text>\n",
                x, y, color, x, y, escape(content)));
    }

    /** 950, 12k, 1.5M: key counts short enough for the right axis. */
    static String compact(double v) {
        if (v >= 1e6) return trim(v / 1e6) + "M";
        if (v >= 1e3) return trim(v / 1e3) + "k";
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                default: out.append(c < 0x20 ? ' ' : c);
            }
        }
        return out.toString();
    }

    /** An axis from 0 to a round maximum, with round steps (1, 2 or 5 times a power of ten). */
    static final class Axis {
        final double max;
        final double step;

        private Axis(double max, double step) {
            this.max = max;
            this.step = step;
        }

        static Axis of(double dataMax, int targetTicks) {
            double raw = dataMax / targetTicks;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / magnitude;
            double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
            return new Axis(Math.ceil(dataMax / step - 1e-9) * step, step);
        }

        double[] ticks() {
            int n = (int) Math.round(max / step);
            double[] ticks = new double[n + 1];
            for (int i = 0; i <= n; i++) ticks[i] = i * step;
            return ticks;
        }

        String label(double v) {
            return step >= 1 ? String.format(Locale.ROOT, "%.0f", v) : trim(v);
        }
    }
}
