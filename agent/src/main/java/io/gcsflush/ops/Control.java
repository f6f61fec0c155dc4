package io.gcsflush.ops;

import io.gcsflush.Log;
import io.gcsflush.redis.ServerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How the agent is watched and steered while it runs: the settings the flusher works by, a pause, flushes asked for,
 * and what the flusher publishes of each server ({@link ServerStats}). The flusher reads it at each round; JMX (and so
 * the command line) writes it. Nothing here blocks the flusher or the application: the flusher reads volatile fields
 * and takes what was asked from a lock-free queue; the few writers of settings serialise among themselves.
 */
public final class Control {
    private final Map<ServerAddress, ServerStats> servers = new ConcurrentHashMap<>();
    private final List<ServerStats> inOrder = new CopyOnWriteArrayList<>();
    private final List<Consumer<ServerStats>> serverListeners = new CopyOnWriteArrayList<>();
    private final Queue<FlushRequest> flushRequests = new ConcurrentLinkedQueue<>();
    private final LongSupplier eventsDropped;
    private volatile Settings settings;
    private volatile boolean paused;
    private volatile Runnable wake = () -> { };

    /**
     * @param settings the settings the agent started with
     * @param eventsDropped the application's commands the agent skipped so far (its buffer was full)
     */
    public Control(Settings settings, LongSupplier eventsDropped) {
        this.settings = settings;
        this.eventsDropped = eventsDropped;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Changes one setting ({@link Settings#WRITABLE}); the flusher applies it at its next round, within a tenth of a
     * second. Said in one line. Throws IllegalArgumentException with a one-line reason if refused.
     *
     * @param by who asked, for that line: {@code "through JMX"}
     * @return the settings now
     */
    public synchronized Settings set(String name, String value, String by) {
        Settings before = settings;
        Settings after = before.with(name, value);
        String key = io.gcsflush.config.AgentConfig.keyOf(name);
        String was = before.value(key);
        String now = after.value(key);
        settings = after;
        if (!was.equals(now)) {
            Log.info("{} changed from {} to {} {}; flushing goes by {}", key, was, now, by, after.describe());
        }
        return after;
    }

    public boolean paused() {
        return paused;
    }

    /** Stops removing keys (the order is still kept up to date); said once. Returns whether it was running. */
    public synchronized boolean pause(String by) {
        if (paused) return false;
        paused = true;
        Log.info("flushing paused {}: nothing is removed until it is resumed", by);
        return true;
    }

    /** Flushes as the settings say again; said once. Returns whether it was paused. */
    public synchronized boolean resume(String by) {
        if (!paused) return false;
        paused = false;
        Log.info("flushing resumed {}", by);
        wake.run();
        return true;
    }

    /** Asks for a flush now, of one server ({@code null}: of each). */
    public FlushRequest requestFlush(ServerAddress server) {
        FlushRequest request = new FlushRequest(server);
        flushRequests.add(request);
        wake.run();
        return request;
    }

    /** Whether a flush was asked for and not yet taken. */
    public boolean flushRequested() {
        return !flushRequests.isEmpty();
    }

    /** Takes the flushes asked for; flusher thread. */
    public List<FlushRequest> takeFlushRequests() {
        if (flushRequests.isEmpty()) return List.of();
        List<FlushRequest> taken = new ArrayList<>();
        for (FlushRequest r; (r = flushRequests.poll()) != null; ) taken.add(r);
        return taken;
    }

    /** What wakes the flusher when a flush is asked for. */
    public void wakeWith(Runnable wake) {
        this.wake = wake;
    }

    /** The stats of a server, made when the flusher first meets it; flusher thread. */
    public ServerStats server(ServerAddress address) {
        ServerStats stats = servers.get(address);
        if (stats == null) {
            stats = new ServerStats(address, this);
            servers.put(address, stats);
            inOrder.add(stats);
            for (Consumer<ServerStats> listener : serverListeners) {
                try {
                    listener.accept(stats);
                } catch (RuntimeException e) {
                    Log.debug("could not publish {}: {}", address, e.toString());
                }
            }
        }
        return stats;
    }

    /** The servers so far, in the order the flusher met them. */
    public List<ServerStats> servers() {
        return inOrder;
    }

    /** Called with each server the flusher meets from now on, on the flusher's thread: it must return at once. */
    public void onServer(Consumer<ServerStats> listener) {
        serverListeners.add(listener);
    }

    public long eventsDropped() {
        return eventsDropped.getAsLong();
    }
}
