package io.gcsflush.instrument.lettuce;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.instrument.Reflect;
import io.gcsflush.track.EventBuffer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * Turns {@link Bridge#REPLIED} into {@link Bridge#COMPLETED} when the reply completed the command. Asked on the
 * event loop at the moment of the reply, since the answer changes later: a redirected cluster command completes on
 * another node, a command queued in MULTI completes with EXEC.
 */
public final class LettuceCompletion implements EventBuffer.KindResolver {
    private final ClassValue<MethodHandle> isDone = new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            Class<?> redisCommand = Reflect.find("io.lettuce.core.protocol.RedisCommand", type.getClassLoader());
            if (redisCommand == null) throw new IllegalStateException("no RedisCommand for " + type);
            return Reflect.method(redisCommand, "isDone", MethodType.methodType(boolean.class, Object.class));
        }
    };

    @Override
    public int resolve(int kind, Object command) {
        try {
            return (boolean) isDone.get(command.getClass()).invokeExact(command) ? Bridge.LETTUCE | Bridge.COMPLETED : kind;
        } catch (Throwable t) {
            throw Reflect.rethrow(t);
        }
    }
}
