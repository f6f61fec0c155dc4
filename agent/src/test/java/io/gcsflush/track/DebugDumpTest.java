package io.gcsflush.track;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gcsflush.redis.ServerAddress;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugDumpTest {
    @Test
    void writesEveryTrackedKeyWithItsDatabaseExpiryAndSizeOldestFirst(@TempDir Path dir) throws Exception {
        Tracker tracker = new Tracker(1_000);
        Recorder recorder = new Recorder();
        EventBuffer buffer = new EventBuffer(64);
        EventProcessor processor = new EventProcessor(buffer, tracker, recorder);
        tracker.lock().lock();
        try {
            ServerEntry server = tracker.server(new ServerAddress("localhost", InetAddress.getLoopbackAddress(), 7,
                    false));
            server.keys().write(0, "a".getBytes(UTF_8), 3, true);
            server.keys().write(2, new byte[] {'\n', (byte) 0xff}, 0, true);
            server.keys().expireAt(2, new byte[] {'\n', (byte) 0xff}, 2_000_000_000L);
            server.keys().write(0, "gone".getBytes(UTF_8), 1, true);
            server.keys().remove(0, "gone".getBytes(UTF_8));
        } finally {
            tracker.lock().unlock();
        }
        Path file = dir.resolve("keys.txt");
        new DebugDump(file, tracker, processor, buffer, recorder).dump();

        List<String> lines = Files.readAllLines(file);
        assertEquals("gcs-flush-dump 1", lines.get(0));
        assertEquals(List.of("applied 0", "dropped 0", "errors 0", "pending 0"), lines.subList(2, 6));
        assertEquals(List.of("server localhost:7", "key 0 0 4 0 61", "key 2 2000000000 2 0 0aff", "end"),
                lines.subList(6, lines.size()));
        assertFalse(Files.exists(dir.resolve("keys.txt.partial")));
    }
}
