package io.gcsflush.instrument.lettuce;

import io.gcsflush.instrument.Reflect;
import java.lang.reflect.Method;

/** Whether a netty channel speaks TLS: Lettuce puts an {@code SslHandler} in the pipeline of TLS connections. */
final class LettuceTls {
    private LettuceTls() {}

    static boolean isTls(Object channel) {
        Class<?> sslHandler = Reflect.find("io.netty.handler.ssl.SslHandler", channel.getClass().getClassLoader());
        if (sslHandler == null) return false;
        try {
            Method pipelineMethod = findPublic(channel.getClass(), "pipeline");
            Object pipeline = pipelineMethod.invoke(channel);
            Method get = findPublic(pipeline.getClass(), "get", Class.class);
            return get.invoke(pipeline, sslHandler) != null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The method as declared by a public interface, so that calling it needs no access to the implementation. */
    private static Method findPublic(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                try {
                    return i.getMethod(name, parameters);
                } catch (NoSuchMethodException ignored) {
                    // Next interface.
                }
            }
        }
        return type.getMethod(name, parameters);
    }
}
