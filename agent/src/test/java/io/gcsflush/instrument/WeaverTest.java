package io.gcsflush.instrument;

import static io.gcsflush.instrument.Hook.Value.argument;
import static io.gcsflush.instrument.Hook.Value.field;
import static io.gcsflush.instrument.Hook.Value.self;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.bootstrap.Bridge;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Weaves a class, loads it, runs it, and checks both what it reports to the bridge and that it behaves the same. */
class WeaverTest {
    private final List<Object[]> events = new ArrayList<>();

    @BeforeEach
    void listen() {
        Bridge.install((kind, source, payload) -> events.add(new Object[] {kind, source, payload}));
    }

    @AfterEach
    void stop() {
        Bridge.install(null);
    }

    private static byte[] classFile() throws IOException {
        try (InputStream in = WeaveTarget.class.getResourceAsStream("WeaveTarget.class")) {
            return in.readAllBytes();
        }
    }

    private static Class<?> load(byte[] bytes) {
        return new ClassLoader(WeaverTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(WeaveTarget.class.getName(), bytes, 0, bytes.length);
            }
        }.define();
    }

    private static Object call(Object target, String name, Class<?>[] types, Object... args) throws Throwable {
        Method m = target.getClass().getMethod(name, types);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void reportsReturnsAndThrowsWithoutChangingBehaviour() throws Throwable {
        List<String> problems = new ArrayList<>();
        byte[] woven = Weaver.weave(classFile(), List.of(
                Hook.onReturn("send", "(Ljava/lang/Object;)V", 17, field("socket"), argument(0)),
                Hook.onReturnOrThrow("read", "(Z)Ljava/lang/Object;", 18, self()),
                Hook.onReturnOrThrow("wide", "(JDLjava/lang/Object;I)J", 19, argument(2))), problems);
        assertEquals(List.of(), problems);
        Class<?> type = load(woven);
        Object target = type.getConstructor().newInstance();

        call(target, "send", new Class<?>[] {Object.class}, "args");
        assertEquals(17, events.get(0)[0]);
        assertEquals("the-socket", events.get(0)[1]);
        assertEquals("args", events.get(0)[2]);
        assertThrows(IllegalArgumentException.class, () -> call(target, "send", new Class<?>[] {Object.class}, (Object) null));
        assertEquals(1, events.size(), "a plain return hook says nothing when the method throws");

        assertEquals("reply", call(target, "read", new Class<?>[] {boolean.class}, false));
        assertEquals(18, events.get(1)[0]);
        assertSame(target, events.get(1)[1]);
        assertEquals("reply", events.get(1)[2]);
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> call(target, "read", new Class<?>[] {boolean.class}, true));
        assertSame(thrown, events.get(2)[2], "the throwable is reported, then rethrown as it was");

        Object marker = new Object();
        assertEquals(15L, call(target, "wide", new Class<?>[] {long.class, double.class, Object.class, int.class},
                10L, 2.5, marker, 3));
        assertNull(events.get(3)[2], "a primitive return is not reported, only that the method returned");
        assertSame(marker, events.get(3)[1]);
        assertThrows(IllegalArgumentException.class,
                () -> call(target, "wide", new Class<?>[] {long.class, double.class, Object.class, int.class}, 1L, 1.0, marker, -1));
        assertTrue(events.get(4)[2] instanceof IllegalArgumentException);
    }

    @Test
    void handsTwoArgumentsOverAsOneArray() throws Throwable {
        byte[] woven = Weaver.weave(classFile(), List.of(Hook.onReturn("command", "(Ljava/lang/Object;[[B)V", 20,
                field("socket"), Hook.Value.arguments(0, 1))), new ArrayList<>());
        Object target = load(woven).getConstructor().newInstance();
        byte[][] args = {{1}, {2}};
        call(target, "command", new Class<?>[] {Object.class, byte[][].class}, "SET", args);
        Object[] payload = (Object[]) events.get(0)[2];
        assertEquals("SET", payload[0]);
        assertSame(args, payload[1]);
    }

    @Test
    void aBridgeWithoutSinkCostsTheMethodNothing() throws Throwable {
        Bridge.install(null);
        byte[] woven = Weaver.weave(classFile(), List.of(
                Hook.onReturnOrThrow("read", "(Z)Ljava/lang/Object;", 18, self())), new ArrayList<>());
        Object target = load(woven).getConstructor().newInstance();
        assertEquals("reply", call(target, "read", new Class<?>[] {boolean.class}, false));
    }

    @Test
    void aFailingSinkNeverReachesTheApplication() throws Throwable {
        Bridge.install((kind, source, payload) -> {
            throw new OutOfMemoryError("pretend");
        });
        byte[] woven = Weaver.weave(classFile(), List.of(
                Hook.onReturnOrThrow("read", "(Z)Ljava/lang/Object;", 18, self())), new ArrayList<>());
        Object target = load(woven).getConstructor().newInstance();
        assertEquals("reply", call(target, "read", new Class<?>[] {boolean.class}, false));
        assertThrows(IllegalStateException.class, () -> call(target, "read", new Class<?>[] {boolean.class}, true));
    }

    @Test
    void weavesNothingIfAnyHookIsMissing() throws IOException {
        List<String> problems = new ArrayList<>();
        byte[] woven = Weaver.weave(classFile(), List.of(
                Hook.onReturn("send", "(Ljava/lang/Object;)V", 17, self(), argument(0)),
                Hook.onReturn("absent", "()V", 18, self(), argument(0)),
                Hook.onReturn("send", "(Ljava/lang/Object;)V", 19, field("nope"), argument(0))), problems);
        assertNull(woven);
        assertEquals(List.of("no method absent()V", "no field nope"), problems);
    }

    @Test
    void addsNoMember() throws IOException {
        byte[] woven = Weaver.weave(classFile(), List.of(
                Hook.onReturnOrThrow("read", "(Z)Ljava/lang/Object;", 18, self())), new ArrayList<>());
        Class<?> type = load(woven);
        assertEquals(WeaveTarget.class.getDeclaredMethods().length, type.getDeclaredMethods().length);
        assertEquals(WeaveTarget.class.getDeclaredFields().length, type.getDeclaredFields().length);
    }
}
