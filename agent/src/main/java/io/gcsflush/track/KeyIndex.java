package io.gcsflush.track;

/**
 * Finds a record of the {@link KeyLog} by its hash: 256 open-addressing tables (segments), each of {@code int} record
 * handles plus one tag byte a slot. A segment grows on its own, by half, when it is 7/8 full; so growing the index
 * never stops the event thread for longer than it takes to re-insert one 256th of the keys (a few milliseconds at ten
 * million keys), and the index costs five bytes a slot, six to nine bytes a key.
 *
 * <p>Bits of the 64-bit hash: 40-47 choose the segment, 0-31 the first slot probed within it (scaled to its size,
 * which need not be a power of two), 57-63 the tag, so that the three are independent. A tag lets most probes skip
 * a slot without visiting its record. A slot number is {@code segment << 24 | index}.
 */
final class KeyIndex {
    static final int NONE = -1;
    private static final int SEGMENTS = 256;
    private static final int FIRST_CAPACITY = 16;
    private static final int MAX_CAPACITY = (1 << 24) - 1;
    private static final byte EMPTY = 0;
    private static final byte TOMBSTONE = 1;

    /** What the index needs from the log: a record's hash, and whether a record is a given key. */
    interface Records {
        long hashOf(int handle);

        boolean matches(int handle, int db, byte[] key);
    }

    private final Records records;
    private final Segment[] segments = new Segment[SEGMENTS];

    KeyIndex(Records records) {
        this.records = records;
    }

    /** The slot of the record for this key, or NONE. */
    int find(long hash, int db, byte[] key) {
        int s = segmentOf(hash);
        Segment segment = segments[s];
        if (segment == null) return NONE;
        byte tag = tag(hash);
        for (int i = segment.home(hash); ; i = segment.next(i)) {
            byte t = segment.tags[i];
            if (t == EMPTY) return NONE;
            if (t == tag && records.matches(segment.handles[i], db, key)) return s << 24 | i;
        }
    }

    /** The slot that holds this handle, whose record hashes to {@code hash}, or NONE. */
    int findHandle(long hash, int handle) {
        int s = segmentOf(hash);
        Segment segment = segments[s];
        if (segment == null) return NONE;
        byte tag = tag(hash);
        for (int i = segment.home(hash); ; i = segment.next(i)) {
            byte t = segment.tags[i];
            if (t == EMPTY) return NONE;
            if (t == tag && segment.handles[i] == handle) return s << 24 | i;
        }
    }

    /** Adds a handle whose record hashes to {@code hash}; returns its slot. */
    int insert(long hash, int handle) {
        int s = segmentOf(hash);
        Segment segment = segments[s];
        if (segment == null) segments[s] = segment = new Segment(FIRST_CAPACITY);
        if ((segment.occupied + 1) * 8L > segment.capacity() * 7L) {
            // Grow by half when live keys fill more than half of it, otherwise only sweep its tombstones out.
            int capacity = segment.capacity();
            segments[s] = segment = rebuilt(segment,
                    segment.live * 2L > capacity ? (int) Math.min(MAX_CAPACITY, capacity + capacity / 2L) : capacity);
        }
        return s << 24 | segment.put(hash, handle);
    }

    /** Removes the entry at a slot found by {@link #find} or {@link #findHandle}. */
    void remove(int slot) {
        Segment segment = segments[slot >>> 24];
        int i = slot & 0xFFFFFF;
        segment.live--;
        // A tombstone is needed only if a probe could run past this slot.
        if (segment.tags[segment.next(i)] == EMPTY) {
            segment.tags[i] = EMPTY;
            segment.occupied--;
            // Earlier tombstones that now end a run can go too.
            for (int j = segment.previous(i); segment.tags[j] == TOMBSTONE; j = segment.previous(j)) {
                segment.tags[j] = EMPTY;
                segment.occupied--;
            }
        } else {
            segment.tags[i] = TOMBSTONE;
        }
    }

    int handle(int slot) {
        return segments[slot >>> 24].handles[slot & 0xFFFFFF];
    }

    /** Whether a slot number (perhaps remembered from earlier) still holds a live entry. */
    boolean live(int slot) {
        if (slot == NONE) return false;
        Segment segment = segments[slot >>> 24];
        int i = slot & 0xFFFFFF;
        return segment != null && i < segment.capacity() && segment.tags[i] < 0;
    }

    void clear() {
        java.util.Arrays.fill(segments, null);
    }

    long memoryBytes() {
        long bytes = 16 + 4L * SEGMENTS;
        for (Segment s : segments) if (s != null) bytes += 64 + 5L * s.capacity();
        return bytes;
    }

    private Segment rebuilt(Segment old, int capacity) {
        Segment fresh = new Segment(capacity);
        for (int i = 0; i < old.capacity(); i++) {
            if (old.tags[i] < 0) fresh.put(records.hashOf(old.handles[i]), old.handles[i]);
        }
        return fresh;
    }

    private static int segmentOf(long hash) {
        return (int) (hash >>> 40) & (SEGMENTS - 1);
    }

    /** Seven bits of the hash that neither the segment nor the home slot use, marked so as never to be EMPTY. */
    private static byte tag(long hash) {
        return (byte) (0x80 | (hash >>> 57));
    }

    private static final class Segment {
        final int[] handles;
        final byte[] tags;
        int occupied;
        int live;

        Segment(int capacity) {
            handles = new int[capacity];
            tags = new byte[capacity];
        }

        int capacity() {
            return handles.length;
        }

        int put(long hash, int handle) {
            int i = home(hash);
            while (tags[i] < 0) i = next(i);
            if (tags[i] == EMPTY) occupied++;
            tags[i] = tag(hash);
            handles[i] = handle;
            live++;
            return i;
        }

        /** The first slot to probe: the low half of the hash scaled to the segment's size. */
        int home(long hash) {
            return (int) (((hash & 0xFFFFFFFFL) * handles.length) >>> 32);
        }

        int next(int i) {
            return i + 1 == handles.length ? 0 : i + 1;
        }

        int previous(int i) {
            return i == 0 ? handles.length - 1 : i - 1;
        }
    }
}
