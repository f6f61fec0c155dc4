package io.gcsflush.instrument.redisson;

import io.gcsflush.instrument.Reflect;
import io.gcsflush.track.Session;
import java.lang.reflect.Method;

/**
 * The database of a Redisson connection opened before a late attach: Redisson selects the database of its
 * configuration on each new connection and never changes it, so it is the configuration's, reached from the channel:
 * {@code RedisConnection.getFrom(channel).getRedisClient().getConfig().getDatabase()}.
 */
final class RedissonLateState {
    private final ClassValue<Method[]> paths = new ClassValue<Method[]>() {
        @Override
        protected Method[] computeValue(Class<?> channelType) {
            Class<?> connection = Reflect.find("org.redisson.client.RedisConnection", channelType.getClassLoader());
            Class<?> channel = Reflect.find("io.netty.channel.Channel", channelType.getClassLoader());
            if (connection == null || channel == null) return null;
            try {
                Method getFrom = connection.getMethod("getFrom", channel);
                Method client = connection.getMethod("getRedisClient");
                Method config = client.getReturnType().getMethod("getConfig");
                Method database = config.getReturnType().getMethod("getDatabase");
                return new Method[] {getFrom, client, config, database};
            } catch (NoSuchMethodException | RuntimeException e) {
                return null;
            }
        }
    };

    /** The channel's database as Redisson's configuration says; {@link Session#UNKNOWN_DB} if it cannot be read. */
    int databaseOf(Object channel) {
        Method[] path = paths.get(channel.getClass());
        if (path == null) return Session.UNKNOWN_DB;
        try {
            Object connection = path[0].invoke(null, channel);
            if (connection == null) return Session.UNKNOWN_DB;
            Object db = path[3].invoke(path[2].invoke(path[1].invoke(connection)));
            return db instanceof Integer && (Integer) db >= 0 ? (Integer) db : Session.UNKNOWN_DB;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Session.UNKNOWN_DB;
        }
    }
}
