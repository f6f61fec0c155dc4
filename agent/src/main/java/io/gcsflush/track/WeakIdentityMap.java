package io.gcsflush.track;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * A map keyed by object identity that does not keep its keys alive: an entry goes when the application drops the
 * connection it describes. Single-threaded; the last key looked up is cached, since events come in runs.
 */
final class WeakIdentityMap<V> {
    private final Map<Key, V> map = new HashMap<>();
    private final ReferenceQueue<Object> cleared = new ReferenceQueue<>();
    private final Probe probe = new Probe();
    private Object lastKey;
    private V lastValue;

    V get(Object key) {
        if (key == lastKey) return lastValue;
        probe.set(key);
        V value = map.get(probe);
        probe.set(null);
        if (value != null) {
            lastKey = key;
            lastValue = value;
        }
        return value;
    }

    void put(Object key, V value) {
        expunge();
        map.put(new Key(key, cleared), value);
        lastKey = key;
        lastValue = value;
    }

    void remove(Object key) {
        probe.set(key);
        map.remove(probe);
        probe.set(null);
        if (key == lastKey) {
            lastKey = null;
            lastValue = null;
        }
    }

    int size() {
        expunge();
        return map.size();
    }

    Iterable<V> values() {
        expunge();
        return map.values();
    }

    private void expunge() {
        for (Object ref; (ref = cleared.poll()) != null; ) map.remove(ref);
    }

    /** Both Key and Probe hash by identity and compare referents with ==, so a Probe finds a Key. */
    private interface Identity {
        Object referent();
    }

    private static final class Key extends WeakReference<Object> implements Identity {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            hash = System.identityHashCode(referent);
        }

        @Override public Object referent() { return get(); }
        @Override public int hashCode() { return hash; }

        @Override
        public boolean equals(Object o) {
            if (o == this) return true;
            if (!(o instanceof Identity)) return false;
            Object mine = get();
            return mine != null && mine == ((Identity) o).referent();
        }
    }

    private static final class Probe implements Identity {
        private Object referent;
        private int hash;

        void set(Object referent) {
            this.referent = referent;
            this.hash = referent == null ? 0 : System.identityHashCode(referent);
        }

        @Override public Object referent() { return referent; }
        @Override public int hashCode() { return hash; }
        @Override public boolean equals(Object o) { return o instanceof Identity && ((Identity) o).referent() == referent; }
    }
}
