package io.gcsflush.track;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** A tracker, recorder and sessions wired as the agent wires them, for tests of the client readers. */
public final class TrackerProbe {
    private final Tracker tracker = new Tracker(1_000_000);
    private final Recorder recorder = new Recorder();

    public Sessions sessions() {
        return new Sessions(tracker);
    }

    public Recorder recorder() {
        return recorder;
    }

    public Tracker tracker() {
        return tracker;
    }

    /** Runs an event handler as the event thread does: under the lock, with the clock set. */
    public void apply(Runnable handler) {
        locked(() -> {
            recorder.now(System.currentTimeMillis());
            handler.run();
        });
    }

    public void locked(Runnable action) {
        tracker.lock().lock();
        try {
            action.run();
        } finally {
            tracker.lock().unlock();
        }
    }

    /** The one server the test talked to. */
    public ServerEntry onlyServer() {
        List<ServerEntry> servers = tracker.servers();
        assertEquals(1, servers.size(), "servers tracked");
        return servers.get(0);
    }

    /** The keys of the one server, oldest first, as {@code db:key}. */
    public List<String> tracked() {
        ServerEntry server = onlyServer();
        List<String> keys = new java.util.ArrayList<>();
        locked(() -> server.keys().scanOldest(Integer.MAX_VALUE,
                (handle, db, key) -> keys.add(db + ":" + new String(key, java.nio.charset.StandardCharsets.UTF_8))));
        return keys;
    }

    /** An event processor on this tracker that knows one client family, not started: for a buffer's helper. */
    public EventProcessor processor(EventBuffer buffer, int family, ClientEvents events) {
        EventProcessor processor = new EventProcessor(buffer, tracker, recorder);
        processor.register(family, events);
        return processor;
    }

    /** Drains a buffer through an event processor that knows one client family. */
    public void drain(EventBuffer buffer, int family, ClientEvents events) {
        EventProcessor processor = new EventProcessor(buffer, tracker, recorder);
        processor.register(family, events);
        while (processor.drainOnce() > 0) {
            // until empty
        }
    }
}
