package io.gcsflush.track;

/** What one client family (Jedis, Lettuce) does with its events, on the event thread, under the tracker's lock. */
public interface ClientEvents {
    /** One event; {@code event} is the kind without the family bits. */
    void handle(int event, Object source, Object payload);

    /**
     * Events of a connection were dropped because the buffer was full; {@code consequences} are
     * {@link EventBuffer.LossFilter} flags. Called before any later event of that connection is handled.
     */
    void lost(Object source, int consequences);

    /** Connections followed, for statistics. */
    int sessions();
}
