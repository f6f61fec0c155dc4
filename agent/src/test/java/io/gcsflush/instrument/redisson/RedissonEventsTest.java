package io.gcsflush.instrument.redisson;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.track.TrackerProbe;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.CommandData;
import org.redisson.client.protocol.CommandsData;
import org.redisson.client.protocol.RedisCommand;
import org.redisson.client.protocol.RedisCommands;

/**
 * Feeds {@link RedissonEvents} real Redisson commands, their promises completed as {@code CommandDecoder} completes
 * them (with the value the command's convertor makes of the reply), and checks what the tracker learns. The channel
 * is netty's in-memory channel, made to report a TCP peer.
 */
class RedissonEventsTest {
    private final EmbeddedChannel channel = new EmbeddedChannel() {
        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 6379);
        }
    };
    private TrackerProbe probe;
    private RedissonEvents events;

    @BeforeEach
    void setUp() {
        probe = new TrackerProbe();
        events = new RedissonEvents(probe.sessions(), probe.recorder(), false);
    }

    /** What the woven hook delivers once the decoder is done with a command or a batch. */
    private void decoded(Object queueCommand) {
        probe.apply(() -> events.handle(Bridge.COMPLETED, channel, queueCommand));
    }

    private static CommandData<Object, Object> command(RedisCommand<?> type, Object reply, Object... params) {
        CompletableFuture<Object> promise = new CompletableFuture<>();
        if (reply instanceof Throwable) promise.completeExceptionally((Throwable) reply);
        else if (reply != PENDING) promise.complete(reply);
        @SuppressWarnings("unchecked")
        CommandData<Object, Object> c = new CommandData<>(promise, StringCodec.INSTANCE, (RedisCommand<Object>) type,
                params);
        return c;
    }

    private static final Object PENDING = new Object();

    @Test
    void repliesAsConvertedTellWhatTheServerDid() {
        decoded(command(RedisCommands.SET, null, "plain", "v")); // VoidReplayConvertor: null whatever the reply
        decoded(command(RedisCommands.SETNX, true, "created", "v"));
        decoded(command(RedisCommands.SETNX, false, "existed", "v"));
        decoded(command(RedisCommands.SET_BOOLEAN, true, "nx-set", "v", "NX"));
        decoded(command(RedisCommands.SET_BOOLEAN, false, "nx-nil", "v", "NX")); // BooleanNotNull: false is nil
        decoded(command(RedisCommands.SET, new RedisException("OOM command not allowed"), "refused", "v"));
        decoded(command(RedisCommands.SET, new RedisTimeoutException("no reply in time"), "late", "v"));
        decoded(command(RedisCommands.GET, "v", "read"));
        assertEquals(List.of("0:plain", "0:created", "0:nx-set", "0:late"), probe.tracked());
    }

    @Test
    void theConfiguredDatabaseIsSelectedOnTheConnectionItself() {
        decoded(command(RedisCommands.SELECT, null, 3));
        decoded(command(RedisCommands.HSET, true, "map", Unpooled.wrappedBuffer(new byte[] {1}), "v"));
        assertEquals(List.of("3:map"), probe.tracked());
    }

    @Test
    void codecEncodedValuesAreNeverReadAndAnEncodedKeyIsNotApplied() {
        decoded(command(RedisCommands.SET, null, "k", Unpooled.wrappedBuffer("value".getBytes(StandardCharsets.UTF_8))));
        decoded(command(RedisCommands.SET, null, Unpooled.wrappedBuffer("x".getBytes(StandardCharsets.UTF_8)), "v"));
        assertEquals(List.of("0:k"), probe.tracked());
        assertEquals(1, probe.onlyServer().keys().sizeOf(0, "k".getBytes(StandardCharsets.UTF_8)),
                "the key's bytes and none of the value's");
    }

    @Test
    void aPipelinedBatchAppliesEachCommandWithItsOwnReply() {
        List<CommandData<?, ?>> commands = List.of(command(RedisCommands.SET, null, "a", "1"),
                command(RedisCommands.SETNX, false, "b", "1"), command(RedisCommands.SET, null, "c", "1"));
        decoded(new CommandsData(new CompletableFuture<>(), commands, false, false));
        assertEquals(List.of("0:a", "0:c"), probe.tracked());
    }

    @Test
    void anAtomicBatchAppliesItsCommandsAtExecOrNotAtAll() {
        decoded(atomic(List.of(1L), "a"));
        CommandsData aborted = atomic(new RedisException("EXECABORT Transaction discarded because of previous errors."),
                "b");
        decoded(aborted);
        assertEquals(List.of("0:a"), probe.tracked());
    }

    /** MULTI, SETs, EXEC as one batch: Redisson completes each SET with its part of the EXEC's reply. */
    private static CommandsData atomic(Object execReply, String... keys) {
        List<CommandData<?, ?>> commands = new ArrayList<>();
        commands.add(command(RedisCommands.MULTI, PENDING)); // its QUEUED-time reply completes nothing
        for (String k : keys) {
            commands.add(command(RedisCommands.SET, execReply instanceof Throwable ? PENDING : null, k, "v"));
        }
        commands.add(command(RedisCommands.EXEC, execReply));
        return new CommandsData(new CompletableFuture<>(), commands, null, false, true, false, false);
    }

    @Test
    void aTransactionKeptOpenOverSeveralSendsTakesEachReplyFromTheExec() {
        CommandData<Object, Object> set = command(RedisCommands.SET, "QUEUED", "a", "v");
        CommandData<Object, Object> setnx = command(RedisCommands.SETNX, "QUEUED", "b", "v");
        decoded(new CommandsData(new CompletableFuture<>(), List.of(command(RedisCommands.MULTI, null), set), true,
                false));
        decoded(new CommandsData(new CompletableFuture<>(), List.of(setnx), true, false));
        CommandData<Object, Object> exec = command(RedisCommands.EXEC, Arrays.asList(null, false));
        decoded(new CommandsData(new CompletableFuture<>(), List.of(exec), List.of(set, setnx), false, false, true,
                false));
        assertEquals(List.of("0:a"), probe.tracked(), "the SETNX's reply in the EXEC was 0");
    }

    @Test
    void anEvalshaIsReadAsTheScriptRedissonComputedItsShaFor() throws Exception {
        String script = "redis.call('get', KEYS[1]); redis.call('hset', KEYS[2], ARGV[1], ARGV[2])";
        shaCache().put(script, "0123456789abcdef0123456789abcdef01234567");
        RedisCommand<Object> evalsha = new RedisCommand<>(RedisCommands.EVAL_MAP_VALUE, "EVALSHA");
        decoded(command(evalsha, null, "0123456789abcdef0123456789abcdef01234567", 2, "read", "written",
                Unpooled.wrappedBuffer(new byte[] {1}), Unpooled.wrappedBuffer(new byte[] {2})));
        // An unknown script: its declared keys are taken as written.
        decoded(command(evalsha, null, "ffffffffffffffffffffffffffffffffffffffff", 1, "unknown"));
        assertEquals(List.of("0:written", "0:unknown"), probe.tracked());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> shaCache() throws ReflectiveOperationException {
        Field f = Class.forName("org.redisson.connection.ServiceManager").getDeclaredField("SHA_CACHE");
        f.setAccessible(true);
        return (Map<String, String>) f.get(null);
    }
}
