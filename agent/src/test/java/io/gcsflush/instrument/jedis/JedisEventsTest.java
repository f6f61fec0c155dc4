package io.gcsflush.instrument.jedis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.track.EventBuffer;
import io.gcsflush.track.TrackerProbe;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Feeds {@link JedisEvents} the objects Jedis hands to the woven hooks (real {@code CommandArguments}, raw replies),
 * in wire order, and checks what the tracker learns. The socket is a plain loopback connection: only its identity
 * and remote address matter here.
 */
class JedisEventsTest {
    private static final byte[] OK = "OK".getBytes(UTF_8);
    private static final byte[] QUEUED = "QUEUED".getBytes(UTF_8);

    private ServerSocket listener;
    private Socket socket;
    private Socket accepted;
    private TrackerProbe probe;
    private JedisEvents events;

    @BeforeEach
    void connect() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        accepted = listener.accept();
        probe = new TrackerProbe();
        events = new JedisEvents(probe.sessions(), probe.recorder(), false);
    }

    @AfterEach
    void close() throws IOException {
        socket.close();
        accepted.close();
        listener.close();
    }

    private void send(CommandArguments args) {
        probe.apply(() -> events.handle(Bridge.SENT, socket, args));
    }

    private void reply(Object reply) {
        probe.apply(() -> events.handle(Bridge.RECEIVED, socket, reply));
    }

    private static CommandArguments set(String key, String value, String... options) {
        CommandArguments args = new CommandArguments(Command.SET).key(key).add(value);
        for (String o : options) args.add(o);
        return args;
    }

    private List<String> tracked() {
        return probe.tracked();
    }

    @Test
    void pipelinedRepliesMatchTheirCommandsInOrder() {
        send(set("a", "1"));
        send(new CommandArguments(Command.GET).key("x"));
        send(set("b", "2"));
        send(new CommandArguments(Command.INCR).key("c"));
        reply(OK);
        reply("value".getBytes(UTF_8));
        reply(OK);
        reply(1L);
        assertEquals(List.of("0:a", "0:b", "0:c"), tracked());
    }

    @Test
    void aFailedConditionalWriteTakesNothing() {
        send(set("taken", "v", "NX"));
        send(new CommandArguments(Command.SETNX).key("also-taken").add("v"));
        send(set("mine", "v", "NX"));
        reply(null);
        reply(0L);
        reply(OK);
        assertEquals(List.of("0:mine"), tracked());
    }

    @Test
    void anErrorReplyTakesNothingAndKeepsTheMatching() {
        send(set("oom", "v"));
        send(set("after", "v"));
        reply(new JedisDataException("OOM command not allowed when used memory > 'maxmemory'."));
        reply(OK);
        assertEquals(List.of("0:after"), tracked());
    }

    @Test
    void selectChangesTheDatabaseOfLaterWrites() {
        send(set("zero", "v"));
        send(new CommandArguments(Command.SELECT).add(3));
        send(set("three", "v"));
        reply(OK);
        reply(OK);
        reply(OK);
        assertEquals(List.of("0:zero", "3:three"), tracked());
    }

    @Test
    void transactionsCountAtExecAndNeverAtDiscard() {
        send(new CommandArguments(Command.MULTI));
        send(set("t1", "v"));
        send(set("t2", "v", "NX"));
        send(new CommandArguments(Command.EXEC));
        send(new CommandArguments(Command.MULTI));
        send(set("discarded", "v"));
        send(new CommandArguments(Command.DISCARD));
        reply(OK);
        reply(QUEUED);
        reply(QUEUED);
        reply(Arrays.asList(OK, null)); // t2's NX failed inside the transaction
        reply(OK);
        reply(QUEUED);
        reply(OK);
        assertEquals(List.of("0:t1"), tracked());
    }

    @Test
    void commandsTheAgentIgnoresKeepTheirPlacesAmongExecsReplies() {
        send(new CommandArguments(Command.MULTI));
        send(new CommandArguments(Command.GET).key("x"));
        send(set("refused", "v", "NX"));
        send(new CommandArguments(Command.HDEL).key("h").add("f"));
        send(set("set", "v", "NX"));
        send(new CommandArguments(Command.LPOP).key("l"));
        send(new CommandArguments(Command.ZUNIONSTORE).key("stored").add(1).key("z"));
        send(new CommandArguments(Command.EXEC));
        reply(OK);
        for (int i = 0; i < 6; i++) reply(QUEUED);
        reply(Arrays.asList("value".getBytes(UTF_8), null, 0L, OK, null, 3L));
        assertEquals(List.of("0:set", "0:stored"), tracked());
    }

    @Test
    void anAbortedExecTakesNothing() {
        send(new CommandArguments(Command.MULTI));
        send(set("t1", "v"));
        send(new CommandArguments(Command.EXEC));
        reply(OK);
        reply(QUEUED);
        reply(null); // WATCH failed
        send(set("later", "v"));
        reply(OK);
        assertEquals(List.of("0:later"), tracked());
    }

    @Test
    void aBrokenConnectionCountsPlainWritesAndNotConditionalOnes() {
        send(set("plain", "v"));
        send(set("conditional", "v", "NX"));
        reply(new JedisConnectionException("Unexpected end of stream."));
        assertEquals(List.of("0:plain"), tracked());
    }

    @Test
    void afterSubscribeRepliesAreNoLongerMatched() {
        send(new CommandArguments(Command.SUBSCRIBE).add("channel"));
        reply(Arrays.asList("subscribe".getBytes(UTF_8), "channel".getBytes(UTF_8), 1L));
        reply(Arrays.asList("message".getBytes(UTF_8), "channel".getBytes(UTF_8), "x".getBytes(UTF_8)));
        send(set("plain", "v"));
        send(set("conditional", "v", "NX"));
        assertEquals(List.of("0:plain"), tracked());
    }

    /** A buffer of the smallest size, full of reads, so that the next event recorded is dropped. */
    private EventBuffer fullBuffer() {
        EventBuffer buffer = new EventBuffer(1024);
        buffer.lossFilter(Bridge.JEDIS, JedisEvents.lossFilter());
        for (int i = 0; i < 1024; i++) {
            buffer.record(Bridge.JEDIS | Bridge.SENT, socket, new CommandArguments(Command.GET).key("x"));
        }
        return buffer;
    }

    @Test
    void aFullBufferIsDrainedByItsProducerAndNothingIsLost() {
        EventBuffer buffer = new EventBuffer(1024);
        buffer.lossFilter(Bridge.JEDIS, JedisEvents.lossFilter());
        buffer.helper(probe.processor(buffer, Bridge.JEDIS, events));
        int n = 10_000; // ten times the buffer, with no agent thread: only the producer drains
        for (int i = 0; i < n; i++) {
            buffer.record(Bridge.JEDIS | Bridge.SENT, socket, set("k" + i, "v"));
            buffer.record(Bridge.JEDIS | Bridge.RECEIVED, socket, OK);
        }
        probe.drain(buffer, Bridge.JEDIS, events);
        List<String> tracked = tracked();
        assertEquals(n, tracked.size());
        assertEquals("0:k0", tracked.get(0));
        assertEquals("0:k" + (n - 1), tracked.get(n - 1));
        buffer.record(Bridge.JEDIS | Bridge.SENT, socket, set("k0", "v", "NX"));
        buffer.record(Bridge.JEDIS | Bridge.RECEIVED, socket, null);
        probe.drain(buffer, Bridge.JEDIS, events);
        assertEquals(n, tracked().size(), "replies still paired with their commands: nothing was skipped");
    }

    @Test
    void aLostSelectStopsTrackingOnThatConnection() {
        send(set("before", "v"));
        reply(OK);
        EventBuffer buffer = fullBuffer();
        buffer.record(Bridge.JEDIS | Bridge.SENT, socket, new CommandArguments(Command.SELECT).add(5));
        probe.drain(buffer, Bridge.JEDIS, events);
        send(set("after", "v"));
        reply(OK);
        assertEquals(List.of("0:before"), tracked());
    }

    @Test
    void aLostReplyUnpairsButTheDatabaseStays() {
        EventBuffer buffer = fullBuffer();
        buffer.record(Bridge.JEDIS | Bridge.RECEIVED, socket, OK);
        probe.drain(buffer, Bridge.JEDIS, events);
        send(set("b", "v"));
        send(set("c", "v", "NX"));
        assertEquals(List.of("0:b"), tracked());
    }

    @Test
    void aLostWriteUnpairsButTheDatabaseStays() {
        send(new CommandArguments(Command.SELECT).add(2));
        reply(OK);
        EventBuffer buffer = fullBuffer();
        buffer.record(Bridge.JEDIS | Bridge.SENT, socket, set("lost", "v"));
        probe.drain(buffer, Bridge.JEDIS, events);
        send(set("kept", "v"));
        assertEquals(List.of("2:kept"), tracked());
    }

    @Test
    void deletesAndRenamesFollowTheKeys() {
        send(set("a", "v"));
        send(set("b", "v"));
        send(set("c", "v"));
        send(new CommandArguments(Command.DEL).key("a"));
        send(new CommandArguments(Command.RENAME).key("b").key("b2"));
        for (int i = 0; i < 3; i++) reply(OK);
        reply(1L);
        reply(OK);
        assertEquals(List.of("0:b2", "0:c"), tracked());
    }

    @Test
    void authIsRememberedForTheAgentsOwnConnection() {
        send(new CommandArguments(Command.AUTH).add("app-user").add("secret"));
        send(set("a", "v"));
        reply(OK);
        reply(OK);
        assertNotNull(probe.onlyServer().credentials());
        assertEquals("user and password", probe.onlyServer().credentials().toString(), "never the secret itself");
    }

    @Test
    void aWrongPasswordIsNotRemembered() {
        send(new CommandArguments(Command.AUTH).add("wrong"));
        send(set("a", "v"));
        reply(new JedisDataException("WRONGPASS invalid username-password pair"));
        reply(OK);
        assertNull(probe.onlyServer().credentials());
    }

    @Test
    void jedis3HandsOverTheCommandAndItsArgumentsAsAnArray() {
        send3(Command.SELECT, "2");
        send3(Command.SET, "three", "v");
        send3(Command.GET, "three");
        send3(Command.XGROUP, "CREATE", "stream", "group", "$", "MKSTREAM");
        reply(OK);
        reply(OK);
        reply("v".getBytes(UTF_8));
        reply(OK);
        assertEquals(List.of("2:three", "2:stream"), tracked());
    }

    private void send3(Command command, String... args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) raw[i] = args[i].getBytes(UTF_8);
        probe.apply(() -> events.handle(Bridge.SENT, socket, new Object[] {command, raw}));
    }

    @Test
    void eventsFromTheBufferReachTheSameState() {
        EventBuffer buffer = new EventBuffer(1024);
        buffer.record(Bridge.JEDIS | Bridge.SENT, socket, set("queued", "v"));
        buffer.record(Bridge.JEDIS | Bridge.RECEIVED, socket, OK);
        probe.drain(buffer, Bridge.JEDIS, events);
        assertEquals(List.of("0:queued"), tracked());
    }
}
