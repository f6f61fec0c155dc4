package io.gcsflush.track;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyLogTest {

    private static byte[] k(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> oldest(KeyLog log, int n) {
        List<String> keys = new ArrayList<>();
        log.scanOldest(n, (handle, db, key) -> keys.add(db + ":" + new String(key, UTF_8)));
        return keys;
    }

    @Test
    void flushesTellTheJournalBeforeTheirKeysAreForgotten() {
        KeyLog log = new KeyLog();
        log.write(1, k("a"), 1, true);
        log.write(2, k("b"), 1, true);
        List<String> told = new ArrayList<>();
        log.journalListener(new KeyLog.JournalListener() {
            @Override
            public void died(int db, byte[] key, long position) {
                told.add("died " + db + ":" + new String(key, UTF_8));
            }

            @Override
            public void flushed(int db) {
                told.add("flushed " + db + " with " + log.size() + " keys");
            }
        });
        log.flushDb(1);
        log.clear();
        assertEquals(List.of("flushed 1 with 2 keys", "flushed -1 with 1 keys"), told);
    }

    @Test
    void keepsCreationOrderAndSizes() {
        KeyLog log = new KeyLog();
        assertTrue(log.write(0, k("a"), 10, true));
        assertTrue(log.write(0, k("b"), 20, true));
        assertTrue(log.write(1, k("a"), 5, false));
        assertFalse(log.write(0, k("a"), 3, false), "a written again is not new");
        assertEquals(List.of("0:a", "0:b", "1:a"), oldest(log, 10));
        assertEquals(1 + 10 + 3, log.sizeOf(0, k("a")), "APPEND-like writes grow the size");
        log.write(0, k("a"), 7, true);
        assertEquals(1 + 7, log.sizeOf(0, k("a")), "SET-like writes replace the size");
        assertEquals(3, log.size());
        assertEquals((1 + 7) + (1 + 20) + (1 + 5), log.trackedBytes());
        assertEquals(List.of("0:a", "0:b"), oldest(log, 2));
    }

    @Test
    void removedKeysAreForgottenAndRecreatedKeysAreNewest() {
        KeyLog log = new KeyLog();
        log.write(0, k("a"), 1, true);
        log.write(0, k("b"), 1, true);
        log.write(0, k("c"), 1, true);
        assertTrue(log.remove(0, k("a")));
        assertFalse(log.remove(0, k("a")));
        assertFalse(log.remove(1, k("b")), "another database's key");
        assertEquals(List.of("0:b", "0:c"), oldest(log, 10));
        log.write(0, k("a"), 1, true);
        assertEquals(List.of("0:b", "0:c", "0:a"), oldest(log, 10));
        assertEquals(3, log.size());
        assertEquals(6, log.trackedBytes());
    }

    @Test
    void renameKeepsTheAgeAndReplacesTheDestination() {
        KeyLog log = new KeyLog();
        log.write(0, k("old"), 4, true);
        log.write(0, k("other"), 4, true);
        log.write(0, k("dest"), 4, true);
        log.rename(0, k("old"), k("new")); // same padded length: renamed in place
        assertEquals(List.of("0:new", "0:other", "0:dest"), oldest(log, 10));
        log.rename(0, k("new"), k("a-much-longer-name-than-before")); // does not fit: kept aside
        assertEquals(List.of("0:a-much-longer-name-than-before", "0:other", "0:dest"), oldest(log, 10));
        assertEquals(30 + 4, log.sizeOf(0, k("a-much-longer-name-than-before")));
        log.rename(0, k("a-much-longer-name-than-before"), k("dest"));
        assertEquals(List.of("0:dest", "0:other"), oldest(log, 10));
        assertFalse(log.contains(0, k("new")));
        assertEquals(2, log.size());
        log.rename(0, k("untracked"), k("other"));
        assertEquals(List.of("0:dest"), oldest(log, 10), "renaming an untracked key over a tracked one forgets it");
    }

    @Test
    void moveAndCopyAcrossDatabases() {
        KeyLog log = new KeyLog();
        log.write(0, k("a"), 9, true);
        log.write(0, k("b"), 1, true);
        log.expireAt(0, k("a"), 2_000_000_000L);
        log.move(0, k("a"), 3);
        assertEquals(List.of("3:a", "0:b"), oldest(log, 10));
        log.copy(3, k("a"), 4, k("c"));
        assertEquals(List.of("3:a", "0:b", "4:c"), oldest(log, 10));
        assertEquals(1 + 9, log.sizeOf(4, k("c")));
        assertEquals(2_000_000_000L, log.expiryOf(4, k("c")), "COPY carries the expiry");
    }

    @Test
    void flushDbFlushAllAndSwapDb() {
        KeyLog log = new KeyLog();
        log.write(0, k("a"), 1, true);
        log.write(1, k("b"), 1, true);
        log.write(2, k("c"), 1, true);
        log.write(1, k("d"), 1, true);
        log.swapDb(1, 2);
        assertEquals(List.of("0:a", "2:b", "1:c", "2:d"), oldest(log, 10));
        assertTrue(log.contains(2, k("b")));
        log.flushDb(2);
        assertEquals(List.of("0:a", "1:c"), oldest(log, 10));
        log.clear();
        assertEquals(0, log.size());
        assertEquals(List.of(), oldest(log, 10));
    }

    @Test
    void expiredKeysAreForgotten() {
        KeyLog log = new KeyLog();
        log.write(0, k("a"), 1, true);
        log.write(0, k("b"), 1, true);
        log.write(0, k("c"), 1, true);
        log.expireAt(0, k("a"), 100);
        log.expireAt(0, k("b"), 200);
        log.expireAt(0, k("b"), 300); // extended: the earlier entry comes up first and is re-queued
        log.expireAt(0, k("c"), 150);
        log.persist(0, k("c"));
        assertEquals(0, log.expire(100));
        assertEquals(1, log.expire(101));
        assertEquals(List.of("0:b", "0:c"), oldest(log, 10));
        assertEquals(0, log.expire(250));
        assertEquals(1, log.expire(301));
        assertEquals(List.of("0:c"), oldest(log, 10));
        assertEquals(0, log.expiryOf(0, k("c")));
        log.expireAt(0, k("c"), 500);
        log.expireAt(0, k("c"), 400); // shortened
        assertEquals(1, log.expire(401));
        assertEquals(0, log.size());
    }

    @Test
    void flightConfirmsOnlyWhatIsStillTheSameKey() {
        KeyLog log = new KeyLog();
        for (int i = 0; i < 5; i++) log.write(0, k("k" + i), 1, true);
        List<int[]> handles = new ArrayList<>();
        List<byte[]> names = new ArrayList<>();
        log.scanOldest(3, (h, db, key) -> {
            handles.add(new int[] {h, db});
            names.add(key);
        });
        log.beginFlight();
        log.remove(0, k("k1"));
        log.write(0, k("k1"), 1, true); // re-created: a new record that must stay
        log.rename(0, k("k2"), k("k2-renamed"));
        for (int i = 0; i < 3; i++) log.confirmRemoved(handles.get(i)[0], handles.get(i)[1], names.get(i));
        log.endFlight();
        assertEquals(List.of("0:k2-renamed", "0:k3", "0:k4", "0:k1"), oldest(log, 10));
    }

    @Test
    void aWriteDuringAFlightGoesWithTheKey() {
        KeyLog log = new KeyLog();
        log.write(0, k("a"), 1, true);
        log.write(0, k("b"), 1, true);
        List<Integer> handles = new ArrayList<>();
        log.scanOldest(1, (h, db, key) -> handles.add(h));
        log.beginFlight();
        log.write(0, k("a"), 5, true);
        assertTrue(log.confirmRemoved(handles.get(0), 0, k("a")));
        log.endFlight();
        assertEquals(List.of("0:b"), oldest(log, 10));
    }

    @Test
    void evictsOldestFirst() {
        KeyLog log = new KeyLog();
        log.write(0, k("a"), 1, true);
        log.write(0, k("b"), 1, true);
        assertTrue(log.evictOldest());
        assertEquals(List.of("0:b"), oldest(log, 10));
        assertTrue(log.evictOldest());
        assertFalse(log.evictOldest());
    }

    @Test
    void untrackableKeysAreRefused() {
        KeyLog log = new KeyLog();
        assertFalse(log.write(256, k("a"), 1, true));
        assertFalse(log.write(0, new byte[KeyLog.MAX_KEY_LENGTH + 1], 1, true));
        assertEquals(0, log.size());
    }

    @Test
    void chunksUnderG1AreOneRegionLessTheArrayHeader() {
        // The test JVM runs the default collector, G1, whose regions are 1-32 MiB.
        assertTrue(KeyLog.ChunkSize.SHIFT >= 20 && KeyLog.ChunkSize.SHIFT <= 25, "shift " + KeyLog.ChunkSize.SHIFT);
        assertEquals((1 << KeyLog.ChunkSize.SHIFT) - 64, KeyLog.ChunkSize.BYTES);
    }

    @Test
    void dropsDeadChunksAndCompactsKeepingOrder() {
        KeyLog log = new KeyLog(8); // 256-byte chunks
        int n = 5000;
        for (int i = 0; i < n; i++) log.write(0, k("key-" + i), i, true);
        long fixed = new KeyLog(8).memoryBytes(); // the table of pending writes, whatever the size
        long full = log.memoryBytes() - fixed;
        for (int i = 0; i < n; i++) if (i % 10 != 0) log.remove(0, k("key-" + i));
        long after = log.memoryBytes() - fixed;
        assertTrue(after < full / 2, "compaction gave memory back: " + after + " of " + full);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i += 10) expected.add("0:key-" + i);
        assertEquals(expected, oldest(log, n));
        for (int i = 0; i < n; i += 10) assertEquals(("key-" + i).length() + i, log.sizeOf(0, k("key-" + i)));
    }

    /** Random operations against a plain list model; every observable must agree after each step. */
    @ParameterizedTest
    @CsvSource({"6, 64", "8, 256", "8, 192", "18, 262144", "18, 262080"})
    void agreesWithAModel(int chunkShift, int chunkSize) {
        // Chunks short of a power of two are what G1 gets (a region less the array header).
        Random random = new Random(42 + chunkShift + chunkSize);
        KeyLog log = new KeyLog(chunkShift, chunkSize);
        List<Model> model = new ArrayList<>();
        for (int step = 0; step < 30_000; step++) {
            int db = random.nextInt(3);
            byte[] key = k("key:" + random.nextInt(400) + (random.nextInt(8) == 0 ? "-with-a-longer-suffix" : ""));
            int op = random.nextInt(100);
            if (op < 45) {
                long bytes = random.nextInt(100);
                boolean replace = random.nextBoolean();
                log.write(db, key, bytes, replace);
                Model m = find(model, db, key);
                if (m == null) model.add(new Model(db, key, key.length + bytes));
                else m.size = replace ? key.length + bytes : m.size + bytes;
            } else if (op < 70) {
                log.remove(db, key);
                model.removeIf(m -> m.db == db && Arrays.equals(m.key, key));
            } else if (op < 78) {
                byte[] to = k("key:" + random.nextInt(400));
                log.rename(db, key, to);
                if (!Arrays.equals(key, to)) {
                    model.removeIf(m -> m.db == db && Arrays.equals(m.key, to));
                    Model m = find(model, db, key);
                    if (m != null) {
                        m.size = m.size - key.length + to.length;
                        m.key = to;
                    }
                }
            } else if (op < 84) {
                int toDb = random.nextInt(3);
                log.move(db, key, toDb);
                if (toDb != db) {
                    model.removeIf(m -> m.db == toDb && Arrays.equals(m.key, key));
                    Model m = find(model, db, key);
                    if (m != null) m.db = toDb;
                }
            } else if (op < 90) {
                int k = 1 + random.nextInt(3);
                assertEquals(Math.min(k, model.size()), log.evictOldest(k));
                for (int i = 0; i < k && !model.isEmpty(); i++) model.remove(0);
            } else if (op < 91) {
                log.flushDb(db);
                model.removeIf(m -> m.db == db);
            } else if (op < 92) {
                int other = random.nextInt(3);
                log.swapDb(db, other);
                for (Model m : model) {
                    if (m.db == db) m.db = other;
                    else if (m.db == other) m.db = db;
                }
            } else {
                log.write(db, key, 1, true);
                if (find(model, db, key) == null) model.add(new Model(db, key, key.length + 1));
                else find(model, db, key).size = key.length + 1;
            }
            if (step % 97 == 0 || step > 29_900) check(log, model);
        }
        check(log, model);
    }

    private static void check(KeyLog log, List<Model> model) {
        List<String> expected = new ArrayList<>();
        long bytes = 0;
        for (Model m : model) {
            expected.add(m.db + ":" + new String(m.key, UTF_8));
            bytes += m.size;
            assertEquals(m.size, log.sizeOf(m.db, m.key));
        }
        assertEquals(expected, oldest(log, Integer.MAX_VALUE));
        assertEquals(model.size(), log.size());
        assertEquals(bytes, log.trackedBytes());
    }

    private static Model find(List<Model> model, int db, byte[] key) {
        for (Model m : model) if (m.db == db && Arrays.equals(m.key, key)) return m;
        return null;
    }

    private static final class Model {
        int db;
        byte[] key;
        long size;

        Model(int db, byte[] key, long size) {
            this.db = db;
            this.key = key;
            this.size = size;
        }
    }

    /**
     * Random operations against a model that also holds what the journal knows of each key, with bursts of writes
     * longer than a settle's batch (so that pending records are merged and slid across chunk boundaries), flushes
     * that pick keys and confirm them while the application goes on, and the journal's functions: walks, markers,
     * forgetting what a flush took, putting a journal back, and the listener of journaled keys that die.
     */
    @ParameterizedTest
    @CsvSource({"6, 64", "8, 192", "12, 4032", "18, 262080"})
    void agreesWithAJournalModel(int chunkShift, int chunkSize) {
        Random random = new Random(7 + chunkShift + chunkSize);
        KeyLog log = new KeyLog(chunkShift, chunkSize);
        JournalModel model = new JournalModel();
        List<String> died = new ArrayList<>();
        log.journalListener((db, key, position) -> died.add(db + ":" + new String(key, UTF_8)));
        int appendCursor = log.newCursor(0L);
        log.journalCursor(appendCursor);
        int forgotCursor = log.newCursor(0L);
        List<long[]> markers = new ArrayList<>(); // {cursor, seq of the last record before it}
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(1000);
            int db = random.nextInt(3);
            String key = "k" + random.nextInt(random.nextInt(10) == 0 ? 20_000 : 600);
            if (op < 5) { // a burst of writes, new keys and old, longer than a settle's batch
                for (int i = 0, n = 1 + random.nextInt(9000); i < n; i++) {
                    int d = random.nextInt(3);
                    String k = "k" + random.nextInt(20_000);
                    long bytes = random.nextInt(50);
                    boolean replace = random.nextInt(4) != 0;
                    log.write(d, k(k), bytes, replace);
                    model.write(d, k, bytes, replace);
                    if (random.nextInt(3) == 0) {
                        log.persist(d, k(k)); // as the interpreter does after a SET
                        model.persist(d, k);
                    }
                }
            } else if (op < 400) {
                long bytes = random.nextInt(100);
                boolean replace = random.nextBoolean();
                log.write(db, k(key), bytes, replace);
                model.write(db, key, bytes, replace);
            } else if (op < 480) {
                assertEquals(model.find(db, key) != null, log.remove(db, k(key)));
                model.remove(db, key);
            } else if (op < 530) {
                String to = "k" + random.nextInt(600);
                log.rename(db, k(key), k(to));
                model.rename(db, key, to);
            } else if (op < 560) {
                int toDb = random.nextInt(3);
                log.move(db, k(key), toDb);
                model.move(db, key, toDb);
            } else if (op < 610) {
                long at = 100 + random.nextInt(1000);
                log.expireAt(db, k(key), at);
                model.expireAt(db, key, at);
            } else if (op < 660) {
                log.persist(db, k(key));
                model.persist(db, key);
            } else if (op < 670) {
                long now = 100 + random.nextInt(1000);
                log.expire(now);
                model.expire(now);
            } else if (op < 690) {
                int k = 1 + random.nextInt(5);
                assertEquals(Math.min(k, model.size()), log.evictOldest(k));
                model.evict(k);
            } else if (op < 693) {
                log.flushDb(db);
                model.flushDb(db);
            } else if (op < 696) {
                int other = random.nextInt(3);
                log.swapDb(db, other);
                model.swapDb(db, other);
            } else if (op < 760) { // the journal takes what is new; some keys end a blob, whose end is a marker
                List<String> expected = model.walk();
                List<String> visited = new ArrayList<>();
                log.walkUnjournaled(appendCursor, (d, name, from, length, after) -> {
                    String k = new String(name, from, length, UTF_8);
                    visited.add(d + ":" + k);
                    if (random.nextInt(8) == 0) markers.add(new long[] {log.newCursor(after), model.find(d, k).seq});
                });
                assertEquals(expected, visited, "keys the journal takes");
            } else if (op < 800 && !markers.isEmpty()) { // a flush took the journal's oldest blobs
                long[] marker = markers.remove(0);
                int forgotten = log.forgetJournaled(db, forgotCursor, (int) marker[0]);
                assertEquals(model.forgetJournaled(db, marker[1]), forgotten);
                log.freeCursor((int) marker[0]);
            } else if (op < 860) { // a flush of the local order: picks, the application goes on, confirms
                int k = 1 + random.nextInt(20);
                List<int[]> picked = new ArrayList<>();
                List<byte[]> names = new ArrayList<>();
                log.scanOldest(k, (h, d, name) -> {
                    picked.add(new int[] {h, d});
                    names.add(name);
                });
                List<JournalModel.Entry> expected = model.oldest(k);
                List<String> pickedNames = new ArrayList<>();
                for (int i = 0; i < picked.size(); i++) pickedNames.add(picked.get(i)[1] + ":" + new String(names.get(i), UTF_8));
                List<String> expectedNames = new ArrayList<>();
                for (JournalModel.Entry e : expected) expectedNames.add(e.db + ":" + e.key);
                assertEquals(expectedNames, pickedNames, "the oldest keys, at step " + step);
                log.beginFlight();
                for (int i = 0, n = expected.isEmpty() ? 0 : random.nextInt(6); i < n; i++) {
                    JournalModel.Entry e = expected.get(random.nextInt(expected.size()));
                    int what = random.nextInt(3);
                    if (what == 0) {
                        log.write(e.db, k(e.key), 1, true);
                        model.write(e.db, e.key, 1, true);
                    } else if (what == 1) {
                        log.remove(e.db, k(e.key));
                        model.remove(e.db, e.key);
                    } else {
                        String to = "k" + random.nextInt(600);
                        log.rename(e.db, k(e.key), k(to));
                        model.rename(e.db, e.key, to);
                    }
                }
                for (int i = 0; i < picked.size(); i++) {
                    boolean confirmed = log.confirmRemoved(picked.get(i)[0], picked.get(i)[1], names.get(i));
                    assertEquals(model.confirm(expected.get(i), expectedNames.get(i)), confirmed,
                            "confirm " + expectedNames.get(i) + " at step " + step);
                }
                log.endFlight();
            } else if (op < 865) { // the journal of a database was lost with its keys still there: put back
                int until = markers.isEmpty() ? appendCursor : (int) markers.get(markers.size() - 1)[0];
                long untilSeq = markers.isEmpty() ? model.appendSeq : markers.get(markers.size() - 1)[1];
                List<String> visited = new ArrayList<>();
                int count = log.rejournal(db, until,
                        (d, name, from, length, after) -> visited.add(d + ":" + new String(name, from, length, UTF_8)));
                List<String> expected = new ArrayList<>();
                assertEquals(model.rejournal(db, untilSeq, expected), count);
                assertEquals(expected, visited, "keys put back");
            } else if (op < 866) {
                log.clear();
                model.clear();
                for (long[] m : markers) m[1] = model.seq; // every cursor is at the start now
            } else {
                assertEquals(model.find(db, key) != null, log.contains(db, k(key)));
            }
            assertEquals(sorted(model.died), sorted(died), "journaled keys that died, at step " + step + ", op " + op + " " + db + ":" + key);
            model.died.clear();
            died.clear();
            if (step % 211 == 0) check(log, model);
        }
        check(log, model);
    }

    private static List<String> sorted(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        copy.sort(null);
        return copy;
    }

    private static void check(KeyLog log, JournalModel model) {
        List<String> expected = new ArrayList<>();
        long bytes = 0;
        for (JournalModel.Entry e : model.bySeq.values()) {
            expected.add(e.db + ":" + e.key);
            bytes += e.size;
            assertEquals(e.size, log.sizeOf(e.db, k(e.key)), e.key);
            assertEquals(e.expiry, log.expiryOf(e.db, k(e.key)), e.key);
            assertEquals(e.journaled, log.journaled(e.db, k(e.key)), e.key);
        }
        assertEquals(expected, oldest(log, Integer.MAX_VALUE));
        assertEquals(model.size(), log.size());
        assertEquals(bytes, log.trackedBytes());
    }

    /** What KeyLog promises, kept the plain way: entries in creation order (seq), by name, with journal flags. */
    private static final class JournalModel {
        final java.util.TreeMap<Long, Entry> bySeq = new java.util.TreeMap<>();
        final java.util.Map<String, Entry> byName = new java.util.HashMap<>();
        final List<String> died = new ArrayList<>();
        long seq;
        /** The append cursor, as the seq of the last record before it. */
        long appendSeq;
        long forgotSeq;

        static final class Entry {
            int db;
            String key;
            long size;
            long expiry;
            boolean journaled;
            final long seq;

            Entry(int db, String key, long size, long seq) {
                this.db = db;
                this.key = key;
                this.size = size;
                this.seq = seq;
            }
        }

        int size() {
            return bySeq.size();
        }

        Entry find(int db, String key) {
            return byName.get(db + ":" + key);
        }

        private Entry add(int db, String key, long size) {
            Entry e = new Entry(db, key, size, ++seq);
            bySeq.put(e.seq, e);
            byName.put(db + ":" + key, e);
            return e;
        }

        /** @param told whether the journal's listener hears of it */
        private void drop(Entry e, boolean told) {
            bySeq.remove(e.seq);
            byName.remove(e.db + ":" + e.key);
            if (told && e.journaled) died.add(e.db + ":" + e.key);
        }

        void write(int db, String key, long bytes, boolean replace) {
            Entry e = find(db, key);
            if (e == null) add(db, key, key.length() + bytes);
            else e.size = replace ? key.length() + bytes : e.size + bytes;
        }

        void remove(int db, String key) {
            Entry e = find(db, key);
            if (e != null) drop(e, true);
        }

        void rename(int db, String from, String to) {
            if (from.equals(to)) return;
            remove(db, to);
            Entry e = find(db, from);
            if (e == null) return;
            if (e.journaled) { // the journal names it by its old name: a new key
                drop(e, true);
                add(db, to, e.size - from.length() + to.length()).expiry = e.expiry;
            } else {
                byName.remove(db + ":" + from);
                e.key = to;
                e.size = e.size - from.length() + to.length();
                byName.put(db + ":" + to, e);
            }
        }

        void move(int db, String key, int toDb) {
            if (db == toDb) return;
            remove(toDb, key);
            Entry e = find(db, key);
            if (e == null) return;
            if (e.journaled) {
                drop(e, true);
                add(toDb, key, e.size).expiry = e.expiry;
            } else {
                byName.remove(db + ":" + key);
                e.db = toDb;
                byName.put(toDb + ":" + key, e);
            }
        }

        void expireAt(int db, String key, long at) {
            Entry e = find(db, key);
            if (e != null) e.expiry = at;
        }

        void persist(int db, String key) {
            Entry e = find(db, key);
            if (e == null || e.expiry == 0) return;
            if (!e.journaled && e.seq <= appendSeq) { // the journal passed it by while it had an expiry: the newest
                drop(e, false);
                add(db, key, e.size);
            } else {
                e.expiry = 0;
            }
        }

        void expire(long now) {
            for (Entry e : new ArrayList<>(bySeq.values())) if (e.expiry != 0 && e.expiry < now) drop(e, true);
        }

        void evict(int k) {
            for (int i = 0; i < k && !bySeq.isEmpty(); i++) drop(bySeq.firstEntry().getValue(), false);
        }

        void flushDb(int db) {
            for (Entry e : new ArrayList<>(bySeq.values())) if (e.db == db) drop(e, false);
        }

        void swapDb(int a, int b) {
            if (a == b) return;
            byName.clear();
            for (Entry e : bySeq.values()) {
                if (e.db == a) e.db = b;
                else if (e.db == b) e.db = a;
                byName.put(e.db + ":" + e.key, e);
            }
        }

        void clear() {
            bySeq.clear();
            byName.clear();
            appendSeq = seq; // every cursor goes to the start, which is before every key written from now on
            forgotSeq = seq;
        }

        /** The keys a walk of the journal takes, in order; they are journaled from now on. */
        List<String> walk() {
            List<String> taken = new ArrayList<>();
            for (Entry e : bySeq.tailMap(appendSeq, false).values()) {
                if (!e.journaled && e.expiry == 0) {
                    e.journaled = true;
                    taken.add(e.db + ":" + e.key);
                }
            }
            appendSeq = seq;
            return taken;
        }

        int forgetJournaled(int db, long untilSeq) {
            int n = 0;
            if (untilSeq <= forgotSeq) return 0;
            for (Entry e : new ArrayList<>(bySeq.subMap(forgotSeq, false, untilSeq, true).values())) {
                if (e.journaled && e.db == db) {
                    drop(e, false);
                    n++;
                }
            }
            forgotSeq = Math.max(forgotSeq, untilSeq);
            return n;
        }

        List<Entry> oldest(int k) {
            List<Entry> first = new ArrayList<>();
            for (Entry e : bySeq.values()) {
                if (first.size() == k) break;
                first.add(e);
            }
            return first;
        }

        /** A flush removed a picked key: gone if it is still the same record under the same name. */
        boolean confirm(Entry picked, String nameWhenPicked) {
            Entry now = bySeq.get(picked.seq);
            if (now != picked || !nameWhenPicked.equals(now.db + ":" + now.key)) return false;
            drop(now, true);
            return true;
        }

        int rejournal(int db, long untilSeq, List<String> visited) {
            int count = 0;
            for (Entry e : bySeq.headMap(untilSeq, true).values()) {
                if (e.db == db && e.journaled) {
                    e.journaled = false;
                    count++;
                }
            }
            for (Entry e : bySeq.headMap(untilSeq, true).values()) {
                if (e.db == db && !e.journaled && e.expiry == 0) {
                    e.journaled = true;
                    visited.add(e.db + ":" + e.key);
                }
            }
            return count;
        }
    }
}
