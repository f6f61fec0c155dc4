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
        List<Double> tWithout = new java.util.ArrayList<>();
        List<Long> uWithout = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[0]))) {
            String[] f = line.split(",");
            if (f[0].equals("with")) {
                tWith.add(Double.parseDouble(f[1]));
                uWith.add(Long.parseLong(f[2]));
            } else if (f[0].equals("without")) {
                tWithout.add(Double.parseDouble(f[1]));
                uWithout.add(Long.parseLong(f[2]));
            }
        }
        java.nio.file.Files.writeString(java.nio.file.Path.of(args[4]), bound(tWith, uWith, tWithout, uWithout,
                Long.parseLong(args[1]), Double.parseDouble(args[2]), args[3]));
    }

    static String bound(List<Double> tWith, List<Long> usedWith, List<Double> tWithout, List<Long> usedWithout,
                        long threshold, double bound, String subtitle) {
        int w = 900;
        int h = 520;
        int left = 80;
        int right = 30;
        int top = 60;
        int bottom = 60;
        double maxT = 1;
        for (double t : tWith) maxT = Math.max(maxT, t);
        for (double t : tWithout) maxT = Math.max(maxT, t);
        double maxMiB = Math.max(bound, threshold) / 1048576.0;
        for (long u : usedWith) maxMiB = Math.max(maxMiB, u / 1048576.0);
        for (long u : usedWithout) maxMiB = Math.max(maxMiB, u / 1048576.0);
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
        // legend
        int lx = left + 16;
        int ly = top + 16;
        legend(s, lx, ly, "#1f77b4", "", "without the agent");
        legend(s, lx, ly + 18, "#2ca02c", "", "with the agent");
        legend(s, lx, ly + 36, "#d62728", "6 4", String.format(Locale.ROOT, "threshold (%.0f MiB)",
                threshold / 1048576.0));
        legend(s, lx, ly + 54, "#999", "2 3", String.format(Locale.ROOT, "threshold + write rate x period (%.0f MiB)",
                bound / 1048576.0));
        s.append("</svg>\n");
        return s.toString();
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
