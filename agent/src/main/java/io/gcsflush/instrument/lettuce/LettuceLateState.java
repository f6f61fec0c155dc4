package io.gcsflush.instrument.lettuce;

import io.gcsflush.instrument.NettyChannels;
import io.gcsflush.instrument.Reflect;
import io.gcsflush.track.Session;
import java.lang.invoke.MethodHandle;

/**
 * The database of a Lettuce connection opened before a late attach, as Lettuce keeps it: from the channel's
 * {@code CommandHandler}, its endpoint's connection ({@code StatefulRedisConnectionImpl}), whose
 * {@code ConnectionState} holds the database (Lettuce 6-7), or the connection itself (5.x). Lettuce updates it when a
 * SELECT completes, and sets it from the URI's database when it connects.
 */
final class LettuceLateState {
    private final ClassValue<Path> paths = new ClassValue<Path>() {
        @Override
        protected Path computeValue(Class<?> handlerType) {
            return new Path(handlerType);
        }
    };

    /** The channel's database as Lettuce knows it; {@link Session#UNKNOWN_DB} if it cannot be read. */
    int databaseOf(Object channel) {
        try {
            Object handler = NettyChannels.handler(channel, "io.lettuce.core.protocol.CommandHandler");
            if (handler == null) return Session.UNKNOWN_DB;
            Path path = paths.get(handler.getClass());
            Object facade = (Object) path.facade.invokeExact((Object) path.endpoint.invokeExact(handler));
            if (facade == null) return Session.UNKNOWN_DB;
            MethodHandle db = Reflect.field(facade.getClass(), "db");
            if (db != null) return LateValue.of((Object) db.invokeExact(facade)); // Lettuce 5
            MethodHandle state = Reflect.field(facade.getClass(), "state");
            if (state == null) return Session.UNKNOWN_DB;
            Object connectionState = (Object) state.invokeExact(facade);
            MethodHandle stateDb = connectionState == null ? null : Reflect.field(connectionState.getClass(), "db");
            return stateDb == null ? Session.UNKNOWN_DB : LateValue.of((Object) stateDb.invokeExact(connectionState));
        } catch (Throwable t) {
            return Session.UNKNOWN_DB;
        }
    }

    /** The handles from a CommandHandler to its endpoint's connection. */
    private static final class Path {
        final MethodHandle endpoint;
        final MethodHandle facade;

        Path(Class<?> handlerType) {
            endpoint = Reflect.field(handlerType, "endpoint");
            Class<?> endpointType = Reflect.find("io.lettuce.core.protocol.DefaultEndpoint", handlerType.getClassLoader());
            facade = endpointType == null ? null : Reflect.field(endpointType, "connectionFacade");
            if (endpoint == null || facade == null) throw new IllegalStateException("not a Lettuce layout known here");
        }
    }

    /** An int as read, or unknown. */
    static final class LateValue {
        private LateValue() {}

        static int of(Object value) {
            return value instanceof Integer && (Integer) value >= 0 ? (Integer) value : Session.UNKNOWN_DB;
        }
    }
}
