package io.gcsflush.track;

/** What one client family (Jedis, Lettuce) does with its events, on the event thread, under the tracker's lock. */
public interface ClientEvents {
    /** One event; {@code event} is the kind without the family bits. */
    void handle(int event, Object source, Object payload);

    /**
     * An event of this family was dropped because the buffer was full. Whatever depended on it must now be treated
     * as unknown, before any later event of the same connection is handled.
     */
    void lost(int event, Object source, Object payload);

    /** Events were dropped without a trace: every connection's state is uncertain. */
    void lostAll();

    /** Connections followed, for statistics. */
    int sessions();
}
