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
        long full = log.memoryBytes();
        for (int i = 0; i < n; i++) if (i % 10 != 0) log.remove(0, k("key-" + i));
        assertTrue(log.memoryBytes() < full / 2, "compaction gave memory back: " + log.memoryBytes() + " of " + full);
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
}
