package io.gcsflush.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.config.AgentConfig;
import io.gcsflush.redis.ServerAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ControlTest {
    private final Control control = new Control(Settings.of(AgentConfig.defaults()), () -> 7);

    private static ServerAddress address(int port) {
        return new ServerAddress("localhost", InetAddress.getLoopbackAddress(), port, false);
    }

    @Test
    void aChangeMakesNewSettingsAndARefusalKeepsTheOld() {
        Settings before = control.settings();
        Settings after = control.set("threshold", "1m", "in a test");
        assertSame(after, control.settings());
        assertEquals(1L << 20, after.thresholdBytes());
        assertThrows(IllegalArgumentException.class, () -> control.set("threshold", "-1", "in a test"));
        assertSame(after, control.settings());
        assertEquals(before.periodNanos(), after.periodNanos());
    }

    @Test
    void pauseAndResumeSayWhetherTheyChangedAnything() {
        assertTrue(control.pause("in a test"));
        assertFalse(control.pause("in a test"));
        assertTrue(control.paused());
        assertTrue(control.resume("in a test"));
        assertFalse(control.resume("in a test"));
    }

    @Test
    void aPausedServerThatWouldBeFlushedShowsPaused() {
        ServerStats stats = control.server(address(1));
        control.pause("in a test");
        assertEquals(ServerState.PAUSED, stats.state());
        stats.state(ServerState.REPLICA, null);
        assertEquals(ServerState.REPLICA, stats.state());
        stats.state(ServerState.UNCOVERED, null);
        assertEquals(ServerState.PAUSED, stats.state());
        assertEquals(ServerState.UNCOVERED, stats.found());
    }

    @Test
    void flushRequestsWakeTheFlusherAndAreTakenOnce() {
        AtomicInteger wakes = new AtomicInteger();
        control.wakeWith(wakes::incrementAndGet);
        FlushRequest all = control.requestFlush(null);
        FlushRequest one = control.requestFlush(address(2));
        assertEquals(2, wakes.get());
        assertTrue(control.flushRequested());
        assertEquals(List.of(all, one), control.takeFlushRequests());
        assertFalse(control.flushRequested());
        assertTrue(control.takeFlushRequests().isEmpty());
        assertTrue(all.covers(address(1)));
        assertFalse(one.covers(address(1)));
        one.complete();
        assertEquals(List.of("no server localhost:2 among those the application writes to"), one.result().join());
    }

    @Test
    void eachServerIsMadeOnceAndAnnounced() {
        List<ServerStats> announced = new ArrayList<>();
        control.onServer(announced::add);
        ServerStats a = control.server(address(1));
        assertSame(a, control.server(address(1)));
        ServerStats b = control.server(address(2));
        assertEquals(List.of(a, b), announced);
        assertEquals(List.of(a, b), control.servers());
        assertEquals(7, control.eventsDropped());
    }
}
