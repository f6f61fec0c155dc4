package io.gcsflush.instrument;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Access to client internals from the agent's own thread, as method handles typed with Object so that the agent
 * compiles against no client. Looked up once per client class; failures say which member is missing.
 */
public final class Reflect {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private Reflect() {}

    /** A no-argument instance method, found on the class or its supertypes, as {@code (Object)Object}. */
    public static MethodHandle method(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == 0 && !m.isBridge()) {
                    return unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
                }
            }
        }
        for (Class<?> i : allInterfaces(type)) {
            try {
                Method m = i.getMethod(name);
                return unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
            } catch (NoSuchMethodException ignored) {
                // Not on this interface.
            }
        }
        throw new IllegalStateException("no method " + name + "() on " + type.getName());
    }

    /** An interface or class method by exact signature, resolved in the given class's loader, as a typed handle. */
    public static MethodHandle method(Class<?> owner, String name, MethodType erasedType, Class<?>... parameterTypes) {
        try {
            Method m = owner.getMethod(name, parameterTypes);
            return unreflect(m).asType(erasedType);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no method " + name + " on " + owner.getName(), e);
        }
    }

    /** An instance field, on the class or a superclass, as {@code (Object)Object}; null if there is none. */
    public static MethodHandle field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return LOOKUP.unreflectGetter(f).asType(MethodType.methodType(Object.class, Object.class));
            } catch (NoSuchFieldException ignored) {
                // Try the superclass.
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalStateException("cannot read " + c.getName() + "." + name + ": " + e, e);
            }
        }
        return null;
    }

    /** A class by name, as the given class's loader sees it; null if absent. */
    public static Class<?> find(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static MethodHandle unreflect(Method m) {
        try {
            m.setAccessible(true);
            return LOOKUP.unreflect(m);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("cannot call " + m + ": " + e, e);
        }
    }

    private static java.util.Set<Class<?>> allInterfaces(Class<?> type) {
        java.util.Set<Class<?>> all = new java.util.LinkedHashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) collect(c, all);
        return all;
    }

    private static void collect(Class<?> c, java.util.Set<Class<?>> all) {
        for (Class<?> i : c.getInterfaces()) {
            if (all.add(i)) collect(i, all);
        }
    }

    /** Rethrows what a method handle threw, unchecked. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) return (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
        return new IllegalStateException(t);
    }
}
