package io.gcsflush.instrument;

import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

/** The version of a client library as its jar's Maven metadata tells it, for messages. */
final class ClientVersions {
    private ClientVersions() {}

    static String describe(ClassLoader loader, String family) {
        String path;
        switch (family.toLowerCase(Locale.ROOT)) {
            case "jedis": path = "META-INF/maven/redis.clients/jedis/pom.properties"; break;
            case "lettuce": path = "META-INF/maven/io.lettuce/lettuce-core/pom.properties"; break;
            case "redisson": path = "META-INF/maven/org.redisson/redisson/pom.properties"; break;
            default: return "(unknown version)";
        }
        return read(loader, path);
    }

    /** The version in the Maven metadata at {@code path} (META-INF/maven/.../pom.properties), as a loader sees it. */
    static String read(ClassLoader loader, String path) {
        if (loader == null) return "(unknown version)";
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) return "(unknown version)";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(unknown version)");
        } catch (Exception e) {
            return "(unknown version)";
        }
    }
}
