package io.gcsflush.demo;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/** Where the demo writes: {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://} for TLS. */
final class RedisTarget {
    static final int DEFAULT_PORT = 6379;

    final String host;
    final int port;
    final int database;
    final String user;
    final String password;
    final boolean ssl;

    RedisTarget(String host, int port, int database, String user, String password, boolean ssl) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.ssl = ssl;
    }

    static RedisTarget local(int port) {
        return new RedisTarget("127.0.0.1", port, 0, null, null, false);
    }

    /**
     * Parses a Redis URI.
     *
     * @throws IllegalArgumentException with a reason fit to show the user
     */
    static RedisTarget parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("expected a URI such as redis://localhost:6379/0");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("expected a URI such as redis://localhost:6379/0");
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("the URI names no host");
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("query and fragment are not supported");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        return new RedisTarget(uri.getHost(), port, database(uri.getPath()),
                user(uri.getUserInfo()), password(uri.getUserInfo()), scheme.equals("rediss"));
    }

    private static int database(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) return 0;
        try {
            int db = Integer.parseInt(path.substring(1));
            if (db >= 0) return db;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("the path must be a database number such as /0");
    }

    // As in Lettuce: "user:password", ":password", or just "password".
    private static String user(String userInfo) {
        if (userInfo == null || userInfo.indexOf(':') <= 0) return null;
        return userInfo.substring(0, userInfo.indexOf(':'));
    }

    private static String password(String userInfo) {
        if (userInfo == null || userInfo.isEmpty()) return null;
        int colon = userInfo.indexOf(':');
        return colon < 0 ? userInfo : userInfo.substring(colon + 1);
    }

    HostAndPort hostAndPort() {
        return new HostAndPort(host, port);
    }

    JedisClientConfig jedisConfig(Duration timeout) {
        return DefaultJedisClientConfig.builder()
                .database(database).user(user).password(password).ssl(ssl)
                .timeoutMillis((int) timeout.toMillis())
                .build();
    }

    RedisURI lettuceUri(Duration timeout) {
        RedisURI.Builder b = RedisURI.Builder.redis(host, port)
                .withDatabase(database).withSsl(ssl).withTimeout(timeout);
        if (password != null) {
            if (user != null) b.withAuthentication(user, password.toCharArray());
            else b.withPassword(password.toCharArray());
        }
        return b.build();
    }

    /** The URI without credentials, fit to print. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (ssl ? "rediss://" : "redis://") + h + ":" + port + "/" + database;
    }
}
