package io.gcsflush.track;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The keys this JVM wrote to one Redis server, oldest first, in a few bytes more than the keys themselves.
 *
 * <p>Records are appended to a log of byte chunks ({@link ChunkSize}), so creation order is log order and the oldest
 * keys are found by reading from the head. A record is {@code flags:1 db:1 keyLength:2 size:4 key:keyLength}, padded to
 * four bytes. A {@link KeyIndex} of record handles finds a record by database and key. Removing a key only marks its
 * record dead; chunks whose records are all dead are dropped from the head, and when dead records outweigh live ones
 * the log is compacted, keeping order. Expiry times and renamed keys, which few records have, live in side maps.
 *
 * <p>A write does not look in the index: the record is appended as pending ({@link Pending}), and pending records are
 * settled in bulk, before anything reads the log or looks a key up for another purpose ({@link #settle}). So a new
 * key costs an append and a look in a small table that stays in cache, whatever the number of keys tracked.
 *
 * <p>A record keeps its place for life: writing the key again updates its size, a RENAME gives it the new name. A
 * record handle is {@code (chunk number mod 2^(34 - chunkShift)) << (chunkShift - 2) | offset >>> 2}; it is stable
 * until the next compaction, which never runs while a flush holds handles ({@link #beginFlight()}).
 *
 * <p>Not thread-safe: the owner serialises access.
 */
public final class KeyLog implements KeyIndex.Records {
    /** Keys longer than this are not tracked. */
    public static final int MAX_KEY_LENGTH = 0xFFFF;
    /** Databases numbered above this are not tracked. */
    public static final int MAX_DB = 0xFF;
    static final int NONE = -1;

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int HEADER = 8;
    private static final int ALIVE = 1;
    private static final int HAS_TTL = 2;
    private static final int RENAMED = 4;
    /** The key was appended to its database's journal in Redis (see {@link #walkUnjournaled}). */
    private static final int JOURNALED = 8;
    /** Appended by a write and not settled yet: it may be a write to a key with an older record ({@link #settle}). */
    private static final int PENDING = 16;
    /** Pending, first written by a write that adds to a value (APPEND, LPUSH): it adds its bytes to an older record's
     *  size rather than replacing it. */
    private static final int DELTA = 32;
    /** Pending, and its key's expiry was cleared (PERSIST, a SET): an older record's expiry goes when they merge. */
    private static final int PERSIST = 64;

    private final int chunkShift;
    private final int chunkSize;
    private final int offsetBits;
    /** How many chunk numbers a handle can tell apart: its bits not taken by the offset. */
    private final int chunkNumbers;

    // The log: chunks[n & (chunks.length - 1)] holds chunk number n, for head <= n <= tail.
    private byte[][] chunks;
    private int[] chunkLive;
    private int[] chunkEnd;
    private long head;
    private long tail;
    private int headOffset;

    private final KeyIndex index = new KeyIndex(this);
    private final Pending pending = new Pending();
    /** Where the pending records start: every record from here to the end is pending. */
    private long pendingFrom;
    /** Keeps {@link #settle}'s early loads from being optimised away. */
    private long touched;

    private int live;
    private long liveRecordBytes;
    private long deadRecordBytes;
    private long trackedSize;
    private int flights;
    private int lastSlot = NONE;

    /**
     * Positions in the log ({@code chunkNumber << 32 | offset}) that stay on the same record through reclaims and
     * compactions; {@link #FREE} when unused. The journal keeps where it has appended up to, and where each of its
     * batches ends, as cursors.
     */
    private long[] cursors = new long[8];
    private int cursorCount;
    private static final long FREE = -1;
    /** Told of each journaled key that dies here (deleted, expired, renamed), to take it out of the journal. */
    private JournalListener journalListener;
    private int journalCursor = -1;

    private final IntIntMap expiries = new IntIntMap();
    private final ExpiryQueue expiryQueue = new ExpiryQueue();
    private final Map<Integer, byte[]> renamed = new HashMap<>();

    /** Chunks of {@link ChunkSize}: under G1, one heap region each. */
    public KeyLog() {
        this(ChunkSize.SHIFT, ChunkSize.BYTES);
    }

    /** @param chunkShift log2 of the chunk size; small chunks exist for tests of the chunk boundaries */
    KeyLog(int chunkShift) {
        this(chunkShift, 1 << chunkShift);
    }

    /** @param chunkSize at most {@code 1 << chunkShift} bytes, a multiple of four */
    KeyLog(int chunkShift, int chunkSize) {
        if (chunkShift < 6 || chunkShift > 25) throw new IllegalArgumentException("chunkShift " + chunkShift);
        if (chunkSize > 1 << chunkShift || chunkSize < 1 << (chunkShift - 1) || (chunkSize & 3) != 0) {
            throw new IllegalArgumentException("chunkSize " + chunkSize + " for chunkShift " + chunkShift);
        }
        this.chunkShift = chunkShift;
        this.chunkSize = chunkSize;
        this.offsetBits = chunkShift - 2;
        this.chunkNumbers = 1 << (32 - offsetBits);
        clear();
    }

    // ------------------------------------------------------------------ queries

    /** Keys tracked. */
    public int size() {
        settle();
        return live;
    }

    /** Tracked keys with an expiry time. */
    public int withExpiry() {
        settle();
        return expiries.size();
    }

    /** Sum of the tracked keys' sizes: key and value bytes the application wrote. */
    public long trackedBytes() {
        settle();
        return trackedSize;
    }

    /** What this log costs the JVM heap, in bytes, approximately. */
    public long memoryBytes() {
        long bytes = 64L + 4L * chunks.length + 8L * chunkLive.length;
        for (long n = head; n <= tail; n++) if (chunk(n) != null) bytes += 16L + chunkSize;
        bytes += index.memoryBytes() + pending.memoryBytes();
        bytes += expiries.memoryBytes() + expiryQueue.memoryBytes();
        for (byte[] name : renamed.values()) bytes += 64 + name.length;
        return bytes;
    }

    public boolean contains(int db, byte[] key) {
        if (!trackable(db, key.length)) return false;
        long h = KeyHash.hash(key, 0, key.length, db);
        // Written and pending: tracked, whether or not it had an older record (SET asks this after every write).
        return pending.find(h, db, key) >= 0 || find(db, key, h) != NONE;
    }

    /** The tracked size of a key, or -1 if it is not tracked. */
    public long sizeOf(int db, byte[] key) {
        int slot = find(db, key);
        return slot == NONE ? -1 : size(index.handle(slot));
    }

    /** The expiry time of a key in epoch seconds, 0 if it has none, -1 if it is not tracked. */
    public long expiryOf(int db, byte[] key) {
        int slot = find(db, key);
        if (slot == NONE) return -1;
        int expiry = expiries.get(index.handle(slot));
        return expiry == IntIntMap.MISSING ? 0 : expiry & 0xFFFFFFFFL;
    }

    /** Whether a key of this length in this database can be tracked at all. */
    public static boolean trackable(int db, int keyLength) {
        return db >= 0 && db <= MAX_DB && keyLength <= MAX_KEY_LENGTH;
    }

    // ------------------------------------------------------------------ changes

    /**
     * Records a write to a key: a new key is appended as the newest; a known key keeps its place. The write is
     * appended as a pending record without a look in the index (see {@link #settle}), unless the key has a pending
     * record already, which takes the write.
     *
     * @param bytes value bytes the write added, or the value's whole size if {@code replace}
     * @param replace whether the write replaced the value (SET) rather than added to it (APPEND, LPUSH)
     * @return false if the key was known to be tracked (it has a pending record); true if a record was appended,
     *     which is merged into an older record of the key, if there is one, when pending records are settled
     */
    public boolean write(int db, byte[] key, long bytes, boolean replace) {
        if (!trackable(db, key.length)) return false;
        long h = KeyHash.hash(key, 0, key.length, db);
        int o = pending.find(h, db, key);
        if (o >= 0) {
            int handle = pending.handles[o];
            if (replace) {
                setSize(handle, key.length + bytes);
                setFlag(handle, DELTA, false);
            } else {
                setSize(handle, size(handle) + bytes);
            }
            return false;
        }
        if (pending.count == Pending.MAX) settle();
        int handle = append(db, key, key.length + bytes, replace ? PENDING : PENDING | DELTA);
        pending.add(h, handle);
        return true;
    }

    /** Forgets a key (DEL, UNLINK, GETDEL, or an expiry). */
    public boolean remove(int db, byte[] key) {
        boolean removed = forget(db, key);
        reclaim();
        return removed;
    }

    private boolean forget(int db, byte[] key) {
        int slot = find(db, key);
        if (slot == NONE) return false;
        kill(slot);
        return true;
    }

    /** RENAME: the record takes the new name and keeps its place; whatever was tracked under the new name is gone. */
    public void rename(int db, byte[] from, byte[] to) {
        if (Arrays.equals(from, to)) return;
        forget(db, to);
        int fromSlot = find(db, from);
        if (fromSlot != NONE && isJournaled(index.handle(fromSlot))) {
            // The journal names the key by its old name: the old entry is dead, the new name a new key.
            reappend(fromSlot, db, to, true);
        } else if (fromSlot != NONE) {
            if (trackable(db, to.length)) {
                int handle = index.handle(fromSlot);
                unindex(fromSlot);
                setName(handle, to);
                insert(KeyHash.hash(to, 0, to.length, db), handle);
            } else {
                kill(fromSlot);
            }
        }
        reclaim();
    }

    /** MOVE: the key goes to another database, keeping its place. */
    public void move(int db, byte[] key, int toDb) {
        if (db == toDb) return;
        forget(toDb, key);
        int slot = find(db, key);
        if (slot != NONE && isJournaled(index.handle(slot))) {
            reappend(slot, toDb, key, true);
        } else if (slot != NONE) {
            if (trackable(toDb, key.length)) {
                int handle = index.handle(slot);
                unindex(slot);
                chunk(handle)[offset(handle) + 1] = (byte) toDb;
                insert(KeyHash.hash(key, 0, key.length, toDb), handle);
            } else {
                kill(slot);
            }
        }
        reclaim();
    }

    /** COPY: the destination is a new key (the newest) with the source's size and expiry. */
    public void copy(int db, byte[] from, int toDb, byte[] to) {
        int slot = find(db, from);
        long bytes = slot == NONE ? 0 : size(index.handle(slot)) - from.length;
        int expiry = slot == NONE ? IntIntMap.MISSING : expiries.get(index.handle(slot));
        forget(toDb, to);
        write(toDb, to, Math.max(0, bytes), true);
        if (expiry != IntIntMap.MISSING) expireAt(toDb, to, expiry & 0xFFFFFFFFL);
    }

    /** Sets a key's expiry time in epoch seconds; the key is forgotten once {@link #expire} passes that time. */
    public void expireAt(int db, byte[] key, long epochSeconds) {
        int slot = find(db, key);
        if (slot == NONE) return;
        int handle = index.handle(slot);
        int when = (int) Math.min(0xFFFFFFFFL, Math.max(1, epochSeconds));
        if (when == IntIntMap.MISSING) when++; // that one second of 2038 reads as "none": a second later is as good
        int current = expiries.get(handle);
        expiries.put(handle, when);
        setFlag(handle, HAS_TTL, true);
        // One queue entry per key suffices while the time only moves later: an early entry is re-queued when it
        // comes up. A sooner time needs its own entry.
        if (current == IntIntMap.MISSING || Integer.compareUnsigned(when, current) < 0) expiryQueue.add(when, handle);
    }

    /** PERSIST, or a write that clears the expiry (SET without KEEPTTL). */
    public void persist(int db, byte[] key) {
        if (!trackable(db, key.length)) return;
        long h = KeyHash.hash(key, 0, key.length, db);
        int o = pending.find(h, db, key);
        if (o >= 0) {
            // A pending record has no expiry of its own; an older record's goes when the two merge.
            setFlag(pending.handles[o], PERSIST, true);
            return;
        }
        int slot = find(db, key, h);
        if (slot == NONE) return;
        int handle = index.handle(slot);
        if ((chunk(handle)[offset(handle)] & (HAS_TTL | JOURNALED)) == HAS_TTL && journalCursor >= 0
                && position(chunkNumber(handle), offset(handle)) < cursors[journalCursor]) {
            // The journal passed it by while it had an expiry time: now it needs an entry, as the newest.
            reappend(slot, db, key, false);
        } else {
            clearExpiry(handle);
        }
    }

    private boolean isJournaled(int handle) {
        return (chunk(handle)[offset(handle)] & JOURNALED) != 0;
    }

    /**
     * Replaces a record by a new one, the newest, for {@code key} in {@code db} (with its size and expiry); the old
     * one dies (for the journal too, if it was in it).
     *
     * @param keepExpiry whether the new record keeps the old one's expiry time (RENAME, MOVE) or has none (PERSIST)
     */
    private void reappend(int slot, int db, byte[] key, boolean keepExpiry) {
        int handle = index.handle(slot);
        long bytes = size(handle) - nameLength(handle);
        int flags = chunk(handle)[offset(handle)];
        int expiry = keepExpiry && (flags & HAS_TTL) != 0 ? expiries.get(handle) : IntIntMap.MISSING;
        kill(slot);
        if (!trackable(db, key.length)) return;
        write(db, key, Math.max(0, bytes), true);
        if (expiry != IntIntMap.MISSING) expireAt(db, key, expiry & 0xFFFFFFFFL);
    }

    private int nameLength(int handle) {
        byte[] c = chunk(handle);
        int off = offset(handle);
        return (c[off] & RENAMED) != 0 ? renamed.get(handle).length : keyLength(c, off);
    }

    /** Forgets the keys whose expiry time is before {@code nowEpochSeconds}; returns how many. */
    public int expire(long nowEpochSeconds) {
        settle(); // a pending write or PERSIST of a key is its record's before the record's time is judged
        int forgotten = 0;
        while (!expiryQueue.isEmpty() && Long.compareUnsigned(expiryQueue.peekTime() & 0xFFFFFFFFL, nowEpochSeconds) < 0) {
            int when = expiryQueue.peekTime();
            int handle = expiryQueue.poll();
            int current = expiries.get(handle);
            if (current == IntIntMap.MISSING || current != when) {
                if (current != IntIntMap.MISSING && Integer.compareUnsigned(current, when) > 0) {
                    expiryQueue.add(current, handle); // pushed back since it was queued
                }
                continue;
            }
            int slot = slotOf(handle);
            if (slot != NONE) {
                kill(slot);
                forgotten++;
            }
        }
        reclaim();
        return forgotten;
    }

    /** FLUSHDB: forgets every key of one database. */
    public void flushDb(int db) {
        if (journalListener != null) journalListener.flushed(db);
        forEachLive((handle, recordDb) -> {
            if (recordDb == db) kill(slotOf(handle), false); // the database's journal went with its keys
        });
        reclaim();
    }

    /** FLUSHALL: forgets everything. */
    public void clear() {
        if (journalListener != null) journalListener.flushed(-1);
        chunks = new byte[4][];
        chunkLive = new int[4];
        chunkEnd = new int[4];
        head = 0;
        tail = 0;
        headOffset = 0;
        index.clear();
        lastSlot = NONE;
        live = 0;
        liveRecordBytes = 0;
        deadRecordBytes = 0;
        trackedSize = 0;
        expiries.clear();
        expiryQueue.clear();
        renamed.clear();
        pending.reset();
        pendingFrom = 0;
        for (int i = 0; i < cursorCount; i++) if (cursors[i] != FREE) cursors[i] = 0;
    }

    /** SWAPDB: the keys of the two databases trade places. */
    public void swapDb(int a, int b) {
        if (a == b) return;
        forEachLive((handle, db) -> {
            if (db == a || db == b) chunk(handle)[offset(handle) + 1] = (byte) (db == a ? b : a);
        });
        rebuildIndex();
        if (journalListener != null) journalListener.swapped(a, b);
    }

    /** Forgets the oldest key, to stay under a cap. Returns false if there was none. */
    public boolean evictOldest() {
        return evictOldest(1) == 1;
    }

    /**
     * Forgets up to {@code max} of the oldest keys, to stay under a cap (forgotten here, still in Redis and in its
     * journal); returns how many. One pass and one reclaim for all of them: at the cap every new key pushes one out,
     * and a reclaim per key (which visits every cursor, one per journal blob) made that quadratic.
     */
    public int evictOldest(int max) {
        settle();
        int evicted = 0;
        long n = head;
        int off = headOffset;
        while (evicted < max && n <= tail) {
            byte[] c = chunk(n);
            int end = c == null ? 0 : chunkEnd(n);
            for (; off < end && evicted < max; off += recordLength(keyLength(c, off))) {
                if ((c[off] & ALIVE) != 0) {
                    kill(slotOf(handle(n, off)), false);
                    evicted++;
                }
            }
            n++;
            off = 0;
        }
        if (evicted > 0) reclaim();
        return evicted;
    }

    // ------------------------------------------------------------------ flushing

    /** Calls the visitor with the {@code max} oldest keys, oldest first; returns how many it visited. */
    public int scanOldest(int max, OldestVisitor visitor) {
        settle();
        int count = 0;
        long n = head;
        int off = headOffset;
        boolean leadingDead = true;
        while (count < max && n <= tail) {
            byte[] c = chunk(n);
            int end = chunkEnd(n);
            while (off < end && count < max) {
                int flags = c[off];
                int len = keyLength(c, off);
                if ((flags & ALIVE) != 0) {
                    leadingDead = false;
                    int handle = handle(n, off);
                    visitor.visit(handle, c[off + 1] & 0xFF, name(handle));
                    count++;
                } else if (leadingDead && n == head) {
                    headOffset = off + recordLength(len);
                }
                off += recordLength(len);
            }
            n++;
            off = 0;
            leadingDead = false;
        }
        return count;
    }

    /** The current name of a record, copied. */
    byte[] name(int handle) {
        if ((chunk(handle)[offset(handle)] & RENAMED) != 0) return renamed.get(handle).clone();
        byte[] c = chunk(handle);
        int off = offset(handle);
        return Arrays.copyOfRange(c, off + HEADER, off + HEADER + keyLength(c, off));
    }

    /** While a flush holds handles, they stay valid: no compaction, no chunk is dropped. Calls nest. */
    public void beginFlight() {
        flights++;
    }

    public void endFlight() {
        if (flights > 0) flights--;
        if (flights == 0) {
            reclaim();
        }
    }

    /**
     * A flush removed this key from the server: forget it, unless the application deleted it or renamed it meanwhile
     * (a re-created key is a new record and stays).
     */
    public boolean confirmRemoved(int handle, int db, byte[] key) {
        settle(); // a write to the key since it was picked is its record's, and goes with it
        int slot = slotOf(handle);
        if (slot == NONE) return false;
        byte[] c = chunk(handle);
        int off = offset(handle);
        if ((c[off + 1] & 0xFF) != db || !nameEquals(handle, key, 0, key.length)) return false;
        kill(slot);
        reclaim();
        return true;
    }

    // ------------------------------------------------------------------ the journal

    /**
     * Visits, oldest first, the live keys from a cursor to the end of the log that are not in the journal yet and
     * have no expiry time (Redis removes those itself), marks them journaled, and moves the cursor to the end.
     *
     * @param visitor told each key and the log position just after its record, where a batch ending with it ends
     * @return how many keys it visited
     */
    public int walkUnjournaled(int cursor, JournalVisitor visitor) {
        settle();
        return walkUnjournaled(cursor, end(), -1, visitor);
    }

    /** As {@link #walkUnjournaled(int, JournalVisitor)}, up to a position, and for one database only if not -1. */
    private int walkUnjournaled(int cursor, long to, int onlyDb, JournalVisitor visitor) {
        int count = 0;
        long from = cursors[cursor];
        for (long n = Math.max(head, from >>> 32); n <= tail && n <= to >>> 32; n++) {
            byte[] c = chunk(n);
            if (c == null) continue;
            int end = n == to >>> 32 ? (int) Math.min(to & 0xFFFFFFFFL, chunkEnd(n)) : chunkEnd(n);
            int off = n == from >>> 32 ? (int) from : 0;
            while (off < end) {
                int flags = c[off];
                int len = keyLength(c, off);
                int next = off + recordLength(len);
                int db = c[off + 1] & 0xFF;
                if ((flags & (ALIVE | JOURNALED | HAS_TTL)) == ALIVE && (onlyDb < 0 || db == onlyDb)) {
                    c[off] = (byte) (flags | JOURNALED);
                    if ((flags & RENAMED) != 0) {
                        byte[] name = renamed.get(handle(n, off));
                        visitor.visit(db, name, 0, name.length, position(n, next));
                    } else {
                        visitor.visit(db, c, off + HEADER, len, position(n, next));
                    }
                    count++;
                }
                off = next;
            }
        }
        cursors[cursor] = Math.max(from, to);
        return count;
    }

    /**
     * The journal of a database was lost while its keys stayed: visits again, oldest first, the keys of that database
     * that were in it (up to a cursor), to be put back.
     */
    public int rejournal(int db, int untilCursor, JournalVisitor visitor) {
        settle();
        int count = 0;
        long to = cursors[untilCursor];
        for (long n = head; n <= tail && n <= to >>> 32; n++) {
            byte[] c = chunk(n);
            if (c == null) continue;
            int end = n == to >>> 32 ? (int) Math.min(to & 0xFFFFFFFFL, chunkEnd(n)) : chunkEnd(n);
            for (int off = 0; off < end; off += recordLength(keyLength(c, off))) {
                if ((c[off] & (ALIVE | JOURNALED)) == (ALIVE | JOURNALED) && (c[off + 1] & 0xFF) == db) {
                    c[off] = (byte) (c[off] & ~JOURNALED);
                    count++;
                }
            }
        }
        int from = newCursor(position(head, 0));
        try {
            walkUnjournaled(from, to, db, visitor);
        } finally {
            freeCursor(from);
        }
        return count;
    }

    /**
     * Up to {@code max} of the live journaled keys of a database, spread evenly from the oldest to the newest: to see
     * whether they still exist (a few keys of the same names written again by someone else do not sway the answer).
     */
    public java.util.List<byte[]> journaledSample(int db, int max, int beforeCursor) {
        settle();
        long before = cursors[beforeCursor];
        int[] count = {0};
        forEachJournaled(db, before, (n, off) -> count[0]++);
        java.util.List<byte[]> sample = new java.util.ArrayList<>();
        if (count[0] == 0) return sample;
        double step = Math.max(1.0, count[0] / (double) max);
        int[] at = {0};
        double[] next = {0};
        forEachJournaled(db, before, (n, off) -> {
            if (at[0]++ >= next[0] && sample.size() < max) {
                sample.add(name(handle(n, off)));
                next[0] += step;
            }
        });
        return sample;
    }

    /**
     * Up to {@code max} live keys, spread evenly from the oldest to the newest, as {@code db} and name: to see whether
     * they still exist.
     */
    public java.util.List<java.util.Map.Entry<Integer, byte[]>> sample(int max) {
        java.util.List<java.util.Map.Entry<Integer, byte[]>> sample = new java.util.ArrayList<>();
        if (live == 0) return sample;
        double step = Math.max(1.0, live / (double) max);
        int[] at = {0};
        double[] next = {0};
        forEachLive((handle, db) -> {
            if (at[0]++ >= next[0] && sample.size() < max) {
                sample.add(java.util.Map.entry(db, name(handle)));
                next[0] += step;
            }
        });
        return sample;
    }

    private void forEachJournaled(int db, long before, RecordVisitor visitor) {
        for (long n = head; n <= tail && n <= before >>> 32; n++) {
            byte[] c = chunk(n);
            if (c == null) continue;
            int end = n == before >>> 32 ? (int) Math.min(before & 0xFFFFFFFFL, chunkEnd(n)) : chunkEnd(n);
            for (int off = 0; off < end; off += recordLength(keyLength(c, off))) {
                if ((c[off] & (ALIVE | JOURNALED)) == (ALIVE | JOURNALED) && (c[off + 1] & 0xFF) == db) {
                    visitor.visit(n, off);
                }
            }
        }
    }

    @FunctionalInterface
    private interface RecordVisitor {
        void visit(long chunkNumber, int offset);
    }

    /** Forgets every key of a database, which is gone from Redis (its server lost them); returns how many. */
    public int forgetDatabase(int db) {
        int[] count = new int[1];
        forEachLive((handle, recordDb) -> {
            if (recordDb == db) {
                kill(slotOf(handle), false);
                count[0]++;
            }
        });
        reclaim();
        return count[0];
    }

    /**
     * Names the cursor up to which the journal has taken keys: a key whose expiry is cleared behind it (PERSIST, a
     * SET) enters the journal anew, as the journal left it out while it had one.
     */
    public void journalCursor(int cursor) {
        journalCursor = cursor;
    }

    /**
     * Forgets the live journaled keys of one database from one cursor up to another: their journal entries were
     * taken by a flush (this JVM's or another's), so they are gone from Redis, and a key of that name written again is
     * new. Moves {@code from} to {@code to}.
     */
    public int forgetJournaled(int db, int from, int to) {
        long start = cursors[from];
        long stop = cursors[to];
        int forgotten = 0;
        beginFlight(); // handles stay valid while records die
        try {
            for (long n = Math.max(head, start >>> 32); n <= tail && n <= stop >>> 32; n++) {
                byte[] c = chunk(n);
                if (c == null) continue;
                int end = n == stop >>> 32 ? (int) Math.min(stop & 0xFFFFFFFFL, chunkEnd(n)) : chunkEnd(n);
                for (int off = n == start >>> 32 ? (int) start : 0; off < end; off += recordLength(keyLength(c, off))) {
                    if ((c[off] & (ALIVE | JOURNALED)) == (ALIVE | JOURNALED) && (c[off + 1] & 0xFF) == db) {
                        int slot = slotOf(handle(n, off));
                        if (slot != NONE) {
                            kill(slot, false);
                            forgotten++;
                        }
                    }
                }
            }
        } finally {
            cursors[from] = Math.max(start, stop);
            endFlight();
        }
        return forgotten;
    }

    /** Whether a tracked key is in the journal; false if it is not tracked. */
    public boolean journaled(int db, byte[] key) {
        int slot = find(db, key);
        if (slot == NONE) return false;
        int handle = index.handle(slot);
        return (chunk(handle)[offset(handle)] & JOURNALED) != 0;
    }

    /** Forgets everything about a journal: its cursors, its listener (a failover took the keys elsewhere). */
    public void resetJournal() {
        Arrays.fill(cursors, FREE);
        cursorCount = 0;
        journalCursor = -1;
        journalListener = null;
    }

    /**
     * Appends every live key of this log to another, oldest first, with its size and expiry time (a failover brought
     * them to the other's server; they are older than what it has).
     */
    public void copyLiveInto(KeyLog target) {
        forEachLive((handle, db) -> {
            byte[] name = name(handle);
            target.write(db, name, Math.max(0, size(handle) - name.length), true);
            int expiry = (chunk(handle)[offset(handle)] & HAS_TTL) != 0 ? expiries.get(handle) : IntIntMap.MISSING;
            if (expiry != IntIntMap.MISSING) target.expireAt(db, name, expiry & 0xFFFFFFFFL);
        });
    }

    /** Whoever keeps the journal: told of each journaled key that dies here. */
    public void journalListener(JournalListener listener) {
        journalListener = listener;
    }

    /** Where a cursor is, to compare with a position a listener was told. */
    public long cursorPosition(int cursor) {
        return cursors[cursor];
    }

    /** A new cursor at the end of the log. */
    public int newCursor() {
        settle(); // a cursor never points among pending records, which settling moves
        return newCursor(end());
    }

    /** A new cursor at a position a visitor was told. */
    public int newCursor(long position) {
        for (int i = 0; i < cursorCount; i++) {
            if (cursors[i] == FREE) {
                cursors[i] = position;
                return i;
            }
        }
        if (cursorCount == cursors.length) cursors = Arrays.copyOf(cursors, cursorCount * 2);
        cursors[cursorCount] = position;
        return cursorCount++;
    }

    /** A new cursor where another one is. */
    public int copyCursor(int cursor) {
        return newCursor(cursors[cursor]);
    }

    public void freeCursor(int cursor) {
        cursors[cursor] = FREE;
        while (cursorCount > 0 && cursors[cursorCount - 1] == FREE) cursorCount--;
    }

    /** Moves a cursor to another's position. */
    public void moveCursor(int cursor, int to) {
        cursors[cursor] = cursors[to];
    }

    private long end() {
        return position(tail, chunkEnd(tail));
    }

    private static long position(long chunkNumber, int offset) {
        return chunkNumber << 32 | offset;
    }

    /** After chunks were dropped from the head, or given back: no cursor points before the head or past the end. */
    private void clampCursors() {
        long first = position(head, 0);
        long last = end();
        for (int i = 0; i < cursorCount; i++) {
            if (cursors[i] == FREE) continue;
            if (cursors[i] < first) cursors[i] = first;
            if (cursors[i] > last) cursors[i] = last;
        }
    }

    /** Cursors in log order, for a compaction to move them with the records: {@code [position, cursor]} pairs. */
    private long[][] cursorsInOrder() {
        int live = 0;
        for (int i = 0; i < cursorCount; i++) if (cursors[i] != FREE) live++;
        long[][] sorted = new long[live][];
        for (int i = 0, j = 0; i < cursorCount; i++) if (cursors[i] != FREE) sorted[j++] = new long[] {cursors[i], i};
        Arrays.sort(sorted, (x, y) -> Long.compare(x[0], y[0]));
        return sorted;
    }

    /** Told, under the owner's lock, of each key in the journal that dies here (and is gone from Redis). */
    @FunctionalInterface
    public interface JournalListener {
        /**
         * @param key the key's name (a copy)
         * @param position the record's position in the log, to compare with cursors; valid during the call only
         */
        void died(int db, byte[] key, long position);

        /**
         * FLUSHDB of a database ({@code -1}: FLUSHALL), before its keys are forgotten: the journal went with them,
         * but keys on their way to it (not appended yet) would enter the new one.
         */
        default void flushed(int db) {}

        /** SWAPDB, after its keys took their new databases: the journals went with them. */
        default void swapped(int a, int b) {}
    }

    @FunctionalInterface
    public interface JournalVisitor {
        /**
         * @param key the key's bytes from {@code from}, {@code length} of them; valid only during the call
         * @param after the log position just after the key's record, for {@link #newCursor(long)}
         */
        void visit(int db, byte[] key, int from, int length, long after);
    }

    // ------------------------------------------------------------------ the log

    private int append(int db, byte[] key, long size, int flags) {
        int length = recordLength(key.length);
        if (chunk(tail) == null) chunks[index(tail)] = new byte[chunkSize]; // allocated on first use
        if (chunkEnd(tail) + length > chunkSize) nextChunk();
        int end = chunkEnd(tail);
        byte[] c = chunk(tail);
        c[end] = (byte) (ALIVE | flags);
        c[end + 1] = (byte) db;
        c[end + 2] = (byte) key.length;
        c[end + 3] = (byte) (key.length >>> 8);
        INTS.set(c, end + 4, saturate(size));
        System.arraycopy(key, 0, c, end + HEADER, key.length);
        int index = index(tail);
        chunkEnd[index] = end + length;
        chunkLive[index]++;
        live++;
        liveRecordBytes += length;
        trackedSize += saturate(size);
        return handle(tail, end);
    }

    /** Starts a new tail chunk; compacts first when the chunk numbers in use would wrap. */
    private void nextChunk() {
        if (tail + 1 - head >= chunkNumbers) {
            if (flights > 0) throw new IllegalStateException("key log is full while a flush is in flight");
            compact();
        }
        if (tail + 1 - head >= chunks.length) growChunkTable();
        tail++;
        int index = index(tail);
        chunks[index] = new byte[chunkSize];
        chunkEnd[index] = 0;
        chunkLive[index] = 0;
    }

    private void growChunkTable() {
        int capacity = chunks.length * 2;
        byte[][] newChunks = new byte[capacity][];
        int[] newLive = new int[capacity];
        int[] newEnd = new int[capacity];
        for (long n = head; n <= tail; n++) {
            int from = index(n);
            int to = (int) (n & (capacity - 1));
            newChunks[to] = chunks[from];
            newLive[to] = chunkLive[from];
            newEnd[to] = chunkEnd[from];
        }
        chunks = newChunks;
        chunkLive = newLive;
        chunkEnd = newEnd;
    }

    private void kill(int slot) {
        kill(slot, true);
    }

    /** @param died whether the key is gone from Redis too (not when the journal's flush took it) */
    private void kill(int slot, boolean died) {
        int handle = index.handle(slot);
        byte[] c = chunk(handle);
        int off = offset(handle);
        int flags = c[off];
        if (died && (flags & JOURNALED) != 0 && journalListener != null) {
            journalListener.died(c[off + 1] & 0xFF, name(handle), position(chunkNumber(handle), off));
        }
        c[off] = (byte) (flags & ~ALIVE);
        if ((flags & HAS_TTL) != 0) expiries.remove(handle);
        if ((flags & RENAMED) != 0) renamed.remove(handle);
        int length = recordLength(keyLength(c, off));
        long n = chunkNumber(handle);
        chunkLive[index(n)]--;
        live--;
        liveRecordBytes -= length;
        deadRecordBytes += length;
        trackedSize -= (int) INTS.get(c, off + 4);
        unindex(slot);
    }

    /** Drops dead chunks at the head, and compacts when dead records outweigh the live ones. */
    private void reclaim() {
        if (flights > 0) return;
        while (head < tail && chunkLive[index(head)] == 0) {
            deadRecordBytes -= chunkEnd(head); // a chunk with no live record holds only dead ones
            chunks[index(head)] = null;
            head++;
            headOffset = 0;
        }
        if (head == tail && chunkLive[index(head)] == 0) {
            // Everything is dead: give the chunk back; the next write takes a fresh one.
            deadRecordBytes = 0;
            chunks[index(head)] = null;
            chunkEnd[index(head)] = 0;
            headOffset = 0;
            pendingFrom = position(head, 0); // nothing was pending: a pending record is live
        }
        clampCursors();
        if (deadRecordBytes > liveRecordBytes && deadRecordBytes > 4L * chunkSize) compact();
    }


    /** Rewrites the live records, in order, into fresh chunks; rebuilds the index and the side maps. */
    private void compact() {
        settle();
        byte[][] oldChunks = chunks;
        int[] oldEnd = chunkEnd;
        long oldHead = head;
        long oldTail = tail;
        int oldMask = oldChunks.length - 1;
        IntIntMap oldExpiries = new IntIntMap();
        expiries.forEach(oldExpiries::put);
        Map<Integer, byte[]> oldRenamed = new HashMap<>(renamed);

        int capacity = 4;
        long needed = liveRecordBytes / (chunkSize / 2) + 2;
        while (capacity < needed && capacity < chunkNumbers) capacity *= 2;
        chunks = new byte[capacity][];
        chunkLive = new int[capacity];
        chunkEnd = new int[capacity];
        long start = oldTail + 1; // new chunk numbers follow the old ones, so no stale handle can alias a new record
        head = start;
        tail = start;
        headOffset = 0;
        expiries.clear();
        expiryQueue.clear();
        renamed.clear();
        live = 0;
        liveRecordBytes = 0;
        deadRecordBytes = 0;
        trackedSize = 0;
        index.clear();

        long[][] moving = cursorsInOrder();
        int nextCursor = 0;
        for (long n = oldHead; n <= oldTail; n++) {
            byte[] c = oldChunks[(int) (n & oldMask)];
            int end = oldEnd[(int) (n & oldMask)];
            for (int off = 0; off < end; ) {
                int len = keyLength(c, off);
                int length = recordLength(len);
                int flags = c[off];
                // A cursor at or before this record now points where the record goes (or would have gone).
                while (nextCursor < moving.length && moving[nextCursor][0] <= position(n, off)) {
                    cursors[(int) moving[nextCursor++][1]] = end();
                }
                if ((flags & ALIVE) != 0) {
                    int oldHandle = handle(n, off);
                    int newHandle = appendRaw(c, off, length);
                    if ((flags & RENAMED) != 0) renamed.put(newHandle, oldRenamed.get(oldHandle));
                    if ((flags & HAS_TTL) != 0) {
                        int when = oldExpiries.get(oldHandle);
                        expiries.put(newHandle, when);
                        expiryQueue.add(when, newHandle);
                    }
                    insert(hashOf(newHandle), newHandle);
                }
                off += length;
            }
        }
        while (nextCursor < moving.length) cursors[(int) moving[nextCursor++][1]] = end();
        pendingFrom = end();
    }

    private int appendRaw(byte[] from, int off, int length) {
        if (chunk(tail) == null) chunks[index(tail)] = new byte[chunkSize]; // allocated on first use
        if (chunkEnd(tail) + length > chunkSize) nextChunk();
        int end = chunkEnd(tail);
        byte[] c = chunk(tail);
        System.arraycopy(from, off, c, end, length);
        int index = index(tail);
        chunkEnd[index] = end + length;
        chunkLive[index]++;
        live++;
        liveRecordBytes += length;
        trackedSize += (int) INTS.get(c, end + 4);
        return handle(tail, end);
    }

    private void forEachLive(LiveVisitor visitor) {
        settle();
        for (long n = head; n <= tail; n++) {
            byte[] c = chunk(n);
            int end = chunkEnd(n);
            for (int off = 0; off < end; ) {
                int length = recordLength(keyLength(c, off));
                if ((c[off] & ALIVE) != 0) visitor.visit(handle(n, off), c[off + 1] & 0xFF);
                off += length;
            }
        }
    }

    // ------------------------------------------------------------------ the index

    /** The index slot of a key's record, for anything but a write: its pending record, if any, is settled first. */
    private int find(int db, byte[] key) {
        if (!trackable(db, key.length)) return NONE;
        return find(db, key, KeyHash.hash(key, 0, key.length, db));
    }

    private int find(int db, byte[] key, long h) {
        if (pending.find(h, db, key) >= 0) settle();
        int slot = cached(db, key);
        if (slot == NONE) {
            slot = index.find(h, db, key);
            if (slot != NONE) lastSlot = slot;
        }
        return slot;
    }

    /**
     * The slot found last, if it still holds this key. A command asks about its key several times in a row (SET:
     * write it, then clear its expiry); checking the one slot spares the hash and the probe. Checked by content, so
     * that no change to the index can make it wrong.
     */
    private int cached(int db, byte[] key) {
        int slot = lastSlot;
        return index.live(slot) && matches(index.handle(slot), db, key, 0, key.length) ? slot : NONE;
    }

    /** The index slot that holds this handle, or NONE if the record is dead or the handle stale. */
    private int slotOf(int handle) {
        long n = chunkNumber(handle);
        if (n < head || n > tail) return NONE;
        byte[] c = chunk(n);
        int off = offset(handle);
        if (off >= chunkEnd(n) || (c[off] & ALIVE) == 0) return NONE;
        return index.findHandle(hashOf(handle), handle);
    }

    private int insert(long hash, int handle) {
        return index.insert(hash, handle);
    }

    private void unindex(int slot) {
        index.remove(slot);
    }

    private void rebuildIndex() {
        index.clear();
        forEachLive((handle, db) -> insert(hashOf(handle), handle));
    }

    private long hashOf(int handle) {
        byte[] c = chunk(handle);
        int off = offset(handle);
        int db = c[off + 1] & 0xFF;
        if ((c[off] & RENAMED) != 0) {
            byte[] name = renamed.get(handle);
            return KeyHash.hash(name, 0, name.length, db);
        }
        return KeyHash.hash(c, off + HEADER, keyLength(c, off), db);
    }

    @Override
    public boolean matches(int handle, int db, byte[] key, int from, int to) {
        byte[] c = chunk(handle);
        int off = offset(handle);
        return (c[off + 1] & 0xFF) == db && nameEquals(handle, key, from, to);
    }

    private boolean nameEquals(int handle, byte[] key, int from, int to) {
        byte[] c = chunk(handle);
        int off = offset(handle);
        if ((c[off] & RENAMED) != 0) return Arrays.equals(renamed.get(handle), 0, renamed.get(handle).length, key, from, to);
        int len = keyLength(c, off);
        return Arrays.equals(c, off + HEADER, off + HEADER + len, key, from, to);
    }

    // ------------------------------------------------------------------ pending records

    /**
     * Settles the pending records, oldest first: each is looked up in the index; one whose key has a record already
     * is a write to that key, merged into it (it keeps its place and takes the size); the others are new keys,
     * indexed. The merged ones are then slid out, so that a write to a tracked key leaves no dead record behind.
     *
     * <p>The lookups are what a write would have paid one at a time, a cache miss each once the index outgrows the
     * cache: here the first slot of each lookup is read {@link #AHEAD} lookups before it is needed, so that the misses
     * overlap (far enough ahead for the line to arrive, near enough for it to stay in the cache and the TLB).
     */
    private static final int AHEAD = 24;

    private void settle() {
        int m = pending.count;
        if (m == 0) return;
        long[] hashes = pending.hashes;
        int[] handles = pending.handles;
        long sum = 0;
        for (int o = 0; o < Math.min(m, AHEAD); o++) sum += index.touch(hashes[o]);
        int merged = 0;
        for (int o = 0; o < m; o++) {
            if (o + AHEAD < m) sum += index.touch(hashes[o + AHEAD]);
            int handle = handles[o];
            byte[] c = chunk(handle);
            int off = offset(handle);
            int from = off + HEADER;
            int slot = index.find(hashes[o], c[off + 1] & 0xFF, c, from, from + keyLength(c, off));
            if (slot != NONE && merge(slot, handle)) {
                handles[o] = NONE;
                merged++;
            }
        }
        touched = sum;
        if (merged == 0) {
            for (int o = 0; o < m; o++) {
                int handle = handles[o];
                chunk(handle)[offset(handle)] &= ~(PENDING | DELTA | PERSIST);
                insert(hashes[o], handle);
            }
        } else {
            slide(m, merged);
        }
        pending.clear();
        pendingFrom = end();
    }

    /**
     * Moves the pending records that were not merged down over those that were, in order, from where the pending
     * records start, and indexes them. Only pending records lie there, and no handle of one has left this class (a
     * cursor, a flush or a listener only ever sees settled records), so they may move.
     */
    private void slide(int m, int merged) {
        long[] hashes = pending.hashes;
        int[] handles = pending.handles;
        for (int o = 0; o < m; o++) if (handles[o] != NONE) chunkLive[index(chunkNumber(handles[o]))]--;
        long w = pendingFrom >>> 32;
        int wo = (int) pendingFrom;
        if (w < head) {
            w = head;
            wo = 0;
        }
        chunkEnd[index(w)] = wo;
        for (int o = 0; o < m; o++) {
            int from = handles[o];
            if (from == NONE) continue;
            byte[] src = chunk(from);
            int off = offset(from);
            int length = recordLength(keyLength(src, off));
            if (wo + length > chunkSize) {
                w++;
                wo = 0;
            }
            byte[] dst = chunks[index(w)];
            System.arraycopy(src, off, dst, wo, length);
            dst[wo] &= ~(PENDING | DELTA | PERSIST);
            chunkLive[index(w)]++;
            insert(hashes[o], handle(w, wo));
            wo += length;
            chunkEnd[index(w)] = wo;
        }
        while (tail > w) { // left with nothing but slid-out records
            chunks[index(tail)] = null;
            chunkEnd[index(tail)] = 0;
            chunkLive[index(tail)] = 0;
            tail--;
        }
    }

    /**
     * A pending record whose key has an older record (at {@code slot}): the older one takes the write. Returns true
     * if the pending record is gone; false if it stays and the older one went instead (see below).
     */
    private boolean merge(int slot, int pendingHandle) {
        int old = index.handle(slot);
        byte[] pc = chunk(pendingHandle);
        int poff = offset(pendingHandle);
        int pflags = pc[poff];
        int nameLength = keyLength(pc, poff);
        long size = (pflags & DELTA) != 0 ? size(old) + size(pendingHandle) - nameLength : size(pendingHandle);
        if ((pflags & PERSIST) != 0) {
            byte[] oc = chunk(old);
            int ooff = offset(old);
            if ((oc[ooff] & (HAS_TTL | JOURNALED)) == HAS_TTL && journalCursor >= 0
                    && position(chunkNumber(old), ooff) < cursors[journalCursor]) {
                // As persist() does: the journal passed the older record by while it had an expiry time, so the key
                // needs an entry as the newest, which the pending record is.
                setSize(pendingHandle, size);
                kill(slot);
                return false;
            }
            clearExpiry(old);
        }
        setSize(old, size);
        // Gone without a trace: settle() slides it out, so it never counts as dead.
        trackedSize -= (int) INTS.get(pc, poff + 4);
        pc[poff] = 0;
        chunkLive[index(chunkNumber(pendingHandle))]--;
        live--;
        liveRecordBytes -= recordLength(nameLength);
        return true;
    }

    /**
     * The records appended since the last {@link #settle}, in log order, with their keys' hashes, and a small table
     * that finds them by key: a few tens of KiB, so that a key written again while pending (a SET followed by its
     * PERSIST, a burst of writes to one key) is found in cache.
     */
    private final class Pending {
        /** Pending records at most: a settle's batch, large enough for its cache misses to overlap well. */
        static final int MAX = 4096;
        private static final int SLOTS = 2 * MAX;
        /** Open addressing: ordinal + 1 of a pending record, 0 for none. */
        private final int[] slots = new int[SLOTS];
        final long[] hashes = new long[MAX];
        final int[] handles = new int[MAX];
        int count;

        /** The ordinal of the pending record of this key, or -1. */
        int find(long hash, int db, byte[] key) {
            if (count == 0) return -1;
            for (int i = home(hash); ; i = (i + 1) & (SLOTS - 1)) {
                int o = slots[i] - 1;
                if (o < 0) return -1;
                if (hashes[o] == hash && matches(handles[o], db, key, 0, key.length)) return o;
            }
        }

        void add(long hash, int handle) {
            int o = count++;
            hashes[o] = hash;
            handles[o] = handle;
            int i = home(hash);
            while (slots[i] != 0) i = (i + 1) & (SLOTS - 1);
            slots[i] = o + 1;
        }

        /** Empties the table by its own entries: a settle of a few records costs a few stores, not the whole table. */
        void clear() {
            for (int o = 0; o < count; o++) {
                int i = home(hashes[o]);
                while (slots[i] != o + 1) i = (i + 1) & (SLOTS - 1);
                slots[i] = 0;
            }
            count = 0;
        }

        void reset() {
            Arrays.fill(slots, 0);
            count = 0;
        }

        long memoryBytes() {
            return 64 + 4L * SLOTS + 12L * MAX;
        }

        /** Bits of the hash that neither the index's segment nor its home position uses. */
        private int home(long hash) {
            return (int) (hash >>> 23) & (SLOTS - 1);
        }
    }

    // ------------------------------------------------------------------ records

    private void setName(int handle, byte[] name) {
        byte[] c = chunk(handle);
        int off = offset(handle);
        int oldLength = keyLength(c, off);
        int oldNameLength = (c[off] & RENAMED) != 0 ? renamed.get(handle).length : oldLength;
        long oldSize = size(handle);
        boolean fitsInPlace = recordLength(name.length) == recordLength(oldLength);
        if (fitsInPlace) {
            c[off + 2] = (byte) name.length;
            c[off + 3] = (byte) (name.length >>> 8);
            System.arraycopy(name, 0, c, off + HEADER, name.length);
            c[off] = (byte) (c[off] & ~RENAMED);
            renamed.remove(handle);
        } else {
            c[off] = (byte) (c[off] | RENAMED);
            renamed.put(handle, name.clone());
        }
        setSize(handle, oldSize - oldNameLength + name.length);
    }

    private long size(int handle) {
        return (int) INTS.get(chunk(handle), offset(handle) + 4) & 0x7FFFFFFFL;
    }

    private void setSize(int handle, long size) {
        byte[] c = chunk(handle);
        int off = offset(handle);
        int old = (int) INTS.get(c, off + 4);
        int updated = saturate(size);
        INTS.set(c, off + 4, updated);
        trackedSize += updated - old;
    }

    private void setFlag(int handle, int flag, boolean on) {
        byte[] c = chunk(handle);
        int off = offset(handle);
        c[off] = (byte) (on ? c[off] | flag : c[off] & ~flag);
    }

    private void clearExpiry(int handle) {
        if ((chunk(handle)[offset(handle)] & HAS_TTL) == 0) return;
        expiries.remove(handle);
        setFlag(handle, HAS_TTL, false);
    }

    private static int keyLength(byte[] c, int off) {
        return (c[off + 2] & 0xFF) | (c[off + 3] & 0xFF) << 8;
    }

    private static int recordLength(int keyLength) {
        return (HEADER + keyLength + 3) & ~3;
    }

    private static int saturate(long size) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, size));
    }

    private int handle(long chunkNumber, int offset) {
        return (int) ((chunkNumber & (chunkNumbers - 1)) << offsetBits) | (offset >>> 2);
    }

    /** The full chunk number of a handle: the one in [head, tail] whose low 16 bits match. */
    private long chunkNumber(int handle) {
        long low = (handle >>> offsetBits) & (chunkNumbers - 1);
        return head + ((low - head) & (chunkNumbers - 1));
    }

    private int offset(int handle) {
        return (handle & ((1 << offsetBits) - 1)) << 2;
    }

    private byte[] chunk(int handle) {
        return chunks[(int) ((handle >>> offsetBits) & (chunks.length - 1))];
    }

    private byte[] chunk(long n) {
        return chunks[index(n)];
    }

    private int chunkEnd(long n) {
        return chunkEnd[index(n)];
    }

    private int index(long n) {
        return (int) (n & (chunks.length - 1));
    }

    @FunctionalInterface
    public interface OldestVisitor {
        void visit(int handle, int db, byte[] key);
    }

    @FunctionalInterface
    private interface LiveVisitor {
        void visit(int handle, int db);
    }

    /**
     * The size of the log's chunks. Under G1 (the default collector), a chunk is one heap region less room for the
     * array header: an object over half a region is "humongous", allocated straight into a region of its own in the old
     * generation, so young collections never copy the log (at 4 million keys, 256 KiB chunks made young pauses of 510
     * ms in all, this 369 ms: what is left is the index), and one region less a header wastes none of it. The region
     * size is 1/2048 of the heap (1-32 MiB), so the first chunk costs the same share of any heap. Under other
     * collectors, or if the region size cannot be read, 256 KiB chunks. Read once, on the agent's event thread when the
     * first key is tracked.
     */
    static final class ChunkSize {
        static final int SHIFT;
        static final int BYTES;
        private static final int ARRAY_HEADER_ROOM = 64;

        static {
            int shift = 18;
            int bytes = 1 << 18;
            try {
                com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                        .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                if (vm != null && "true".equals(vm.getVMOption("UseG1GC").getValue())) {
                    long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
                    if (Long.bitCount(region) == 1 && region >= 1 << 20 && region <= 1 << 25) {
                        shift = Long.numberOfTrailingZeros(region);
                        bytes = (int) region - ARRAY_HEADER_ROOM;
                    }
                }
            } catch (Throwable t) {
                // No management API (a minimal runtime image): the plain size is right everywhere.
            }
            SHIFT = shift;
            BYTES = bytes;
        }

        private ChunkSize() {}
    }
}
