package io.gcsflush.track;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gcsflush.redis.ServerAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackerTest {
    private static ServerAddress server(int port) {
        return new ServerAddress("localhost", InetAddress.getLoopbackAddress(), port, false);
    }

    private static List<String> keys(ServerEntry server) {
        List<String> keys = new ArrayList<>();
        server.keys().scanOldest(Integer.MAX_VALUE, (h, db, key) -> keys.add(new String(key, UTF_8)));
        return keys;
    }

    @Test
    void atTheCapTheOldestKeysOfTheFullestServerAreForgotten() {
        Tracker tracker = new Tracker(4);
        tracker.lock().lock();
        try {
            ServerEntry a = tracker.server(server(1));
            ServerEntry b = tracker.server(server(2));
            for (int i = 0; i < 4; i++) a.keys().write(0, ("a" + i).getBytes(UTF_8), 1, true);
            b.keys().write(0, "b0".getBytes(UTF_8), 1, true);
            b.keys().write(0, "b1".getBytes(UTF_8), 1, true);
            tracker.enforceCap();
            assertEquals(List.of("a2", "a3"), keys(a));
            assertEquals(List.of("b0", "b1"), keys(b));
            assertEquals(2, tracker.forgottenAtCap());
            assertEquals(4, tracker.keys());
        } finally {
            tracker.lock().unlock();
        }
    }

    @Test
    void atTheCapServersAreEvenedOutAsOneKeyAtATimeWould() {
        Tracker tracker = new Tracker(6);
        tracker.lock().lock();
        try {
            ServerEntry a = tracker.server(server(1));
            ServerEntry b = tracker.server(server(2));
            ServerEntry c = tracker.server(server(3));
            for (int i = 0; i < 5; i++) a.keys().write(0, ("a" + i).getBytes(UTF_8), 1, true);
            for (int i = 0; i < 4; i++) b.keys().write(0, ("b" + i).getBytes(UTF_8), 1, true);
            c.keys().write(0, "c0".getBytes(UTF_8), 1, true);
            tracker.enforceCap();
            assertEquals(List.of("a3", "a4"), keys(a));
            assertEquals(List.of("b1", "b2", "b3"), keys(b));
            assertEquals(List.of("c0"), keys(c));
            assertEquals(4, tracker.forgottenAtCap());
        } finally {
            tracker.lock().unlock();
        }
    }
}
