package io.gcsflush.order;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gcsflush.redis.RespConnection;
import io.gcsflush.track.ServerEntry;
import io.gcsflush.track.TrackerProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application's SWAPDB moves each database's journal with its keys: the journals keep naming exactly the keys
 * of their databases, whether the flusher meets the swapped journals before the event thread reports the swap or
 * after. A JournalOrder against a real redis-server ({@link TestRedis}); the test plays the application (its keys in
 * the tracker, its SWAPDB on the server) and the flusher (sync).
 */
class JournalSwapTest {
    private TestRedis redis;
    private RespConnection flusher;
    private RespConnection app;
    private TrackerProbe probe;
    private ServerEntry entry;
    private JournalOrder order;
    private ServerLink link;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        redis = TestRedis.start(dir);
        flusher = redis.connect();
        app = redis.connect();
        probe = new TrackerProbe();
        entry = probe.sessions().open(new Object(), redis.address, 0).server();
        order = new JournalOrder(probe.tracker(), JournalOrder.DEFAULT_KEY, new UnlinkAction());
        link = new ServerLink() {
            @Override
            public RespConnection connection() {
                return flusher;
            }

            @Override
            public RespConnection connect(String host, int port) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @AfterEach
    void stop() throws Exception {
        if (flusher != null) flusher.close();
        if (app != null) app.close();
        if (redis != null) redis.close();
    }

    /** The application writes a key (the server's side does not matter to the journal). */
    private void write(int db, String key) {
        probe.locked(() -> entry.keys().write(db, key.getBytes(UTF_8), 1, true));
    }

    /** SWAPDB on the server, as the application sends it. */
    private void swapOnTheServer(int a, int b) throws IOException {
        assertEquals("OK", String.valueOf(app.call(bytes("SWAPDB"), bytes(Integer.toString(a)),
                bytes(Integer.toString(b)))));
    }

    /** The event thread applies the application's SWAPDB. */
    private void swapInTheAgent(int a, int b) {
        probe.locked(() -> entry.keys().swapDb(a, b));
    }

    private List<String> journal(int db) throws IOException {
        app.select(db);
        List<String> keys = new ArrayList<>();
        for (Object blob : (List<?>) app.call(bytes("LRANGE"), bytes(JournalOrder.DEFAULT_KEY), bytes("0"),
                bytes("-1"))) {
            List<String> lines = Arrays.asList(new String((byte[]) blob, UTF_8).split("\n"));
            keys.addAll(lines.subList(1, lines.size()));
        }
        return keys;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void aSwapReportedBeforeTheFlusherMeetsItMovesTheJournalsOfTheAgent() throws Exception {
        write(1, "a1");
        write(1, "a2");
        write(2, "b1");
        order.sync(entry, link);
        swapOnTheServer(1, 2);
        swapInTheAgent(1, 2);
        write(1, "c1"); // written after the swap, into the database that now holds b1
        order.sync(entry, link);
        assertEquals(List.of("b1", "c1"), journal(1));
        assertEquals(List.of("a1", "a2"), journal(2));

        probe.locked(() -> entry.keys().remove(2, bytes("a1"))); // the application deletes a1, in its new database
        order.sync(entry, link);
        assertEquals(List.of("a2"), journal(2), "a1 taken out of the journal it moved with");
        assertEquals(List.of("b1", "c1"), journal(1));
    }

    @Test
    void aSwapTheFlusherMeetsBeforeItIsReportedWaitsForIt() throws Exception {
        write(1, "a1");
        write(2, "b1");
        order.sync(entry, link);
        write(1, "a2"); // written before the swap, appended after it
        swapOnTheServer(1, 2);
        order.sync(entry, link); // the journal in database 1 is database 2's now: not lost, swapped
        swapInTheAgent(1, 2);
        order.sync(entry, link);
        assertEquals(List.of("b1"), journal(1));
        assertEquals(List.of("a1", "a2"), journal(2));
    }

    @Test
    void aSwapWithADatabaseWithoutAJournalMovesTheJournalToIt() throws Exception {
        write(1, "a1");
        order.sync(entry, link);
        swapOnTheServer(1, 3);
        order.sync(entry, link);
        swapInTheAgent(1, 3);
        write(1, "n1");
        order.sync(entry, link);
        probe.locked(() -> entry.keys().remove(3, bytes("a1")));
        order.sync(entry, link);
        assertEquals(List.of(), journal(3), "a1 taken out of the journal it moved with");
        assertEquals(List.of("n1"), journal(1));
    }
}
