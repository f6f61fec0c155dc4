package io.gcsflush.instrument.redisson;

import static io.gcsflush.instrument.Hook.Value.argument;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.instrument.ClientInstrumentation;
import io.gcsflush.instrument.Hook;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redisson, one instrumentation per range of versions. In every range, each reply on a connection is decoded on the
 * channel's event loop by {@code CommandDecoder.decodeCommand(Channel, ByteBuf, QueueCommand, ...)}, which returns
 * once the reply of a command ({@code CommandData}), or the replies of a whole batch ({@code CommandsData}: an RBatch,
 * a MULTI/EXEC, an ASKING redirect), are decoded and the commands' promises completed or failed with them. The decoder
 * is only called once every byte of those replies has arrived, so it returns exactly once per command or batch, in
 * the order the server answered; a connection's own handshake (AUTH, HELLO, SELECT of the configured database) goes
 * the same way. The hook hands over the channel and the command or batch; {@link RedissonEvents} reads the commands'
 * arguments and what their promises hold on the agent's thread. Pub/sub connections decode with a subclass that
 * overrides the method, and are not followed: they write no key.
 */
public final class RedissonInstrumentations {
    private static final String DECODER = "org/redisson/client/handler/CommandDecoder";
    private static final String DECODE_COMMAND = "(Lio/netty/channel/Channel;Lio/netty/buffer/ByteBuf;"
            + "Lorg/redisson/client/protocol/QueueCommand;I";
    /** Added in 3.32.0, together with the decoder's {@code State} argument. */
    private static final String SINCE_3_32 = "org/redisson/api/RMapCacheNative.class";

    private RedissonInstrumentations() {}

    /** Redisson 3.32 to 4.x: {@code decodeCommand(Channel, ByteBuf, QueueCommand, int endIndex, State)}. */
    public static ClientInstrumentation redisson3_32To4() {
        return new ClientInstrumentation("Redisson 3.32-4.x", "Redisson", Map.of(DECODER, List.of(
                hook(DECODE_COMMAND + "Lorg/redisson/client/handler/State;)V"))),
                Set.of(SINCE_3_32), Set.of());
    }

    /**
     * Redisson 3.17 to 3.31: {@code decodeCommand(Channel, ByteBuf, QueueCommand, int endIndex)}. 3.17.0 gave the
     * method its {@code endIndex} argument, and added {@code RFunction}, which tells the range apart.
     */
    public static ClientInstrumentation redisson3_17To3_31() {
        return new ClientInstrumentation("Redisson 3.17-3.31", "Redisson", Map.of(DECODER, List.of(
                hook(DECODE_COMMAND + ")V"))),
                Set.of("org/redisson/api/RFunction.class"), Set.of(SINCE_3_32));
    }

    private static Hook hook(String descriptor) {
        return Hook.onReturn("decodeCommand", descriptor, Bridge.REDISSON | Bridge.COMPLETED, argument(0),
                argument(2));
    }
}
