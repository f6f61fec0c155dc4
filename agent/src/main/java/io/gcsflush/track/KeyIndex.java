package io.gcsflush.track;

import java.util.Arrays;

/**
 * Finds a record of the {@link KeyLog} by its hash: 256 open-addressing tables (segments) of {@code long} slots.
 * A slot holds a record handle and 30 bits of the record's hash: 23 that place it in its segment and 7 more. So a
 * probe visits a record only when 30 bits of the hash agree (about once in a billion by chance), and a segment grows
 * by copying slots, without reading a record or hashing a key again. Segments grow on their own, by half, when 7/8
 * full; so growing never stops the event thread for longer than it takes to copy one 256th of the index.
 *
 * <p>Hash bits: 40-47 choose the segment; 0-22 place the slot within it (scaled to the segment's size, which need
 * not be a power of two); 57-63 complete the fingerprint. A slot is {@code [63:62] state, [61:55] bits 57-63,
 * [54:32] bits 0-22, [31:0] handle}; state 0 is empty, 1 a tombstone, 2 live. A slot number is
 * {@code segment << 24 | index}.
 */
final class KeyIndex {
    static final int NONE = -1;
    private static final int SEGMENTS = 256;
    private static final int FIRST_CAPACITY = 16;
    private static final int MAX_CAPACITY = (1 << 24) - 1;
    private static final long EMPTY = 0;
    private static final long TOMBSTONE = 1L << 62;
    private static final long LIVE = 2L << 62;
    private static final long STATE = 3L << 62;
    private static final long FINGERPRINT = 0x3FFFFFFFL << 32;
    private static final int HOME_BITS = 23;

    /** What the index needs from the log: whether a record is a given key. */
    interface Records {
        /** Whether the record is {@code key[from, to)} in {@code db}. */
        boolean matches(int handle, int db, byte[] key, int from, int to);
    }

    private final Records records;
    private final Segment[] segments = new Segment[SEGMENTS];

    KeyIndex(Records records) {
        this.records = records;
    }

    /** The slot of the record for this key, or NONE. */
    int find(long hash, int db, byte[] key) {
        return find(hash, db, key, 0, key.length);
    }

    /** The slot of the record for the key {@code key[from, to)}, or NONE. */
    int find(long hash, int db, byte[] key, int from, int to) {
        int s = segmentOf(hash);
        Segment segment = segments[s];
        if (segment == null) return NONE;
        long want = LIVE | fingerprint(hash);
        long[] slots = segment.slots;
        for (int i = segment.home(want); ; i = segment.next(i)) {
            long slot = slots[i];
            if (slot == EMPTY) return NONE;
            if ((slot & (STATE | FINGERPRINT)) == want && records.matches((int) slot, db, key, from, to)) {
                return s << 24 | i;
            }
        }
    }

    /**
     * Reads the first slot a find or insert of this hash looks at, and returns it: called for many hashes in a row
     * before they are looked up one by one, so that their cache misses overlap instead of following each other.
     */
    long touch(long hash) {
        Segment segment = segments[segmentOf(hash)];
        return segment == null ? 0 : segment.slots[segment.home(LIVE | fingerprint(hash))];
    }

    /** The slot that holds this handle, whose record hashes to {@code hash}, or NONE. */
    int findHandle(long hash, int handle) {
        int s = segmentOf(hash);
        Segment segment = segments[s];
        if (segment == null) return NONE;
        long want = entry(hash, handle);
        long[] slots = segment.slots;
        for (int i = segment.home(want); ; i = segment.next(i)) {
            long slot = slots[i];
            if (slot == EMPTY) return NONE;
            if (slot == want) return s << 24 | i;
        }
    }

    /** Adds a handle whose record hashes to {@code hash}; returns its slot. */
    int insert(long hash, int handle) {
        int s = segmentOf(hash);
        Segment segment = segments[s];
        if (segment == null) segments[s] = segment = new Segment(FIRST_CAPACITY);
        if ((segment.occupied + 1) * 8L > segment.capacity() * 7L) {
            // Grow by half when live entries fill more than half of it, otherwise only sweep its tombstones out.
            int capacity = segment.capacity();
            segments[s] = segment = segment.copy(
                    segment.live * 2L > capacity ? (int) Math.min(MAX_CAPACITY, capacity + capacity / 2L) : capacity);
        }
        return s << 24 | segment.put(entry(hash, handle));
    }

    /** Removes the entry at a slot found by {@link #find} or {@link #findHandle}. */
    void remove(int slot) {
        Segment segment = segments[slot >>> 24];
        long[] slots = segment.slots;
        int i = slot & 0xFFFFFF;
        segment.live--;
        // A tombstone is needed only if a probe could run past this slot.
        if (slots[segment.next(i)] == EMPTY) {
            slots[i] = EMPTY;
            segment.occupied--;
            // Earlier tombstones that now end a run can go too.
            for (int j = segment.previous(i); slots[j] == TOMBSTONE; j = segment.previous(j)) {
                slots[j] = EMPTY;
                segment.occupied--;
            }
        } else {
            slots[i] = TOMBSTONE;
        }
    }

    int handle(int slot) {
        return (int) segments[slot >>> 24].slots[slot & 0xFFFFFF];
    }

    /** Whether a slot number (perhaps remembered from earlier) still holds a live entry. */
    boolean live(int slot) {
        if (slot == NONE) return false;
        Segment segment = segments[slot >>> 24];
        int i = slot & 0xFFFFFF;
        return segment != null && i < segment.capacity() && (segment.slots[i] & STATE) == LIVE;
    }

    void clear() {
        Arrays.fill(segments, null);
    }

    long memoryBytes() {
        long bytes = 16 + 4L * SEGMENTS;
        for (Segment s : segments) if (s != null) bytes += 48 + 8L * s.capacity();
        return bytes;
    }

    private static int segmentOf(long hash) {
        return (int) (hash >>> 40) & (SEGMENTS - 1);
    }

    private static long fingerprint(long hash) {
        return ((hash >>> 57) << 55) | ((hash & ((1L << HOME_BITS) - 1)) << 32);
    }

    private static long entry(long hash, int handle) {
        return LIVE | fingerprint(hash) | (handle & 0xFFFFFFFFL);
    }

    private static final class Segment {
        final long[] slots;
        int occupied;
        int live;

        Segment(int capacity) {
            slots = new long[capacity];
        }

        int capacity() {
            return slots.length;
        }

        int put(long entry) {
            int i = home(entry);
            while ((slots[i] & STATE) == LIVE) i = next(i);
            if (slots[i] == EMPTY) occupied++;
            slots[i] = entry;
            live++;
            return i;
        }

        /** A copy of the live entries, in a segment of the given size. */
        Segment copy(int capacity) {
            Segment fresh = new Segment(capacity);
            for (long slot : slots) if ((slot & STATE) == LIVE) fresh.put(slot);
            return fresh;
        }

        /** The first slot to probe: the entry's 23 placing bits scaled to the segment's size. */
        int home(long entry) {
            return (int) ((((entry >>> 32) & ((1L << HOME_BITS) - 1)) * slots.length) >>> HOME_BITS);
        }

        int next(int i) {
            return i + 1 == slots.length ? 0 : i + 1;
        }

        int previous(int i) {
            return i == 0 ? slots.length - 1 : i - 1;
        }
    }
}
