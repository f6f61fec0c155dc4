package io.gcsflush.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The demo's command line, parsed and checked. */
final class DemoOptions {
    static final String USAGE = String.join("\n",
            "usage: java -jar gcs-flush-demo.jar [options]",
            "  --redis URI        write to this server, e.g. redis://localhost:6379/0",
            "                     (default: start an embedded redis-server on a free port)",
            "  --duration TIME    stop after this long, e.g. 90s, 2m (default: until Ctrl-C)",
            "  --threads N        writer threads, half Jedis, half Lettuce (default: 4)",
            "  --rate N           at most N entries per second in all (default: no cap)",
            "  --value-size SIZE  size of each object value (default: random, 100 to 900 bytes)",
            "  --stop-at SIZE     stop writing when Redis used_memory reaches this (default: 1g)",
            "  --mark SIZE        draw a dashed \"threshold\" line at this size on the chart",
            "  --chart FILE       where to write the SVG chart; samples go to the same name .csv",
            "                     (default: gcs-flush-demo.svg)",
            "  --help             show this text");

    static final int MAX_THREADS = 256;
    static final long MAX_VALUE_SIZE = 64L << 20;

    RedisTarget redis;          // null: start an embedded server
    Duration duration;          // null: until Ctrl-C
    int threads = 4;
    long rate;                  // entries per second in all; 0: no cap
    int valueSize;              // 0: random sizes
    long stopAt = 1L << 30;
    long mark;                  // 0: no line
    Path chart = Path.of("gcs-flush-demo.svg");
    boolean help;

    /** Parses {@code --name value} and {@code --name=value} arguments. */
    static DemoOptions parse(String... args) throws BadArgumentException {
        DemoOptions o = new DemoOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                o.help = true;
                continue;
            }
            if (!arg.startsWith("--")) throw new BadArgumentException("unexpected argument '" + arg + "'");
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (!isKnown(name)) throw new BadArgumentException("unknown option " + name);
                if (i + 1 >= args.length) throw new BadArgumentException(name + " needs a value");
                value = args[++i];
            }
            o.set(name, value);
        }
        return o;
    }

    private static boolean isKnown(String name) {
        switch (name) {
            case "--redis": case "--duration": case "--threads": case "--rate": case "--value-size":
            case "--stop-at": case "--mark": case "--chart":
                return true;
            default:
                return false;
        }
    }

    private void set(String name, String value) throws BadArgumentException {
        if (!isKnown(name)) throw new BadArgumentException("unknown option " + name);
        try {
            switch (name) {
                case "--redis": redis = RedisTarget.parse(value); break;
                case "--duration": duration = Durations.parse(value); break;
                case "--threads": threads = (int) count(value, 1, MAX_THREADS); break;
                case "--rate": rate = count(value, 1, 1_000_000_000L); break;
                case "--value-size": valueSize = (int) size(value, 1, MAX_VALUE_SIZE); break;
                case "--stop-at": stopAt = size(value, 1, Long.MAX_VALUE); break;
                case "--mark": mark = size(value, 1, Long.MAX_VALUE); break;
                default: chart = chartPath(value); break;
            }
        } catch (IllegalArgumentException e) {
            throw new BadArgumentException("bad " + name + " '" + value + "': " + e.getMessage());
        }
    }

    private static long count(String text, long min, long max) {
        long n;
        try {
            n = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
        if (n < min || n > max) throw new IllegalArgumentException("expected " + min + " to " + max);
        return n;
    }

    private static long size(String text, long min, long max) {
        long n = Sizes.parse(text);
        if (n < min) throw new IllegalArgumentException("must be at least " + min + " byte");
        if (n > max) throw new IllegalArgumentException("must be at most " + Sizes.format(max));
        return n;
    }

    private static Path chartPath(String text) {
        if (text.isBlank()) throw new IllegalArgumentException("expected a file name");
        return Path.of(text);
    }

    /** The CSV of samples sits next to the chart: {@code demo.svg} gives {@code demo.csv}. */
    Path csv() {
        String name = chart.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".svg") ? name.substring(0, name.length() - 4) : name;
        return chart.resolveSibling(base + ".csv");
    }
}
