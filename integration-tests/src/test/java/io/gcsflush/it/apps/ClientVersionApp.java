package io.gcsflush.it.apps;

import java.io.File;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Runs a writer application on whichever version of its client the classpath holds, after saying which one it is and
 * where it came from, so that a test can check that the child runs the version it asked for and no other:
 * <pre>
 * client jedis 3.10.0 from /.../target/clients/jedis-3.10.0/jedis-3.10.0.jar
 * </pre>
 * The first argument names the application: {@code jedis} ({@link JedisWriterApp}), {@code lettuce}
 * ({@link LettuceWriterApp}) or {@code jedis-legacy} ({@link LegacyJedisWriterApp}); the others are its own
 * ({@link WriterArgs}). The client is looked up by name: nothing here links against it.
 */
public final class ClientVersionApp {

    private ClientVersionApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: jedis|lettuce|jedis-legacy <writer arguments>");
        }
        String[] writerArgs = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "jedis":
                describe("redis.clients.jedis.Jedis", "redis.clients", "jedis");
                JedisWriterApp.run(writerArgs);
                break;
            case "jedis-legacy":
                describe("redis.clients.jedis.Jedis", "redis.clients", "jedis");
                LegacyJedisWriterApp.run(writerArgs);
                break;
            case "lettuce":
                describe("io.lettuce.core.RedisClient", "io.lettuce", "lettuce-core");
                LettuceWriterApp.main(writerArgs); // exits
                break;
            default:
                throw new IllegalArgumentException("unknown application " + args[0]);
        }
        System.exit(0);
    }

    /** Prints {@code client <artifact> <version> from <jar>}: the version in the Maven metadata of the class's jar. */
    public static void describe(String className, String groupId, String artifactId) throws Exception {
        Class<?> type = Class.forName(className, false, ClientVersionApp.class.getClassLoader());
        File jar = new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        String version = "(no Maven metadata)";
        try (JarFile file = new JarFile(jar)) {
            ZipEntry entry = file.getEntry("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties");
            if (entry != null) {
                try (InputStream in = file.getInputStream(entry)) {
                    Properties pom = new Properties();
                    pom.load(in);
                    version = pom.getProperty("version", version);
                }
            }
        }
        System.out.println("client " + artifactId + " " + version + " from " + jar.getAbsolutePath());
    }
}
