package io.gcsflush.instrument.jedis;

import static io.gcsflush.instrument.Hook.Value.argument;
import static io.gcsflush.instrument.Hook.Value.field;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.instrument.ClientInstrumentation;
import io.gcsflush.instrument.Hook;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jedis 4.x to 8.x: every command funnels through {@code Connection.sendCommand(CommandArguments)} and every reply
 * through {@code Connection.readProtocolWithCheckingBroken()}, for plain commands, pipelines, transactions, pooled
 * and cluster clients alike. {@code CommandArguments} first appeared in 4.0.
 */
public final class JedisInstrumentation implements ClientInstrumentation {
    @Override
    public String name() {
        return "Jedis 4.x-8.x";
    }

    @Override
    public String family() {
        return "Jedis";
    }

    @Override
    public Map<String, List<Hook>> hooks() {
        // The source of both events is the connection's socket: a new socket is a new server-side connection, in
        // database 0 and with no reply pending, so it starts a new session of its own.
        return Map.of("redis/clients/jedis/Connection", List.of(
                Hook.onReturn("sendCommand", "(Lredis/clients/jedis/CommandArguments;)V",
                        Bridge.JEDIS | Bridge.SENT, field("socket"), argument(0)),
                Hook.onReturnOrThrow("readProtocolWithCheckingBroken", "()Ljava/lang/Object;",
                        Bridge.JEDIS | Bridge.RECEIVED, field("socket"))));
    }

    @Override
    public Set<String> markers() {
        return Set.of("redis/clients/jedis/CommandArguments.class");
    }

    @Override
    public Set<String> excluded() {
        return Set.of();
    }
}
