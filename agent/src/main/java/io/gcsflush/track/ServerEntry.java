package io.gcsflush.track;

import io.gcsflush.redis.Credentials;
import io.gcsflush.redis.ServerAddress;

/** A Redis server the application wrote to, with the keys it wrote there. Guarded by the {@link Tracker}'s lock. */
public final class ServerEntry {
    private final ServerAddress address;
    private KeyLog keys = new KeyLog();
    private volatile Credentials credentials;
    /**
     * When the application last had a reply from this server (epoch ms, the event thread's clock, to the batch): the
     * flusher takes it as a sign that a server it could not reach is back.
     */
    private volatile long lastReplyMillis;

    ServerEntry(ServerAddress address) {
        this.address = address;
    }

    public ServerAddress address() {
        return address;
    }

    /** The keys; only while holding the tracker's lock. */
    public KeyLog keys() {
        return keys;
    }

    /** Replaces the keys (a failover brought another server's keys here); under the lock. */
    public void keys(KeyLog replacement) {
        keys = replacement;
    }

    public long lastReplyMillis() {
        return lastReplyMillis;
    }

    /** The application had a reply from this server at {@code epochMillis}; a volatile write at most once a ms. */
    void replied(long epochMillis) {
        if (lastReplyMillis != epochMillis) lastReplyMillis = epochMillis;
    }

    /** How the application authenticated to this server, if it did; the agent's own connection does the same. */
    public Credentials credentials() {
        return credentials;
    }

    void credentials(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
