package io.gcsflush.order;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gcsflush.redis.RedisAccess;
import io.gcsflush.redis.RespConnection;
import io.gcsflush.redis.ServerAddress;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's scripts, run by a real redis-server: the one on the PATH, as the integration tests use (skipped
 * where there is none).
 */
class JournalScriptsTest {
    private static final byte[] JOURNAL = "gcs-flush:journal".getBytes(UTF_8);
    private static final byte[] STATE = "gcs-flush:journal:state".getBytes(UTF_8);

    private Process server;
    private RespConnection c;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        String binary = null;
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, "redis-server"))) binary = Path.of(p, "redis-server").toString();
        }
        assumeTrue(binary != null, "no redis-server on the PATH");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        server = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        ServerAddress address = new ServerAddress("127.0.0.1", InetAddress.getLoopbackAddress(), port, false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (c == null) {
            try {
                c = RespConnection.open(address, null, RedisAccess.asTheApplication(), 1000, 5000);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (c != null) c.close();
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
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
        assertEquals(2L, run(JournalScripts.REMOVE, "4", "1", "k4", "7", "1", "k7").get(0));
        assertEquals(1L, run(JournalScripts.REMOVE, "6", "1", "k6").get(0), "k6 taken out of blob 6");
        assertEquals(1L, run(JournalScripts.REMOVE, "9", "1", "k9").get(0), "k9, the last");
        assertEquals(1L, run(JournalScripts.REMOVE, "1", "1", "k1").get(0), "k1, the first");
        assertEquals(0L, run(JournalScripts.REMOVE, "5", "1", "k6").get(0), "a key not in its blob stays where it is");
        assertEquals(List.of("2", "3", "5", "8"), seqs());
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
