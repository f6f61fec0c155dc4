package io.gcsflush.instrument.jedis;

import io.gcsflush.instrument.Reflect;
import io.gcsflush.track.Session;
import java.lang.invoke.MethodHandle;
import java.net.Socket;

/**
 * Jedis's own state of a connection opened before a late attach, from the {@link io.gcsflush.bootstrap.Bridge#BOUND}
 * event a command of a {@code Jedis} (4.x-8.x) or {@code BinaryJedis} (3.x) makes as it starts: the connection's
 * socket, and the database the client object says it is in ({@code getDB()}).
 */
final class JedisLateState {
    private final ClassValue<MethodHandle> socket = new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            return Reflect.field(type, "socket");
        }
    };
    private final ClassValue<MethodHandle> getDb = new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            return Reflect.method(type, "getDB");
        }
    };

    /** The connection's socket now; null if it has none (not connected yet). */
    Socket socketOf(Object connection) {
        try {
            Object s = (Object) socket.get(connection.getClass()).invokeExact(connection);
            return s instanceof Socket ? (Socket) s : null;
        } catch (Throwable t) {
            return null;
        }
    }

    /** The database the client object says its connection is in; {@link Session#UNKNOWN_DB} if it cannot tell. */
    int databaseOf(Object jedis) {
        try {
            Object db = (Object) getDb.get(jedis.getClass()).invokeExact(jedis);
            return db instanceof Integer && (Integer) db >= 0 ? (Integer) db : Session.UNKNOWN_DB;
        } catch (Throwable t) {
            return Session.UNKNOWN_DB;
        }
    }
}
