package io.gcsflush.log;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.gcsflush.bootstrap.AppLogging;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hook woven into SLF4J's real {@code LoggerFactory} (the test class path's slf4j-api, with no binding): it hands
 * each logger the application gets to {@link AppLogging}, and changes nothing else.
 */
class AppLoggingHooksTest {
    @BeforeEach
    @AfterEach
    void reset() throws ReflectiveOperationException {
        AppLogging.stopWatching();
        Field watching = AppLogging.class.getDeclaredField("watching");
        watching.setAccessible(true);
        watching.setBoolean(null, true);
    }

    @Test
    void theLoggerSlf4jReturnsIsHandedToAppLogging() throws Exception {
        Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, new WovenSlf4j());
        assertNull(AppLogging.slf4jLogger());
        Object logger = factory.getMethod("getLogger", String.class).invoke(null, "app.Main");
        assertNotNull(logger);
        assertSame(logger, AppLogging.slf4jLogger());
    }

    @Test
    void getLoggerByClassGoesThroughTheHookToo() throws Exception {
        Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, new WovenSlf4j());
        Object logger = factory.getMethod("getLogger", Class.class).invoke(null, String.class);
        assertNotNull(logger);
        assertSame(logger, AppLogging.slf4jLogger());
    }

    @Test
    void nothingIsRecordedOnceTheAgentStoppedWatching() throws Exception {
        AppLogging.stopWatching();
        Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, new WovenSlf4j());
        factory.getMethod("getLogger", String.class).invoke(null, "app.Main");
        assertNull(AppLogging.slf4jLogger());
    }

    @Test
    void aClassWithoutTheMethodIsLeftAlone() throws IOException {
        assertNull(AppLoggingHooks.weave(bytes(String.class.getName()), AppLoggingHooks.Target.SLF4J));
        assertNull(AppLoggingHooks.weave(bytes("org.slf4j.LoggerFactory"), AppLoggingHooks.Target.SPRING_BOOT));
    }

    private static byte[] bytes(String className) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** slf4j-api's classes defined afresh, its LoggerFactory woven; everything else from the test class path. */
    private static final class WovenSlf4j extends ClassLoader {
        WovenSlf4j() {
            super(AppLoggingHooksTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.slf4j.")) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c != null) return c;
                try {
                    byte[] b = bytes(name);
                    if (name.equals("org.slf4j.LoggerFactory")) {
                        b = AppLoggingHooks.weave(b, AppLoggingHooks.Target.SLF4J);
                    }
                    return defineClass(name, b, 0, b.length);
                } catch (IOException | NullPointerException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }
}
