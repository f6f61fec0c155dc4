package io.gcsflush.instrument.lettuce;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.track.EventBuffer;
import io.gcsflush.track.TrackerProbe;
import io.lettuce.core.SetArgs;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Feeds {@link LettuceEvents} real Lettuce commands, completed as {@code CommandHandler} completes them, and checks
 * what the tracker learns. The channel is netty's in-memory channel, made to report a TCP peer.
 */
class LettuceEventsTest {
    private final EmbeddedChannel channel = new EmbeddedChannel() {
        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 6379);
        }
    };
    private final LettuceCompletion completion = new LettuceCompletion();
    private TrackerProbe probe;
    private LettuceEvents events;

    @BeforeEach
    void setUp() {
        probe = new TrackerProbe();
        events = new LettuceEvents(probe.sessions(), probe.recorder(), false);
    }

    /** What the woven hook plus the buffer's resolver deliver for one reply. */
    private void reply(RedisCommand<?, ?, ?> command) {
        int kind = completion.resolve(Bridge.LETTUCE | Bridge.REPLIED, command) & Bridge.EVENT_MASK;
        probe.apply(() -> events.handle(kind, channel, command));
    }

    private static <T> Command<String, String, T> command(CommandType type, CommandOutput<String, String, T> output,
            CommandArgs<String, String> args) {
        return new Command<>(type, output, args);
    }

    private static CommandArgs<String, String> args() {
        return new CommandArgs<>(StringCodec.UTF8);
    }

    private static Command<String, String, String> set(String key, String value, String status) {
        Command<String, String, String> c = command(CommandType.SET, new StatusOutput<>(StringCodec.UTF8),
                args().addKey(key).addValue(value));
        if (status != null) c.getOutput().set(ByteBuffer.wrap(status.getBytes(UTF_8)));
        c.complete();
        return c;
    }

    private List<String> tracked() {
        return probe.tracked();
    }

    @Test
    void completedWritesAreTrackedAndReadsAreNot() {
        reply(set("a", "1", "OK"));
        Command<String, String, String> get = command(CommandType.GET, new StatusOutput<>(StringCodec.UTF8), args().addKey("x"));
        get.complete();
        reply(get);
        AsyncCommand<String, String, String> async = new AsyncCommand<>(command(CommandType.SET,
                new StatusOutput<>(StringCodec.UTF8), args().addKey("b").addValue("2")));
        async.getOutput().set(ByteBuffer.wrap("OK".getBytes(UTF_8)));
        async.complete(); // as CommandHandler does, on the outermost wrapper
        reply(async);
        assertEquals(List.of("0:a", "0:b"), tracked());
    }

    @Test
    void setNxWithANilReplyTakesNothing() {
        Command<String, String, String> nx = command(CommandType.SET, new StatusOutput<>(StringCodec.UTF8),
                args().addKey("taken").addValue("v"));
        SetArgs.Builder.nx().build(nx.getArgs());
        nx.complete(); // nil: the output stays empty
        reply(nx);
        Command<String, String, Boolean> setnx = command(CommandType.SETNX, new BooleanOutput<>(StringCodec.UTF8),
                args().addKey("also-taken").addValue("v"));
        setnx.getOutput().set(0L);
        setnx.complete();
        reply(setnx);
        reply(set("mine", "v", "OK"));
        assertEquals(List.of("0:mine"), tracked());
    }

    @Test
    void anErrorReplyTakesNothing() {
        Command<String, String, String> oom = set("oom", "v", null);
        oom.getOutput().setError("OOM command not allowed");
        reply(oom);
        assertEquals(List.of(), tracked());
    }

    @Test
    void selectAndBinaryKeys() {
        Command<String, String, String> select = command(CommandType.SELECT, new StatusOutput<>(StringCodec.UTF8),
                args().add(4));
        select.getOutput().set(ByteBuffer.wrap("OK".getBytes(UTF_8)));
        select.complete();
        reply(select);
        Command<byte[], byte[], String> binary = new Command<>(CommandType.SET, new StatusOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(new byte[] {'b', 'k'}).addValue(new byte[] {1, 2, 3}));
        binary.getOutput().set(ByteBuffer.wrap("OK".getBytes(UTF_8)));
        binary.complete();
        reply(binary);
        assertEquals(List.of("4:bk"), tracked());
    }

    @Test
    void transactionsCountAtExecAndNeverAtDiscard() {
        Command<String, String, String> multi = command(CommandType.MULTI, new StatusOutput<>(StringCodec.UTF8), args());
        multi.getOutput().set(ByteBuffer.wrap("OK".getBytes(UTF_8)));
        multi.complete();
        reply(multi);
        // Inside MULTI, the QUEUED reply does not complete the command (Lettuce's TransactionalCommand counts two).
        Command<String, String, Long> incr = command(CommandType.INCR, new IntegerOutput<>(StringCodec.UTF8), args().addKey("t1"));
        reply(incr);
        Command<String, String, String> exec = command(CommandType.EXEC, new StatusOutput<>(StringCodec.UTF8), args());
        incr.getOutput().set(1L); // EXEC's array fills each queued command's output, then completes it
        incr.complete();
        exec.getOutput().set(ByteBuffer.wrap("OK".getBytes(UTF_8)));
        exec.complete();
        reply(exec);

        reply(multi);
        Command<String, String, Long> discarded = command(CommandType.INCR, new IntegerOutput<>(StringCodec.UTF8),
                args().addKey("discarded"));
        reply(discarded);
        Command<String, String, String> discard = command(CommandType.DISCARD, new StatusOutput<>(StringCodec.UTF8), args());
        discard.getOutput().set(ByteBuffer.wrap("OK".getBytes(UTF_8)));
        discard.complete();
        reply(discard);
        assertEquals(List.of("0:t1"), tracked());
    }

    @Test
    void aLostSelectLeavesTheDatabaseUnknownAndALostWriteDoesNot() {
        Command<String, String, String> select = command(CommandType.SELECT, new StatusOutput<>(StringCodec.UTF8),
                args().add(4));
        select.getOutput().set(ByteBuffer.wrap("OK".getBytes(UTF_8)));
        select.complete();
        EventBuffer buffer = fullBuffer();
        buffer.record(Bridge.LETTUCE | Bridge.COMPLETED, channel, set("lost", "v", "OK"));
        probe.drain(buffer, Bridge.LETTUCE, events);
        reply(set("kept", "v", "OK"));
        assertEquals(List.of("0:kept"), tracked());
        buffer = fullBuffer();
        buffer.record(Bridge.LETTUCE | Bridge.COMPLETED, channel, select);
        probe.drain(buffer, Bridge.LETTUCE, events);
        reply(set("after", "v", "OK"));
        assertEquals(List.of("0:kept"), tracked(), "the database after a lost SELECT is unknown");
    }

    /** A buffer of the smallest size, full of reads, so that the next event recorded is dropped. */
    private EventBuffer fullBuffer() {
        EventBuffer buffer = new EventBuffer(1024);
        buffer.lossFilter(Bridge.LETTUCE, LettuceEvents.lossFilter());
        Command<String, String, String> get = command(CommandType.GET, new StatusOutput<>(StringCodec.UTF8), args().addKey("x"));
        get.complete();
        for (int i = 0; i < 1024; i++) buffer.record(Bridge.LETTUCE | Bridge.COMPLETED, channel, get);
        return buffer;
    }

    @Test
    void aRedirectedCommandCountsOnlyWhereItCompletes() {
        Command<String, String, String> moved = command(CommandType.SET, new StatusOutput<>(StringCodec.UTF8),
                args().addKey("k").addValue("v"));
        reply(moved); // not done: a MOVED reply, Lettuce retries elsewhere
        reply(set("other", "v", "OK"));
        assertEquals(List.of("0:other"), tracked());
    }
}
