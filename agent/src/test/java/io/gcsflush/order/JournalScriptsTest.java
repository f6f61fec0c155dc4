package io.gcsflush.order;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gcsflush.redis.RespConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's scripts, run by a real redis-server ({@link TestRedis}).
 */
class JournalScriptsTest {
    private static final byte[] JOURNAL = "gcs-flush:journal".getBytes(UTF_8);
    private static final byte[] STATE = "gcs-flush:journal:state".getBytes(UTF_8);

    private TestRedis redis;
    private RespConnection c;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        redis = TestRedis.start(dir);
        c = redis.connect();
    }

    @AfterEach
    void stop() throws Exception {
        if (c != null) c.close();
        if (redis != null) redis.close();
    }

    private static List<byte[]> args(String... args) {
        List<byte[]> list = new ArrayList<>();
        for (String a : args) list.add(a.getBytes(UTF_8));
        return list;
    }

    @SuppressWarnings("unchecked")
    private List<Object> run(JournalScripts.Script script, String... args) throws IOException {
        Object reply = script.run(c, JOURNAL, STATE, args(args));
        if (!(reply instanceof List)) throw new AssertionError(script + ": " + reply);
        return (List<Object>) reply;
    }

    @Test
    void aKeyIsTakenOutOfItsBlobWhateverBlobsAroundItWereRemovedWhole() throws IOException {
        // Blobs 1..9, one key each; 4 and 7 emptied, and so removed: a gap before blob 6 and another after it.
        for (int i = 1; i <= 9; i++) run(JournalScripts.APPEND, "", "id", "1", "k" + i);
        assertEquals(2L, run(JournalScripts.REMOVE, "", "4", "1", "k4", "7", "1", "k7").get(0));
        assertEquals(1L, run(JournalScripts.REMOVE, "", "6", "1", "k6").get(0), "k6 taken out of blob 6");
        assertEquals(1L, run(JournalScripts.REMOVE, "", "9", "1", "k9").get(0), "k9, the last");
        assertEquals(1L, run(JournalScripts.REMOVE, "", "1", "1", "k1").get(0), "k1, the first");
        assertEquals(0L, run(JournalScripts.REMOVE, "", "5", "1", "k6").get(0), "a key not in its blob stays where it is");
        assertEquals(List.of("2", "3", "5", "8"), seqs());
    }

    @Test
    void keysAreTakenOutOfTheJournalTheyWereAppendedToOnly() throws IOException {
        String id = (String) new String((byte[]) run(JournalScripts.APPEND, "", "mine", "1", "k1").get(0), UTF_8);
        assertEquals("mine", id);
        List<Object> other = run(JournalScripts.REMOVE, "another", "1", "1", "k1");
        assertEquals(List.of(-1L, 1L), other, "a journal made again, or swapped in from another database");
        assertEquals(List.of(1L, 0L), run(JournalScripts.REMOVE, "mine", "1", "1", "k1"));
    }

    private List<String> seqs() throws IOException {
        List<String> seqs = new ArrayList<>();
        for (Object b : (List<?>) c.call("LRANGE".getBytes(UTF_8), JOURNAL, "0".getBytes(UTF_8),
                "-1".getBytes(UTF_8))) {
            seqs.add(new String((byte[]) b, UTF_8).split(" ")[1]);
        }
        return seqs;
    }
}
