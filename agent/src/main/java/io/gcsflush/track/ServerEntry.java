package io.gcsflush.track;

import io.gcsflush.redis.Credentials;
import io.gcsflush.redis.ServerAddress;

/** A Redis server the application wrote to, with the keys it wrote there. Guarded by the {@link Tracker}'s lock. */
public final class ServerEntry {
    private final ServerAddress address;
    private final KeyLog keys = new KeyLog();
    private volatile Credentials credentials;

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
