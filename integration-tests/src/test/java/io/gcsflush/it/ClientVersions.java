package io.gcsflush.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The client versions of the version matrix, as {@code client-versions.properties} (on the test classpath) lists them:
 * the one place they are written down.
 */
final class ClientVersions {
    static final String RESOURCE = "/client-versions.properties";

    /** A client library, by its Maven coordinates. */
    enum Family {
        JEDIS("Jedis", "redis.clients", "jedis", "redis.clients.jedis.Jedis"),
        LETTUCE("Lettuce", "io.lettuce", "lettuce-core", "io.lettuce.core.RedisClient"),
        REDISSON("Redisson", "org.redisson", "redisson", "org.redisson.Redisson");

        final String displayName;
        final String groupId;
        final String artifactId;
        /** A class of the client, for the application to tell which jar it loaded the client from. */
        final String mainClass;

        Family(String displayName, String groupId, String artifactId, String mainClass) {
            this.displayName = displayName;
            this.groupId = groupId;
            this.artifactId = artifactId;
            this.mainClass = mainClass;
        }

        /** The key of the family's list in the properties file: {@code jedis}. */
        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One version of one client. */
    record ClientVersion(Family family, String version) {
        /** {@code redis.clients:jedis:3.10.0}. */
        String coordinates() {
            return family.groupId + ":" + family.artifactId + ":" + version;
        }

        /** The folder name of its jars: {@code jedis-3.10.0}. */
        String folderName() {
            return family.artifactId + "-" + version;
        }

        /** The major version: 3 for 3.10.0, 6 for 6.8.2.RELEASE. */
        int major() {
            return Integer.parseInt(version.substring(0, version.indexOf('.')));
        }

        @Override
        public String toString() {
            return family.displayName + " " + version;
        }
    }

    private static final Properties PROPERTIES = load();

    private ClientVersions() {
    }

    /** The supported versions of a family, oldest first. */
    static List<ClientVersion> of(Family family) {
        return list(family, family.key());
    }

    /** Every supported version, Jedis first, each family oldest first. */
    static List<ClientVersion> all() {
        List<ClientVersion> all = new ArrayList<>();
        for (Family f : Family.values()) {
            all.addAll(of(f));
        }
        return all;
    }

    /** The newest supported version of a family: the last one listed. */
    static ClientVersion newest(Family family) {
        List<ClientVersion> versions = of(family);
        return versions.get(versions.size() - 1);
    }

    /** Versions of a family that the agent does not support (possibly none). */
    static List<ClientVersion> unsupported(Family family) {
        return PROPERTIES.containsKey(family.key() + ".unsupported") ? list(family, family.key() + ".unsupported")
                : List.of();
    }

    private static List<ClientVersion> list(Family family, String key) {
        String value = PROPERTIES.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(RESOURCE + " lists no " + key);
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .map(v -> new ClientVersion(family, v))
                .collect(Collectors.toUnmodifiableList());
    }

    private static Properties load() {
        try (InputStream in = ClientVersions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
