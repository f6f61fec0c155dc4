package io.gcsflush.it.apps;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments of the writer applications ({@link JedisWriterApp}, {@link LettuceWriterApp}), and the names and
 * values of the keys they write, which the tests compute the same way to check them.
 *
 * <pre>
 * --port P            the redis-server's port (required)
 * --host H            its host, default 127.0.0.1
 * --db D              the database to write to, default 0
 * --prefix P          key prefix, default "app": keys are P:000000, P:000001, ... in that order
 * --count N           keys written at start, default 1000
 * --value-size S      bytes of each value, default 100
 * --mode M            how the client sends the writes; each app has its own modes
 * --hold-ms T         after writing, stay T ms, then exit; without it, follow stdin (see {@link WriterLoop})
 * --conditional F:M   first, try conditional writes on the test's M keys named after F (see {@link ConditionalKeys})
 * </pre>
 */
public final class WriterArgs {
    /** Key names: prefix, then the index in write order on six digits. Also a Lua format: see the tests' ChildKeys. */
    public static final String KEY_FORMAT = "%s:%06d";
    /** Commands per pipeline, async flush or transaction in the batching modes. */
    public static final int BATCH = 100;

    public final String host;
    public final int port;
    public final int db;
    public final String prefix;
    public final int count;
    public final int valueSize;
    public final String mode;
    /** Milliseconds to stay after writing, or -1 to follow stdin. */
    public final long holdMillis;
    /** The prefix of the test's keys to try conditional writes on, or null. */
    public final String conditionalPrefix;
    public final int conditionalCount;

    private WriterArgs(Map<String, String> options, String defaultMode) {
        host = options.getOrDefault("host", "127.0.0.1");
        port = Integer.parseInt(required(options, "port"));
        db = Integer.parseInt(options.getOrDefault("db", "0"));
        prefix = options.getOrDefault("prefix", "app");
        count = Integer.parseInt(options.getOrDefault("count", "1000"));
        valueSize = Integer.parseInt(options.getOrDefault("value-size", "100"));
        mode = options.getOrDefault("mode", defaultMode);
        holdMillis = Long.parseLong(options.getOrDefault("hold-ms", "-1"));
        String conditional = options.get("conditional");
        if (conditional == null) {
            conditionalPrefix = null;
            conditionalCount = 0;
        } else {
            int colon = conditional.lastIndexOf(':');
            conditionalPrefix = conditional.substring(0, colon);
            conditionalCount = Integer.parseInt(conditional.substring(colon + 1));
        }
    }

    /** Parses {@code --name value} pairs; fails on anything else. */
    public static WriterArgs parse(String[] args, String defaultMode) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return new WriterArgs(options, defaultMode);
    }

    /** The name of the key written at {@code index}. */
    public static String key(String prefix, int index) {
        return String.format(KEY_FORMAT, prefix, index);
    }

    /** The value written at {@code index}: the index, padded to {@code size} bytes. */
    public static String value(int index, int size) {
        StringBuilder value = new StringBuilder(size).append(index).append('=');
        while (value.length() < size) {
            value.append((char) ('a' + value.length() % 26));
        }
        return value.toString();
    }

    public String key(int index) {
        return key(prefix, index);
    }

    public String value(int index) {
        return value(index, valueSize);
    }

    /** {@code redis://host:port/db}: the database in the URI, as Lettuce applications usually give it. */
    public String uri() {
        return "redis://" + host + ":" + port + "/" + db;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
