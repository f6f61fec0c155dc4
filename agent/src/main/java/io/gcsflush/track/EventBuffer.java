package io.gcsflush.track;

import io.gcsflush.bootstrap.Bridge;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * Where application threads leave events for the agent: a bounded, lock-free, multi-producer queue drained by one
 * thread (JCTools' field-updater variant: the Unsafe one makes JDK 24 and later print warnings into the
 * application's output).
 *
 * <p>A full queue means the agent fell behind (a burst, or a CPU-bound neighbour that keeps its thread off a core).
 * Dropping the event would lose keys for good (a key never tracked is never removed), so the producer helps instead,
 * as Caffeine's writers do when its write buffer is full: it drains a batch itself if the agent's lock is free, or
 * yields its core to the thread that holds it, until its event fits ({@link #record}). What that costs the
 * application is bounded: one batch ({@code EventProcessor.BATCH} events) a help, and {@link #MAX_HELP_NANOS} in
 * all for one event. Only past that bound, or before the agent's thread exists, is the event dropped and counted,
 * and what its loss means for its connection (replies no longer match commands; the database may have changed) is
 * noted against the connection, so that the agent follows that connection safely from then on.
 */
public final class EventBuffer implements Bridge.Sink {
    private static final BiFunction<Integer, Integer, Integer> OR = (a, b) -> a | b;

    /** Holds {@link Event}s, and bare sources for the commonest event of all (see {@link #record}). */
    private final MpscAtomicArrayQueue<Object> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Map<Identity, Integer> losses = new ConcurrentHashMap<>();
    private final KindResolver[] resolvers = new KindResolver[64];
    private final LossFilter[] lossFilters = new LossFilter[16];
    /** Drains one batch on the caller's thread if the agent's lock is free; null until the agent's thread exists. */
    private volatile Helper helper;
    /** Times a producer found the queue full, and nanoseconds producers spent helping or waiting for room. */
    private final AtomicLong fullTimes = new AtomicLong();
    private final AtomicLong helpNanos = new AtomicLong();
    /** The most one event may cost its producer before it is dropped: far above a batch (milliseconds), well below
     *  anything an application would take for a hang. */
    static final long MAX_HELP_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);

    public EventBuffer(int capacity) {
        this.queue = new MpscAtomicArrayQueue<>(capacity);
    }

    /**
     * Decides the final kind of an event on the recording thread, for facts that are only true at that moment (has
     * this reply completed the command?). Set up before the buffer is installed.
     */
    public void resolve(int kind, KindResolver resolver) {
        resolvers[kind] = resolver;
    }

    /** Tells what losing an event of a client family means. Set up before the buffer is installed. */
    public void lossFilter(int family, LossFilter filter) {
        lossFilters[family >>> 4] = filter;
    }

    @Override
    public void record(int kind, Object source, Object payload) {
        KindResolver resolver = resolvers[kind & 63];
        if (resolver != null) kind = resolver.resolve(kind, payload);
        // A Jedis reply that is a plain value ("OK", a bulk string), as every reply to a SET is, says nothing the
        // agent needs beyond "not an error, not nil, not a number": its connection alone stands for it, and the
        // application thread allocates nothing.
        Object element = kind == PLAIN_REPLY_KIND && payload instanceof byte[] && source != null
                ? source : new Event(kind, source, payload);
        if (!queue.offer(element)) full(element, kind, source, payload);
    }

    /** How a producer helps when the queue is full. */
    public interface Helper {
        /** Drains one batch on the calling thread, if the agent's lock is free at once; returns whether it did. */
        boolean tryDrain();
    }

    /** Set once the agent can apply events (its event processor exists). */
    public void helper(Helper h) {
        helper = h;
    }

    /** The slow path, taken only when the agent has fallen behind: help until the event fits, within a bound. */
    private void full(Object element, int kind, Object source, Object payload) {
        Helper h = helper;
        if (h != null) {
            fullTimes.incrementAndGet();
            long start = System.nanoTime();
            long now = start;
            try {
                do {
                    if (!h.tryDrain()) Thread.yield(); // the agent's thread is draining: let it have the core
                    if (queue.offer(element)) return;
                    now = System.nanoTime();
                } while (now - start < MAX_HELP_NANOS);
            } finally {
                helpNanos.addAndGet(System.nanoTime() - start);
            }
        }
        lose(kind, source, payload);
    }

    /** Times a producer found the buffer full (and helped). */
    long fullTimes() {
        return fullTimes.get();
    }

    /** Nanoseconds producers spent helping drain, or waiting for room, in all. */
    long helpNanos() {
        return helpNanos.get();
    }

    /** The kind of event a bare source in the queue stands for, with {@link #PLAIN_REPLY} as its payload. */
    static final int PLAIN_REPLY_KIND = Bridge.JEDIS | Bridge.RECEIVED;
    /** The payload of a bare source: a reply that is a plain value. */
    public static final Object PLAIN_REPLY = new Object() {
        @Override
        public String toString() {
            return "a plain reply";
        }
    };

    /** The last resort: the event is dropped, counted, and its consequences noted against its connection. */
    private void lose(int kind, Object source, Object payload) {
        int consequences = LossFilter.UNPAIR | LossFilter.FORGET_DATABASE | LossFilter.END_TRANSACTION;
        LossFilter filter = lossFilters[(kind >>> 4) & 15];
        if (filter != null) {
            try {
                consequences = filter.consequences(kind & Bridge.EVENT_MASK, payload);
            } catch (RuntimeException e) {
                // Cannot tell: assume the worst.
            }
        }
        if (consequences != 0 && source != null) losses.merge(new Identity(source, kind >>> 4), consequences, OR);
        dropped.incrementAndGet(); // after the loss is noted, so a reader that sees the count sees the note
    }

    /** Events dropped since start; read before each event is processed, so losses are handled in order. */
    public long dropped() {
        return dropped.get();
    }

    int drain(MessagePassingQueue.Consumer<Object> consumer, int limit) {
        return queue.drain(consumer, limit);
    }

    /** Hands over, and forgets, the connections that lost events since the last call. */
    void drainLosses(LossConsumer consumer) {
        for (Identity id : losses.keySet()) {
            Integer consequences = losses.remove(id);
            if (consequences != null) consumer.lost(id.family, id.source, consequences);
        }
    }

    int size() {
        return queue.size();
    }

    int capacity() {
        return queue.capacity();
    }

    /** Computes an event's final kind from its payload, on the thread that records it; must be fast and safe. */
    public interface KindResolver {
        int resolve(int kind, Object payload);
    }

    /** What losing one event means for its connection; called on the thread that lost it, so thread-safe. */
    public interface LossFilter {
        /** Replies of the connection can no longer be matched to its commands. */
        int UNPAIR = 1;
        /** The lost event may have changed the connection's database (SELECT, RESET). */
        int FORGET_DATABASE = 2;
        /** The lost event may have opened or ended a transaction (MULTI, EXEC, DISCARD). */
        int END_TRANSACTION = 4;

        int consequences(int event, Object payload);
    }

    interface LossConsumer {
        void lost(int family, Object source, int consequences);
    }

    /** A connection, by identity. */
    private static final class Identity {
        final Object source;
        final int family;

        Identity(Object source, int family) {
            this.source = source;
            this.family = family;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Identity && ((Identity) o).source == source;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(source);
        }
    }
}
