package io.gcsflush.instrument;

import java.util.List;

/**
 * Redis clients the agent cannot follow at all (as opposed to versions of a client it follows, outside the ranges it
 * covers, which {@link Instrumenter} tells apart by their marker classes). Each is recognised by a class the
 * application loads as soon as it uses the client; the agent then says once that its commands are not tracked.
 */
public final class UnsupportedClients {
    /** A client: its name for people, a class it always loads (a/b/C), its jar's Maven metadata (for its version). */
    public static final class Client {
        final String name;
        final String trigger;
        final String pomProperties;

        Client(String name, String trigger, String pomProperties) {
            this.name = name;
            this.trigger = trigger;
            this.pomProperties = pomProperties;
        }
    }

    private UnsupportedClients() {}

    /** The clients the agent knows it does not follow. */
    public static List<Client> all() {
        return List.of(
                // Vert.x's own client (also under Quarkus's redis-client): commands go out through Vert.x's netty
                // handlers, not a client this agent weaves.
                new Client("The Vert.x Redis client", "io/vertx/redis/client/Redis",
                        "META-INF/maven/io.vertx/vertx-redis-client/pom.properties"),
                // Lettuce before 5.0, under its old package.
                new Client("Lettuce (com.lambdaworks.redis)", "com/lambdaworks/redis/RedisClient",
                        "META-INF/maven/biz.paluch.redis/lettuce/pom.properties"),
                // The Jedis fork of the Valkey project, under its own package.
                new Client("valkey-java", "io/valkey/Connection",
                        "META-INF/maven/io.valkey/valkey-java/pom.properties"),
                // Valkey GLIDE: commands are sent by a native core, out of the JVM's sight.
                new Client("Valkey GLIDE", "glide/api/BaseClient",
                        "META-INF/maven/io.valkey/valkey-glide/pom.properties"));
    }
}
