package io.gcsflush.ops;

import io.gcsflush.redis.ServerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A flush asked for through JMX ({@code flushNow}, {@code gcs-flush flush}): of one server, or of every server. The
 * flusher carries it out at its next round, whatever the memory, the period or a pause, and says what it did.
 */
public final class FlushRequest {
    private final ServerAddress server;
    private final List<String> outcomes = new ArrayList<>();
    private final CompletableFuture<List<String>> done = new CompletableFuture<>();

    FlushRequest(ServerAddress server) {
        this.server = server;
    }

    /** Whether it asks for this server to be flushed. */
    public boolean covers(ServerAddress address) {
        return server == null || server.equals(address);
    }

    /** What the flush of one server did; flusher thread. */
    public void outcome(String line) {
        synchronized (outcomes) {
            outcomes.add(line);
        }
    }

    /** The round is over; flusher thread. */
    public void complete() {
        synchronized (outcomes) {
            if (outcomes.isEmpty()) {
                outcomes.add(server == null ? "no server to flush: the application has written to none yet"
                        : "no server " + server + " among those the application writes to");
            }
            done.complete(new ArrayList<>(outcomes));
        }
    }

    /** One line per server flushed, once done. */
    public CompletableFuture<List<String>> result() {
        return done;
    }
}
