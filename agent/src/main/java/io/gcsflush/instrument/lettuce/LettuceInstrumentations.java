package io.gcsflush.instrument.lettuce;

import static io.gcsflush.instrument.Hook.Value.argument;
import static io.gcsflush.instrument.Hook.Value.field;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.instrument.ClientInstrumentation;
import io.gcsflush.instrument.Hook;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Lettuce, one instrumentation per range of versions. */
public final class LettuceInstrumentations {
    private LettuceInstrumentations() {}

    /**
     * Lettuce 5.x to 7.x: every reply, for every command on every connection (sync, async, reactive, pipelined with
     * {@code setAutoFlushCommands(false)}, MULTI/EXEC, cluster nodes, and Lettuce's own handshake SELECT), is decoded
     * by {@code CommandHandler.decode} and passed to {@code CommandHandler.complete(RedisCommand)} on the event loop.
     * The hook records {@link Bridge#REPLIED}; whether the reply completed the command is asked at once, off the woven
     * code, by {@link LettuceCompletion}.
     */
    public static ClientInstrumentation lettuce5To7() {
        return new ClientInstrumentation("Lettuce 5.x-7.x", "Lettuce", Map.of("io/lettuce/core/protocol/CommandHandler",
                List.of(Hook.onReturn("complete", "(Lio/lettuce/core/protocol/RedisCommand;)V",
                        Bridge.LETTUCE | Bridge.REPLIED, field("channel"), argument(0)))),
                Set.of("io/lettuce/core/protocol/DecoratedCommand.class", "io/lettuce/core/protocol/CommandArgs.class"),
                Set.of());
    }
}
