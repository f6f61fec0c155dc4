package io.gcsflush.track;

import io.gcsflush.bootstrap.Bridge;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * Where application threads leave events for the agent: a bounded, lock-free, multi-producer queue drained by one
 * thread (JCTools' field-updater variant: the Unsafe one makes JDK 24 and later print warnings into the
 * application's output). A full queue never makes a producer wait: the event is dropped and counted, and what was dropped is kept
 * aside (up to a bound) so that the agent can tell which connections it lost track of.
 */
public final class EventBuffer implements Bridge.Sink {
    private final MpscAtomicArrayQueue<Event> queue;
    private final MpscAtomicArrayQueue<Event> lost;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean lostOverflowed;
    private final KindResolver[] resolvers = new KindResolver[64];

    public EventBuffer(int capacity) {
        this.queue = new MpscAtomicArrayQueue<>(capacity);
        this.lost = new MpscAtomicArrayQueue<>(Math.max(1024, capacity / 16));
    }

    /**
     * Decides the final kind of an event on the recording thread, for facts that are only true at that moment (has
     * this reply completed the command?). Set up before the buffer is installed.
     */
    public void resolve(int kind, KindResolver resolver) {
        resolvers[kind] = resolver;
    }

    @Override
    public void record(int kind, Object source, Object payload) {
        KindResolver resolver = resolvers[kind & 63];
        if (resolver != null) kind = resolver.resolve(kind, payload);
        Event event = new Event(kind, source, payload);
        if (!queue.offer(event)) {
            if (!lost.offer(event)) lostOverflowed = true;
            dropped.incrementAndGet(); // after the event is set aside, so a reader that sees the count sees the event
        }
    }

    /** Events dropped since start; read before each event is processed, so losses are handled in order. */
    long dropped() {
        return dropped.get();
    }

    int drain(MessagePassingQueue.Consumer<Event> consumer, int limit) {
        return queue.drain(consumer, limit);
    }

    /** Takes the dropped events set aside; returns whether some could not even be set aside. */
    boolean drainLost(MessagePassingQueue.Consumer<Event> consumer) {
        lost.drain(consumer);
        boolean overflowed = lostOverflowed;
        lostOverflowed = false;
        return overflowed;
    }

    /** Computes an event's final kind from its payload, on the thread that records it; must be fast and safe. */
    public interface KindResolver {
        int resolve(int kind, Object payload);
    }

    int size() {
        return queue.size();
    }

    int capacity() {
        return queue.capacity();
    }
}
