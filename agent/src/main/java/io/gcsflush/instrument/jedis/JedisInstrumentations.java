package io.gcsflush.instrument.jedis;

import static io.gcsflush.instrument.Hook.Value.argument;
import static io.gcsflush.instrument.Hook.Value.arguments;
import static io.gcsflush.instrument.Hook.Value.field;
import static io.gcsflush.instrument.Hook.Value.self;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.instrument.ClientInstrumentation;
import io.gcsflush.instrument.Hook;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jedis, one instrumentation per range of versions. In every range the source of both events is the connection's
 * socket: a new socket is a new server-side connection, in database 0 with no reply pending, so it starts a session
 * of its own. Commands are recorded when {@code sendCommand} returns: calls can nest (Jedis 3 re-sends AUTH and
 * SELECT from inside {@code sendCommand} on reconnect), and on return is the order they reach the wire.
 */
public final class JedisInstrumentations {
    private static final String CONNECTION = "redis/clients/jedis/Connection";
    private static final Hook READ = Hook.onReturnOrThrow("readProtocolWithCheckingBroken", "()Ljava/lang/Object;",
            Bridge.JEDIS | Bridge.RECEIVED, field("socket"));

    private JedisInstrumentations() {}

    /**
     * Jedis 4.x to 8.x: every command, for plain commands, pipelines, transactions, pooled and cluster clients
     * alike, funnels through {@code Connection.sendCommand(CommandArguments)} and every reply through
     * {@code Connection.readProtocolWithCheckingBroken()}. {@code CommandArguments} first appeared in 4.0.
     */
    public static ClientInstrumentation jedis4To8() {
        return new ClientInstrumentation("Jedis 4.x-8.x", "Jedis", Map.of(CONNECTION, List.of(
                Hook.onReturn("sendCommand", "(Lredis/clients/jedis/CommandArguments;)V",
                        Bridge.JEDIS | Bridge.SENT, field("socket"), argument(0)), READ)),
                Set.of("redis/clients/jedis/CommandArguments.class"), Set.of());
    }

    /**
     * {@link #jedis4To8()} for a JVM the agent was attached to while it ran: also, as each command of a {@code Jedis}
     * starts ({@code checkIsInMultiOrPipeline()}, which every command method calls first), its connection and itself
     * ({@link Bridge#BOUND}), so that a connection opened before the agent takes the database the {@code Jedis} says.
     */
    public static ClientInstrumentation jedis4To8Late() {
        ClientInstrumentation plain = jedis4To8();
        return new ClientInstrumentation(plain.name(), plain.family(), Map.of(CONNECTION, plain.hooks().get(CONNECTION),
                "redis/clients/jedis/Jedis", List.of(bound("connection"))), plain.markers(), plain.excluded());
    }

    /** {@link #jedis3()} for a late start: as {@link #jedis4To8Late()}, where the client is {@code BinaryJedis}. */
    public static ClientInstrumentation jedis3Late() {
        ClientInstrumentation plain = jedis3();
        return new ClientInstrumentation(plain.name(), plain.family(), Map.of(CONNECTION, plain.hooks().get(CONNECTION),
                "redis/clients/jedis/BinaryJedis", List.of(bound("client"))), plain.markers(), plain.excluded());
    }

    private static Hook bound(String connectionField) {
        return Hook.onReturn("checkIsInMultiOrPipeline", "()V", Bridge.JEDIS | Bridge.BOUND, field(connectionField),
                self());
    }

    /**
     * Jedis 3.x: every command funnels through {@code Connection.sendCommand(ProtocolCommand, byte[]...)}; the
     * command and its arguments are handed over together, as a two-element array.
     */
    public static ClientInstrumentation jedis3() {
        return new ClientInstrumentation("Jedis 3.x", "Jedis", Map.of(CONNECTION, List.of(
                Hook.onReturn("sendCommand", "(Lredis/clients/jedis/commands/ProtocolCommand;[[B)V",
                        Bridge.JEDIS | Bridge.SENT, field("socket"), arguments(0, 1)), READ)),
                Set.of("redis/clients/jedis/commands/ProtocolCommand.class", "redis/clients/jedis/BinaryClient.class"),
                Set.of("redis/clients/jedis/CommandArguments.class"));
    }
}
