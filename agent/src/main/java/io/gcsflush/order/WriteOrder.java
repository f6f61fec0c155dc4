package io.gcsflush.order;

import io.gcsflush.track.ServerEntry;
import java.io.IOException;

/**
 * Where the order in which the application created its keys lives, and how the oldest keys of a server are removed.
 * Two implementations: {@link LocalOrder}, this JVM's own log of what it wrote (it dies with the JVM and is private to
 * it), and {@link JournalOrder}, a journal kept in Redis itself, beside the keys, that every instance and every
 * restart of the application shares. The flusher does not care which: it asks for the oldest keys to go. Called on
 * the flusher thread only.
 */
public interface WriteOrder {
    /** Brings the order up to date with what the application wrote since the last call. Called often. */
    void sync(ServerEntry server, ServerLink link) throws IOException;

    /**
     * Removes up to {@code max} of the server's oldest keys (in a dry run, only says which it would remove).
     *
     * @param spacingNanos the least time since the previous flush of this server, by anyone: an order shared with
     *        other instances declines (see {@link Removal#early()}) if one of them flushed the server more recently
     */
    Removal removeOldest(ServerEntry server, ServerLink link, int max, long spacingNanos) throws IOException;

    /**
     * Whether the order is ready to be flushed: not while keys that must go first are still being taken into it
     * (the keys already in Redis, {@code adopt}), or the newest would go before them.
     */
    default boolean ready(ServerEntry server) {
        return true;
    }

    /**
     * A failover: the data of {@code from} (a master that went away, or became a replica) is on {@code to} now. What
     * the order of {@code from} still holds in this JVM goes to {@code to}'s; {@code from} is left with nothing.
     */
    void follow(ServerEntry from, ServerEntry to, ServerLink toLink) throws IOException;

    /**
     * The server restarted (its {@code run_id} changed): what this JVM holds of its order may name keys that are gone
     * (a restart without persistence). The journal finds out by itself (its id); a local order looks.
     */
    default void restarted(ServerEntry server, ServerLink link) throws IOException {
    }

    /** Keys in the server's order, as last known. */
    long size(ServerEntry server);

    /**
     * Keys whose memory the order accounts for, at most: those in it, and those on their way to it. Only ever used to
     * judge whether the order could bring a server under the threshold, where too many means flushing as before and
     * too few would mean pausing while the application's own newest keys fill the server.
     */
    default long held(ServerEntry server) {
        return size(server);
    }

    /** Whether keys are removed ({@code dry-run=false}). */
    boolean removes();

    /** For the start line: where the order lives. */
    String describe();
}
