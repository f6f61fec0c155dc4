package io.gcsflush.instrument;

import io.gcsflush.redis.ServerAddress;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;

/**
 * The server at the other end of a netty channel, for the clients built on netty (Lettuce, Redisson); read on the
 * agent's thread.
 */
public final class NettyChannels {
    private static final ClassValue<MethodHandle> REMOTE_ADDRESS = new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            return Reflect.method(type, "remoteAddress");
        }
    };

    private NettyChannels() {}

    /** The server a channel is connected to; null for a channel that is not TCP (a Unix socket). */
    public static ServerAddress addressOf(Object channel) {
        Object remote;
        try {
            remote = (Object) REMOTE_ADDRESS.get(channel.getClass()).invokeExact(channel);
        } catch (Throwable t) {
            throw Reflect.rethrow(t);
        }
        if (!(remote instanceof InetSocketAddress)) return null;
        InetSocketAddress inet = (InetSocketAddress) remote;
        if (inet.getAddress() == null) return null;
        return new ServerAddress(inet.getHostString(), inet.getAddress(), inet.getPort(), isTls(channel));
    }

    /** Whether a channel speaks TLS: both clients put netty's {@code SslHandler} in the pipeline of TLS connections. */
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

    /**
     * The first handler in the channel's pipeline that is of the named class (or a subclass); null if none. Read on
     * the agent's thread, once per connection met after a late start.
     */
    public static Object handler(Object channel, String className) {
        try {
            Object pipeline = findPublic(channel.getClass(), "pipeline").invoke(channel);
            for (Object entry : (Iterable<?>) pipeline) {
                Object handler = ((java.util.Map.Entry<?, ?>) entry).getValue();
                for (Class<?> c = handler == null ? null : handler.getClass(); c != null; c = c.getSuperclass()) {
                    if (c.getName().equals(className)) return handler;
                }
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
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
