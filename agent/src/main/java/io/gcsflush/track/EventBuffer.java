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
 * application's output). A full queue never makes a producer wait: the event is dropped and counted, and what its
 * loss means for its connection (replies no longer match commands; the database may have changed) is noted against
 * the connection, so that the agent follows that connection safely from then on.
 */
public final class EventBuffer implements Bridge.Sink {
    private static final BiFunction<Integer, Integer, Integer> OR = (a, b) -> a | b;

    /** Holds {@link Event}s, and bare sources for the commonest event of all (see {@link #record}). */
    private final MpscAtomicArrayQueue<Object> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Map<Identity, Integer> losses = new ConcurrentHashMap<>();
    private final KindResolver[] resolvers = new KindResolver[64];
    private final LossFilter[] lossFilters = new LossFilter[16];

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
        if (!queue.offer(element)) lose(kind, source, payload);
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

    /** The slow path, taken only when the agent has fallen behind. */
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
