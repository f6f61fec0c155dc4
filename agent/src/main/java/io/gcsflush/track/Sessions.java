package io.gcsflush.track;

import io.gcsflush.redis.ServerAddress;

/** The sessions of one client family, keyed weakly by the client's connection object. */
public final class Sessions {
    private final WeakIdentityMap<Session> map = new WeakIdentityMap<>();
    private final Tracker tracker;

    public Sessions(Tracker tracker) {
        this.tracker = tracker;
    }

    public Session get(Object connection) {
        return map.get(connection);
    }

    /**
     * Starts following a connection to a server (after a connect, or when first seen).
     *
     * @param address the server, or null if it is not one the agent can reach (the session then tracks nothing)
     * @param db the database the connection starts in, or {@link Session#UNKNOWN_DB}
     */
    public Session open(Object connection, ServerAddress address, int db) {
        Session s = new Session(address == null ? null : tracker.server(address), db);
        map.put(connection, s);
        return s;
    }

    public void forget(Object connection) {
        map.remove(connection);
    }

    public Iterable<Session> all() {
        return map.values();
    }

    public int size() {
        return map.size();
    }
}
