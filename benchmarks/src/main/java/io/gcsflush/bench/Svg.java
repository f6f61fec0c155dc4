package io.gcsflush.bench;

import java.util.List;
import java.util.Locale;

/** A self-contained SVG line chart of used_memory over time: with and without the agent, the threshold, the bound. */
final class Svg {
    private Svg() {}

    /**
     * Re-draws a chart from the CSV target 4 writes ({@code run,seconds,used_memory}):
     * {@code Svg bound.csv THRESHOLD_BYTES BOUND_BYTES "subtitle" out.svg}.
     */
    public static void main(String[] args) throws Exception {
        List<Double> tWith = new java.util.ArrayList<>();
        List<Long> uWith = new java.util.ArrayList<>();
        List<Double> tAdaptive = new java.util.ArrayList<>();
        List<Long> uAdaptive = new java.util.ArrayList<>();
        List<Double> tWithout = new java.util.ArrayList<>();
        List<Long> uWithout = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[0]))) {
            String[] f = line.split(",");
            if (f[0].equals("with")) {
                tWith.add(Double.parseDouble(f[1]));
                uWith.add(Long.parseLong(f[2]));
            } else if (f[0].equals("adaptive")) {
                tAdaptive.add(Double.parseDouble(f[1]));
                uAdaptive.add(Long.parseLong(f[2]));
            } else if (f[0].equals("without")) {
                tWithout.add(Double.parseDouble(f[1]));
                uWithout.add(Long.parseLong(f[2]));
            }
        }
        java.nio.file.Files.writeString(java.nio.file.Path.of(args[4]), bound(tWith, uWith, tAdaptive, uAdaptive,
                tWithout, uWithout, Long.parseLong(args[1]), Double.parseDouble(args[2]), args[3]));
    }

    static String bound(List<Double> tWith, List<Long> usedWith, List<Double> tAdaptive, List<Long> usedAdaptive,
                        List<Double> tWithout, List<Long> usedWithout, long threshold, double bound, String subtitle) {
        int w = 900;
        int h = 520;
        int left = 80;
        int right = 30;
        int top = 60;
        int bottom = 60;
        double maxT = 1;
        for (double t : tWith) maxT = Math.max(maxT, t);
        for (double t : tWithout) maxT = Math.max(maxT, t);
        for (double t : tAdaptive) maxT = Math.max(maxT, t);
        double maxMiB = Math.max(bound, threshold) / 1048576.0;
        for (long u : usedWith) maxMiB = Math.max(maxMiB, u / 1048576.0);
        for (long u : usedWithout) maxMiB = Math.max(maxMiB, u / 1048576.0);
        for (long u : usedAdaptive) maxMiB = Math.max(maxMiB, u / 1048576.0);
        maxMiB = niceCeil(maxMiB * 1.05);
        maxT = niceCeil(maxT);
        double pw = w - left - right;
        double ph = h - top - bottom;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", w, h, w, h));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">Redis "
                + "used_memory under a pipelined writer, with and without gcs-flush</text>%n", left));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"44\" fill=\"#555\">%s</text>%n", left, esc(subtitle)));
        // axes and grid
        for (int i = 0; i <= 5; i++) {
            double v = maxMiB * i / 5;
            double y = top + ph - ph * i / 5;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    left, y, w - right, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n",
                    left - 6, y + 4, v));
        }
        for (int i = 0; i <= 5; i++) {
            double v = maxT * i / 5;
            double x = left + pw * i / 5;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
                    x, top, x, top + (int) ph));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n",
                    x, top + (int) ph + 18, v));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
                + "stroke=\"#333\"/>%n", left, top, pw, ph));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">time since the writer "
                + "started (s)</text>%n", left + pw / 2, h - 18));
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(20 %.1f) rotate(-90)\" text-anchor=\"middle\">"
                + "used_memory (MiB)</text>%n", top + ph / 2));
        // threshold and bound
        double yThr = top + ph - ph * (threshold / 1048576.0) / maxMiB;
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d62728\" "
                + "stroke-dasharray=\"6 4\"/>%n", left, yThr, w - right, yThr));
        double yBound = top + ph - ph * (bound / 1048576.0) / maxMiB;
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\" "
                + "stroke-dasharray=\"2 3\"/>%n", left, yBound, w - right, yBound));
        s.append(polyline(tWithout, usedWithout, left, top, pw, ph, maxT, maxMiB, "#1f77b4"));
        s.append(polyline(tWith, usedWith, left, top, pw, ph, maxT, maxMiB, "#2ca02c"));
        s.append(polyline(tAdaptive, usedAdaptive, left, top, pw, ph, maxT, maxMiB, "#9467bd"));
        // legend
        int lx = left + 16;
        int ly = top + 16;
        legend(s, lx, ly, "#1f77b4", "", "without the agent");
        legend(s, lx, ly + 18, "#2ca02c", "", "with the agent, policy=ray");
        legend(s, lx, ly + 36, "#9467bd", "", "with the agent, policy=adaptive");
        legend(s, lx, ly + 54, "#d62728", "6 4", String.format(Locale.ROOT, "threshold (%.0f MiB)",
                threshold / 1048576.0));
        legend(s, lx, ly + 72, "#999", "2 3", String.format(Locale.ROOT, "threshold + write rate x period (%.0f MiB)",
                bound / 1048576.0));
        s.append("</svg>\n");
        return s.toString();
    }

    /** The side-by-side runs of one mode: used_memory (top) and each second's p99 latency (bottom, log scale). */
    static String sideBySide(List<SideBySide.Run> runs, long limit, String subtitle) {
        int w = 960;
        int left = 80;
        int right = 200;
        int top = 60;
        int panel = 260;
        int gap = 70;
        int h = top + panel + gap + panel + 50;
        double pw = w - left - right;
        double maxT = 1;
        double maxMiB = limit / 1048576.0;
        long minUs = Long.MAX_VALUE;
        long maxUs = 1;
        for (SideBySide.Run r : runs) {
            for (double t : r.t) maxT = Math.max(maxT, t);
            for (long u : r.used) maxMiB = Math.max(maxMiB, u / 1048576.0);
            for (long p : r.secondP99) {
                minUs = Math.min(minUs, Math.max(1, p));
                maxUs = Math.max(maxUs, p);
            }
        }
        maxT = niceCeil(maxT);
        maxMiB = niceCeil(maxMiB * 1.05);
        double lo = Math.floor(Math.log10(minUs == Long.MAX_VALUE ? 10 : minUs));
        double hi = Math.max(lo + 1, Math.ceil(Math.log10(maxUs)));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", w, h, w, h));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">gcs-flush "
                + "and Redis eviction side by side: used_memory and p99 latency</text>%n", left));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"44\" fill=\"#555\">%s</text>%n", left, esc(subtitle)));
        // used_memory panel
        for (int i = 0; i <= 5; i++) {
            double y = top + panel - panel * i / 5.0;
            s.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", left, y, left + pw, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", left - 6,
                    y + 4, maxMiB * i / 5));
        }
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(20 %d) rotate(-90)\" text-anchor=\"middle\">"
                + "used_memory (MiB)</text>%n", top + panel / 2));
        double yLimit = top + panel - panel * (limit / 1048576.0) / maxMiB;
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#000\" "
                + "stroke-dasharray=\"6 4\"/>%n", left, yLimit, left + pw, yLimit));
        // p99 panel, log scale
        int top2 = top + panel + gap;
        for (double e = lo; e <= hi; e++) {
            double y = top2 + panel - panel * (e - lo) / (hi - lo);
            s.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", left, y, left + pw, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left - 6,
                    y + 4, formatMillis(Math.pow(10, e) / 1000.0)));
        }
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(20 %d) rotate(-90)\" text-anchor=\"middle\">"
                + "p99 of each second (ms)</text>%n", top2 + panel / 2));
        for (int p = 0; p < 2; p++) {
            int y0 = p == 0 ? top : top2;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%d\" fill=\"none\" "
                    + "stroke=\"#333\"/>%n", left, y0, pw, panel));
            for (int i = 0; i <= 5; i++) {
                double x = left + pw * i / 5;
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n", x,
                        y0 + panel + 16, maxT * i / 5));
            }
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">seconds since the "
                + "application started</text>%n", left + pw / 2, h - 10));
        int ly = top + 10;
        for (SideBySide.Run r : runs) {
            String color = color(r.name);
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < r.t.size(); i++) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + pw * r.t.get(i) / maxT,
                        top + panel - panel * (r.used.get(i) / 1048576.0) / maxMiB));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
                    + "points=\"%s\"/>%n", color, pts.toString().trim()));
            StringBuilder lat = new StringBuilder();
            for (int i = 0; i < r.secondT.size(); i++) {
                double v = Math.log10(Math.max(1, r.secondP99.get(i)));
                lat.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + pw * r.secondT.get(i) / maxT,
                        top2 + panel - panel * Math.max(0, Math.min(1, (v - lo) / (hi - lo)))));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
                    + "points=\"%s\"/>%n", color, lat.toString().trim()));
            legend(s, (int) (left + pw + 16), ly, color, "", r.name);
            ly += 18;
        }
        legend(s, (int) (left + pw + 16), ly, "#000", "6 4", String.format(Locale.ROOT, "limit (%.0f MiB)",
                limit / 1048576.0));
        s.append("</svg>\n");
        return s.toString();
    }

    static String color(String run) {
        switch (run) {
            case "ray": return "#2ca02c";
            case "adaptive": return "#9467bd";
            case "allkeys-lru": return "#1f77b4";
            case "allkeys-lfu": return "#ff7f0e";
            case "volatile-ttl": return "#8c564b";
            case "noeviction": return "#d62728";
            default: return "#7f7f7f";
        }
    }

    private static String formatMillis(double ms) {
        return ms >= 1 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%s", ms);
    }

    private static void legend(StringBuilder s, int x, int y, String color, String dash, String text) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"2\"%s/>%n", x, y, x + 24, y, color,
                dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\""));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 30, y + 4, esc(text)));
    }

    private static String polyline(List<Double> t, List<Long> used, int left, int top, double pw, double ph,
                                   double maxT, double maxMiB, String color) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < t.size(); i++) {
            double x = left + pw * t.get(i) / maxT;
            double y = top + ph - ph * (used.get(i) / 1048576.0) / maxMiB;
            p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                color, p.toString().trim());
    }

    private static double niceCeil(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) if (m * mag >= v) return m * mag;
        return 10 * mag;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
