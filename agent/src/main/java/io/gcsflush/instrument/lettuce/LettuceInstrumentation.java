package io.gcsflush.instrument.lettuce;

import static io.gcsflush.instrument.Hook.Value.argument;
import static io.gcsflush.instrument.Hook.Value.field;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.instrument.ClientInstrumentation;
import io.gcsflush.instrument.Hook;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lettuce 5.x to 7.x: every reply, for every command on every connection (sync, async, reactive, pipelined with
 * {@code setAutoFlushCommands(false)}, MULTI/EXEC, cluster nodes, and Lettuce's own handshake SELECT), is decoded by
 * {@code CommandHandler.decode} and passed to {@code CommandHandler.complete(RedisCommand)} on the event loop. The
 * hook records {@link Bridge#REPLIED}; whether the reply completed the command is asked at once, off the woven code
 * (see {@link LettuceEvents#resolver()}).
 */
public final class LettuceInstrumentation implements ClientInstrumentation {
    @Override
    public String name() {
        return "Lettuce 5.x-7.x";
    }

    @Override
    public String family() {
        return "Lettuce";
    }

    @Override
    public Map<String, List<Hook>> hooks() {
        return Map.of("io/lettuce/core/protocol/CommandHandler", List.of(
                Hook.onReturn("complete", "(Lio/lettuce/core/protocol/RedisCommand;)V",
                        Bridge.LETTUCE | Bridge.REPLIED, field("channel"), argument(0))));
    }

    @Override
    public Set<String> markers() {
        return Set.of("io/lettuce/core/protocol/DecoratedCommand.class", "io/lettuce/core/protocol/CommandArgs.class");
    }

    @Override
    public Set<String> excluded() {
        return Set.of();
    }
}
