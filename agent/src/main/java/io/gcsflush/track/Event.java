package io.gcsflush.track;

/** One hand-off from an application (or client I/O) thread to the agent: see {@link io.gcsflush.bootstrap.Bridge}. */
final class Event {
    final int kind;
    final Object source;
    final Object payload;

    Event(int kind, Object source, Object payload) {
        this.kind = kind;
        this.source = source;
        this.payload = payload;
    }
}
