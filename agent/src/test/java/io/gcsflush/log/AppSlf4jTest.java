package io.gcsflush.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether the relay waits for the application's SLF4J at all: what the class path holds, by its class files. */
class AppSlf4jTest {
    @TempDir
    Path classPath;

    private ClassLoader loader(String... resources) throws IOException {
        for (String r : resources) {
            Path file = classPath.resolve(r);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[0]);
        }
        try {
            return new URLClassLoader(new URL[] {classPath.toUri().toURL()}, null);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String none(ClassLoader loader) {
        Discovery.Answer answer = AppSlf4j.classPath(loader);
        return answer == null ? null : answer.none;
    }

    @Test
    void noSlf4j() throws IOException {
        assertEquals("the application has no SLF4J on its class path", none(loader("redis/clients/jedis/Jedis.class")));
    }

    @Test
    void slf4j2WithoutAProvider() throws IOException {
        assertEquals("the application's SLF4J has no binding on its class path", none(loader(
                "org/slf4j/LoggerFactory.class", "org/slf4j/spi/SLF4JServiceProvider.class")));
    }

    @Test
    void slf4j2WithAProvider() throws IOException {
        services("# Logback\nch.qos.logback.classic.spi.LogbackServiceProvider\n");
        assertNull(none(loader("org/slf4j/LoggerFactory.class", "org/slf4j/spi/SLF4JServiceProvider.class")));
    }

    /** slf4j-nop discards everything: for the agent's lines, as good as no binding. */
    @Test
    void slf4j2WithOnlySlf4jNop() throws IOException {
        services("org.slf4j.nop.NOPServiceProvider # no-operation\n");
        assertEquals("the application's SLF4J binding is slf4j-nop", none(loader("org/slf4j/LoggerFactory.class",
                "org/slf4j/spi/SLF4JServiceProvider.class")));
    }

    @Test
    void slf4j2WithAnEmptyServicesFile() throws IOException {
        services("# nothing\n");
        assertEquals("the application's SLF4J has no binding on its class path", none(loader(
                "org/slf4j/LoggerFactory.class", "org/slf4j/spi/SLF4JServiceProvider.class")));
    }

    private void services(String content) throws IOException {
        Path file = classPath.resolve("META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** SLF4J 2.x ignores 1.7 bindings. */
    @Test
    void slf4j2WithOnlyAnOldBinding() throws IOException {
        assertEquals("the application's SLF4J has no binding on its class path", none(loader(
                "org/slf4j/LoggerFactory.class", "org/slf4j/spi/SLF4JServiceProvider.class",
                "org/slf4j/impl/StaticLoggerBinder.class")));
    }

    @Test
    void slf4j17WithABinding() throws IOException {
        assertNull(none(loader("org/slf4j/LoggerFactory.class", "org/slf4j/impl/StaticLoggerBinder.class")));
    }

    @Test
    void slf4j17WithoutABinding() throws IOException {
        assertEquals("the application's SLF4J has no binding on its class path", none(loader(
                "org/slf4j/LoggerFactory.class")));
    }

    /** An executable jar's libraries are nested in it, out of the class path's sight: wait for them. */
    @Test
    void springBootExecutableJars() throws IOException {
        assertNull(none(loader("org/springframework/boot/loader/launch/Launcher.class")));
    }

    @Test
    void springBootExecutableJarsBefore32() throws IOException {
        assertNull(none(loader("org/springframework/boot/loader/Launcher.class")));
    }
}
