package io.gcsflush.instrument.jedis;

import static io.gcsflush.instrument.Hook.Value.arguments;
import static io.gcsflush.instrument.Hook.Value.field;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.instrument.ClientInstrumentation;
import io.gcsflush.instrument.Hook;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jedis 3.x: every command, from {@code Jedis}, pipelines, transactions and cluster alike, funnels through
 * {@code Connection.sendCommand(ProtocolCommand, byte[]...)}, and every reply through
 * {@code Connection.readProtocolWithCheckingBroken()}. The command and its arguments are handed over together as a
 * two-element array. Calls can nest (a reconnect inside {@code sendCommand} sends AUTH and SELECT and reads their
 * replies), which is why commands are recorded on return: that is the order they reach the wire.
 */
public final class Jedis3Instrumentation implements ClientInstrumentation {
    @Override
    public String name() {
        return "Jedis 3.x";
    }

    @Override
    public String family() {
        return "Jedis";
    }

    @Override
    public Map<String, List<Hook>> hooks() {
        return Map.of("redis/clients/jedis/Connection", List.of(
                Hook.onReturn("sendCommand", "(Lredis/clients/jedis/commands/ProtocolCommand;[[B)V",
                        Bridge.JEDIS | Bridge.SENT, field("socket"), arguments(0, 1)),
                Hook.onReturnOrThrow("readProtocolWithCheckingBroken", "()Ljava/lang/Object;",
                        Bridge.JEDIS | Bridge.RECEIVED, field("socket"))));
    }

    @Override
    public Set<String> markers() {
        return Set.of("redis/clients/jedis/commands/ProtocolCommand.class", "redis/clients/jedis/BinaryClient.class");
    }

    @Override
    public Set<String> excluded() {
        return Set.of("redis/clients/jedis/CommandArguments.class");
    }
}
