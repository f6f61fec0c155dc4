package io.gcsflush.order;

import io.gcsflush.Log;
import io.gcsflush.redis.ClusterSlots;
import io.gcsflush.redis.RespConnection;
import io.gcsflush.track.KeyFilter;
import io.gcsflush.track.KeyLog;
import io.gcsflush.track.ServerEntry;
import io.gcsflush.track.Tracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code order=journal}, the default: the order lives in Redis, beside the keys, in one journal per database (per
 * master node in a cluster), which every instance of the application appends to and every restart finds again. So
 * the oldest keys are removed first whichever JVM wrote them, whether it still runs or not, and a failover takes the
 * journal along with the keys it describes.
 *
 * <p>A journal is a list of blobs of keys (see {@code journal.lua}). This JVM appends the keys its application
 * created, over the agent's own connection, a few times a second ({@link #sync}), in a script that also tells it the
 * journal's id and head. A flush is a script that takes the oldest keys from the head and unlinks them in one step,
 * so that flushers of several JVMs never take the same keys or skip any. The local tracker decides what enters the
 * journal: a key is appended once, when created; one with an expiry time is left to Redis. A key that dies here
 * (deleted, expired, renamed) is taken out of its blob at the next sync, so that the journal carries no dead weight
 * and never names a key that is gone.
 *
 * <p>Each blob appended is remembered as a marker (its seq, and a cursor in the local log after its last key); once
 * the journal's head has passed a blob, whoever flushed it, the keys of that blob are forgotten here, so that a key
 * of that name written again is new and enters the journal again.
 *
 * <p>Where the journal cannot be kept (a user without the commands it needs, scripts disabled), that server's order
 * falls back to this JVM's own log ({@link LocalOrder}), said once.
 *
 * <p>Threads: the flusher thread calls in; the event thread reports keys that die ({@link Server#died}). What both
 * touch (markers, blobs in flight, removals) is guarded by the tracker's lock; I/O never happens under it.
 */
public final class JournalOrder implements WriteOrder {
    public static final String DEFAULT_KEY = "gcs-flush:journal";
    /** Keys one step of a flush takes (one script call): about a millisecond of the server's time. */
    static final int STEP_KEYS = 1000;
    /** Blobs one append carries, and keys one removal: a few hundred KiB a script call at most. */
    private static final int BLOBS_PER_CALL = 16;
    private static final int REMOVALS_PER_CALL = 4096;
    /** Keys sampled to tell a journal lost with its keys from a journal lost alone. */
    private static final int SAMPLE = 32;
    private static final long HEAD_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long DISCOVERY_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long a journal that looks replaced waits for a SWAPDB of the application's to be reported. */
    private static final long SWAP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The server's clock and ours disagree by a little; a flush this much early is still on time. */
    private static final long SPACING_TOLERANCE_MS = 10;

    private final Tracker tracker;
    private final String key;
    private final boolean dryRun;
    private final LocalOrder local;
    /** The {@code adopt} setting: patterns of keys already in Redis to take in, none if empty. */
    private final List<String> adopt;
    private final KeyFilter adoptFilter;
    private final KeyFilter allowed;
    private final long maxAdopted;
    /** How long one sync may spend taking existing keys in: the rest waits for the next. */
    private static final long ADOPTION_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private final Map<ServerEntry, Server> servers = new IdentityHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param key the journal's key name ({@value #DEFAULT_KEY}); its state is {@code <key>:state}
     * @param action what the fallback to a local order does with keys (remove them, or not in a dry run)
     * @param adopt patterns of the keys already in Redis to take into the journal ({@link Adoption}); none if empty
     * @param allowed the keys that may enter the order at all
     * @param maxAdopted the most existing keys taken into one journal
     */
    public JournalOrder(Tracker tracker, String key, KeyAction action, List<String> adopt, KeyFilter allowed,
            long maxAdopted) {
        this.tracker = tracker;
        this.key = key;
        this.dryRun = !action.removes();
        this.local = new LocalOrder(tracker, action);
        this.adopt = adopt;
        this.adoptFilter = KeyFilter.of(adopt, List.of());
        this.allowed = allowed;
        this.maxAdopted = maxAdopted;
    }

    public JournalOrder(Tracker tracker, String key, KeyAction action) {
        this(tracker, key, action, List.of(), KeyFilter.ALL, Long.MAX_VALUE);
    }

    // ------------------------------------------------------------------ appending

    @Override
    public void sync(ServerEntry entry, ServerLink link) throws IOException {
        Server s = server(entry);
        if (s.fallback) return;
        RespConnection c = link.connection();
        try {
            if (!s.prepared) s.prepare(c);
            if (s.movedHome != null) reclaim(link, s);
            long now = System.nanoTime();
            if (now - s.nextDiscovery >= 0) {
                s.nextDiscovery = now + DISCOVERY_NANOS;
                s.discover(c);
            }
            collect(s);
            appendInFlight(c, s);
            removeDead(c, s);
            if (!adopt.isEmpty()) adopt(c, s);
            if (now - s.nextHeadCheck >= 0) {
                s.nextHeadCheck = now + HEAD_CHECK_NANOS;
                for (Journal j : new ArrayList<>(s.journals.values())) {
                    if (!j.markers.isEmpty() || j.keys < 0) head(c, s, j);
                }
            }
        } catch (Overwritten e) {
            overwritten(c, s, e);
        } catch (Refused e) {
            refused(s, e);
        }
    }

    /** Takes the keys created since the last call from the log, into blobs per database; under the lock. */
    private void collect(Server s) {
        tracker.lock().lock();
        try {
            s.applySwaps();
            if (!s.inFlight.isEmpty()) return; // the last ones first
            KeyLog log = s.entry.keys();
            if (s.appendCursor < 0) {
                s.appendCursor = log.newCursor(0L);
                log.journalCursor(s.appendCursor);
                log.journalListener(s);
            }
            Map<Integer, JournalBlob> open = new TreeMap<>();
            JournalBlob[] last = new JournalBlob[1]; // most keys follow one of their database: no map lookup for them
            log.walkUnjournaled(s.appendCursor, (db, name, from, length, after) -> {
                JournalBlob blob = last[0] != null && last[0].db == db ? last[0] : open.get(db);
                if (blob == null) open.put(db, blob = s.openBlob(db));
                last[0] = blob;
                blob.add(name, from, length);
                if (blob.full()) {
                    blob.cursor = log.newCursor(after);
                    s.closeBlob(blob);
                    open.remove(db);
                    last[0] = null;
                }
            });
            for (JournalBlob blob : open.values()) {
                blob.cursor = log.copyCursor(s.appendCursor);
                s.closeBlob(blob);
            }
        } finally {
            tracker.lock().unlock();
        }
    }

    /** Appends the blobs in flight, a database at a time; those that fail stay in flight for the next call. */
    private void appendInFlight(RespConnection c, Server s) throws IOException, Refused {
        Map<Integer, List<JournalBlob>> byDb = new TreeMap<>();
        tracker.lock().lock();
        try {
            for (JournalBlob blob : s.inFlight) byDb.computeIfAbsent(blob.db, d -> new ArrayList<>()).add(blob);
        } finally {
            tracker.lock().unlock();
        }
        for (Map.Entry<Integer, List<JournalBlob>> e : byDb.entrySet()) {
            Journal j = s.journal(e.getKey());
            List<JournalBlob> blobs = e.getValue();
            for (int from = 0; from < blobs.size(); from += BLOBS_PER_CALL) {
                List<JournalBlob> part = blobs.subList(from, Math.min(blobs.size(), from + BLOBS_PER_CALL));
                if (!append(c, s, j, part)) break; // the journal was replaced: its blobs were dealt with
            }
        }
    }

    /** @return false if the journal turned out replaced, and the blobs of its database were dealt with otherwise */
    private boolean append(RespConnection c, Server s, Journal j, List<JournalBlob> blobs) throws IOException, Refused {
        select(c, j.db);
        List<byte[]> args = new ArrayList<>(2 + 2 * blobs.size());
        args.add(bytes(j.id == null ? "" : j.id));
        args.add(bytes(newId()));
        for (JournalBlob blob : blobs) {
            args.add(bytes(Integer.toString(blob.count())));
            args.add(blob.body());
        }
        List<Object> reply = check(j, JournalScripts.APPEND.run(c, j.key, j.state, args));
        if ("replaced".equals(text(reply.get(0)))) {
            replaced(c, s, j, text(reply.get(1)));
            return false;
        }
        j.id = text(reply.get(0));
        long lastSeq = number(reply.get(2));
        j.keys = number(reply.get(3));
        tracker.lock().lock();
        try {
            for (int i = 0; i < blobs.size(); i++) {
                JournalBlob blob = blobs.get(i);
                s.inFlight.remove(blob);
                if (blob.cursor < 0) continue; // keys of another server's log (a failover): nothing to forget here
                Marker m = new Marker(lastSeq - blobs.size() + 1 + i, blob.cursor);
                m.removals = blob.removals; // keys that died while the blob was on its way
                j.markers.add(m);
            }
        } finally {
            tracker.lock().unlock();
        }
        learnHead(s, j, number(reply.get(4)), -1);
        return true;
    }

    /** Takes the keys that died here out of their blobs. */
    private void removeDead(RespConnection c, Server s) throws IOException, Refused {
        for (Journal j : s.journals.values()) {
            List<byte[]> args = new ArrayList<>();
            args.add(bytes(j.id == null ? "" : j.id));
            Map<Marker, List<byte[]>> taken = new IdentityHashMap<>();
            int names = 0;
            tracker.lock().lock();
            try {
                if (!s.swaps.isEmpty()) return; // the journals are not where this JVM knows them until applied
                for (Marker m : j.markers) {
                    if (m.removals == null) continue;
                    args.add(bytes(Long.toString(m.seq)));
                    args.add(bytes(Integer.toString(m.removals.size())));
                    args.addAll(m.removals);
                    names += m.removals.size();
                    taken.put(m, m.removals);
                    m.removals = null;
                    if (names >= REMOVALS_PER_CALL) break;
                }
            } finally {
                tracker.lock().unlock();
            }
            if (names == 0) continue;
            select(c, j.db);
            List<Object> reply = check(j, JournalScripts.REMOVE.run(c, j.key, j.state, args));
            j.keys = number(reply.get(1));
            if (number(reply.get(0)) < 0) {
                // Not the journal of the blobs (a SWAPDB not applied yet, a journal made again): for later.
                tracker.lock().lock();
                try {
                    for (Map.Entry<Marker, List<byte[]>> e : taken.entrySet()) {
                        Marker m = e.getKey();
                        if (m.removals != null) e.getValue().addAll(m.removals);
                        m.removals = e.getValue();
                    }
                } finally {
                    tracker.lock().unlock();
                }
            }
        }
    }

    /**
     * This cluster node's journal went to another node with its slot (a resharding): it describes this node's keys,
     * so its blobs are brought back, at the head of the journal this node has now. The old one is renamed first on
     * the other node, so that only one instance brings it back; the rest of the way is done again, harmlessly, if
     * interrupted (at worst a blob twice).
     */
    private void reclaim(ServerLink link, Server s) throws IOException {
        String[] moved = s.movedHome;
        if (moved[0].equals(s.homeKey)) return; // this node does not know yet that the slot left: next time
        s.movedHome = null;
        byte[] old = bytes(moved[0]);
        byte[] taken = bytes(moved[0] + ":moving");
        byte[] oldState = bytes(moved[0] + ":state");
        RespConnection other = link.connect(moved[1], Integer.parseInt(moved[2]));
        Object renamed = other.call(bytes("RENAME"), old, taken);
        if (!"OK".equals(renamed)) return; // brought back already, or gone
        List<JournalBlob> blobs = new ArrayList<>();
        int keys = 0;
        Object all = other.call(bytes("LRANGE"), taken, bytes("0"), bytes("-1"));
        if (all instanceof List) {
            for (Object element : (List<?>) all) {
                byte[] blob = (byte[]) element;
                int nl = 0;
                while (nl < blob.length && blob[nl] != '\n') nl++;
                String[] header = new String(blob, 0, nl, StandardCharsets.UTF_8).split(" ");
                if (header.length != 4 || !header[0].equals("gcs-flush/1")) continue;
                int count = Integer.parseInt(header[3]);
                if (count == 0) continue;
                blobs.add(JournalBlob.of(0, java.util.Arrays.copyOfRange(blob, nl + 1, blob.length), count));
                keys += count;
            }
        }
        if (!blobs.isEmpty()) prepend(link.connection(), s, s.journal(0), blobs);
        other.call(bytes("DEL"), taken, oldState);
        Log.info("{}: the slot of its journal {} went to {}:{}; brought its {} keys back into {}", s.entry, moved[0],
                moved[1], moved[2], keys, s.homeKey);
    }

    /** Takes existing keys into the journals, for a slice of time at most (see {@link Adoption}). */
    private void adopt(RespConnection c, Server s) throws IOException, Refused {
        long end = System.nanoTime() + ADOPTION_SLICE_NANOS;
        for (int db : s.dbsWithKeys) {
            Adoption a = s.adoptions.get(db);
            Journal j = s.journal(db);
            if (a == null) {
                if (j.keys < 0) head(c, s, j); // its head's age tells what is newer than the journal
                long minIdle = j.keys > 0 && j.headAgeMs > 0 ? j.headAgeMs / 1000 : 0;
                a = new Adoption(db, String.join(",", adopt), adoptFilter, allowed, key, j.key, j.state, maxAdopted,
                        newId(), minIdle);
                s.adoptions.put(db, a);
            }
            if (a.finished()) continue;
            select(c, db);
            Adoption.Head head = new Adoption.Head() {
                @Override
                public void prepend(int adb, List<JournalBlob> blobs) throws IOException {
                    JournalOrder.this.prepend(c, s, j, blobs);
                }

                @Override
                public boolean tracked(int adb, byte[] name) {
                    tracker.lock().lock();
                    try {
                        return s.entry.keys().contains(adb, name);
                    } finally {
                        tracker.lock().unlock();
                    }
                }
            };
            while (System.nanoTime() - end < 0 && a.step(c, head)) {
                // one step more
            }
            if (System.nanoTime() - end >= 0) return;
        }
    }

    /** Reads a journal's id and head; forgets what the head has passed. */
    private void head(RespConnection c, Server s, Journal j) throws IOException, Refused {
        select(c, j.db);
        List<Object> reply = check(j, JournalScripts.HEAD.run(c, j.key, j.state, List.of()));
        String id = text(reply.get(0));
        if (j.id != null && !j.id.equals(id)) {
            replaced(c, s, j, id);
            return;
        }
        if (!id.isEmpty()) j.id = id;
        j.keys = number(reply.get(3));
        learnHead(s, j, number(reply.get(1)), number(reply.get(4)));
    }

    /**
     * The journal's head is now the blob {@code headSeq} ({@code -1}: the journal is empty): every blob of ours before
     * it was taken by a flush, so its keys are gone from Redis, and forgotten here.
     */
    private void learnHead(Server s, Journal j, long headSeq, long ageMs) {
        if (ageMs >= 0 || headSeq < 0) j.headAgeMs = ageMs;
        j.swapWaitSince = 0; // it is the journal this JVM knows
        tracker.lock().lock();
        try {
            if (j.markers.isEmpty()) return;
            KeyLog log = s.entry.keys();
            if (j.forgotCursor < 0) j.forgotCursor = log.newCursor(0L);
            int passed = 0;
            for (Marker m : j.markers) {
                if (headSeq >= 0 && m.seq >= headSeq) break;
                log.forgetJournaled(s.recordDb(j.db), j.forgotCursor, m.cursor);
                log.freeCursor(m.cursor);
                passed++;
            }
            j.markers.subList(0, passed).clear();
        } finally {
            tracker.lock().unlock();
        }
    }

    // ------------------------------------------------------------------ a journal lost or replaced

    /**
     * The journal is not the one this JVM appended to: it was deleted, or created again (a FLUSHALL or FLUSHDB, a
     * server restarted without its data, another client deleting it). The keys this JVM had appended to the old one
     * (up to its last blob there) are looked at: if most are gone, they went with it, and are forgotten; if they are
     * still there, they are put back at the head of the journal, as the oldest, so that they are not left out of the
     * order for ever. Keys not appended yet go to the new journal as any others.
     */
    private void replaced(RespConnection c, Server s, Journal j, String newId) throws IOException, Refused {
        if (awaitingSwap(s, j, newId)) return;
        replaced(c, s, j, newId, false);
    }

    /**
     * Whether a journal found replaced may have been moved by the application's own SWAPDB, which moves journals with
     * their databases' keys: while one is reported and not applied yet; or for a second when the journal found is
     * one this JVM knows in another database, or none (a swap with a database without one), time for the event
     * thread to report it. Meanwhile blobs wait in flight, and nothing is put back or forgotten.
     */
    private boolean awaitingSwap(Server s, Journal j, String newId) {
        tracker.lock().lock();
        try {
            if (!s.swaps.isEmpty()) return true;
        } finally {
            tracker.lock().unlock();
        }
        boolean mayBeSwapped = newId.isEmpty();
        for (Journal other : s.journals.values()) mayBeSwapped |= other != j && newId.equals(other.id);
        if (!mayBeSwapped) return false;
        long now = System.nanoTime();
        if (j.swapWaitSince == 0) j.swapWaitSince = now;
        if (now - j.swapWaitSince < SWAP_WAIT_NANOS) return true;
        j.swapWaitSince = 0;
        return false;
    }

    /** @param said whether a line about it was logged already */
    private void replaced(RespConnection c, Server s, Journal j, String newId, boolean said)
            throws IOException, Refused {
        j.id = newId.isEmpty() ? null : newId;
        List<byte[]> sample;
        int boundary;
        tracker.lock().lock();
        try {
            KeyLog log = s.entry.keys();
            if (j.markers.isEmpty()) return; // nothing of this JVM's was in the old journal any more
            boundary = log.copyCursor(j.markers.get(j.markers.size() - 1).cursor);
            for (Marker m : j.markers) log.freeCursor(m.cursor);
            j.markers.clear();
            // What is put back is remembered from the start of the log.
            if (j.forgotCursor >= 0) log.freeCursor(j.forgotCursor);
            j.forgotCursor = log.newCursor(0L);
            sample = log.journaledSample(s.recordDb(j.db), SAMPLE, boundary);
        } finally {
            tracker.lock().unlock();
        }
        try {
            putBack(c, s, j, sample, boundary, said);
        } finally {
            tracker.lock().lock();
            try {
                s.entry.keys().freeCursor(boundary);
            } finally {
                tracker.lock().unlock();
            }
        }
    }

    private void putBack(RespConnection c, Server s, Journal j, List<byte[]> sample, int boundary, boolean said)
            throws IOException, Refused {
        if (sample.isEmpty()) return;
        select(c, j.db);
        long present = 0;
        for (byte[] name : sample) c.write(bytes("EXISTS"), name);
        c.flush();
        for (int i = 0; i < sample.size(); i++) {
            Object r = c.read();
            if (r instanceof Long) present += (Long) r;
        }
        // Most gone: the data went with the journal (a few of the names may have been written again since).
        if (present * 2 < sample.size()) {
            int forgotten;
            tracker.lock().lock();
            try {
                KeyLog log = s.entry.keys();
                int from = log.newCursor(0L);
                forgotten = log.forgetJournaled(s.recordDb(j.db), from, boundary);
                log.freeCursor(from);
            } finally {
                tracker.lock().unlock();
            }
            Log.info("{}: the journal of database {} is new and the keys this application wrote there are gone (a "
                    + "FLUSHALL or FLUSHDB, or a restart without persistence): forgetting the {} keys it tracked "
                    + "there", s.entry, j.db, forgotten);
            return;
        }
        List<JournalBlob> blobs = new ArrayList<>();
        tracker.lock().lock();
        try {
            KeyLog log = s.entry.keys();
            JournalBlob[] open = {null};
            log.rejournal(s.recordDb(j.db), boundary, (db, name, from, length, after) -> {
                if (open[0] == null) open[0] = new JournalBlob(db);
                open[0].add(name, from, length);
                if (open[0].full()) {
                    open[0].cursor = log.newCursor(after);
                    blobs.add(open[0]);
                    open[0] = null;
                }
            });
            if (open[0] != null) {
                open[0].cursor = log.copyCursor(boundary);
                blobs.add(open[0]);
            }
            // Until they are in, keys that die are taken out of these blobs.
            s.inFlight.addAll(0, blobs);
        } finally {
            tracker.lock().unlock();
        }
        int keys = 0;
        for (JournalBlob b : blobs) keys += b.count();
        if (!said) {
            Log.warn("{}: the journal of database {} was deleted or replaced by another client while the keys "
                    + "stayed; putting back the {} keys this application tracks there as the oldest (keys other "
                    + "instances wrote before are no longer in the order)", s.entry, j.db, keys);
        }
        prepend(c, s, j, blobs);
    }

    /** Puts blobs at the head of a journal, oldest first, and remembers them as markers. */
    private void prepend(RespConnection c, Server s, Journal j, List<JournalBlob> blobs) throws IOException {
        for (int end = blobs.size(); end > 0; end -= BLOBS_PER_CALL) {
            // From the newest part back, so that each part goes before the one put just before it.
            List<JournalBlob> part = blobs.subList(Math.max(0, end - BLOBS_PER_CALL), end);
            List<byte[]> args = new ArrayList<>(1 + 2 * part.size());
            args.add(bytes(newId()));
            for (JournalBlob blob : part) {
                args.add(bytes(Integer.toString(blob.count())));
                args.add(blob.body());
            }
            if (!c.select(j.db)) throw new IOException("SELECT " + j.db + " refused");
            Object raw = JournalScripts.PREPEND.run(c, j.key, j.state, args);
            if (!(raw instanceof List)) throw new IOException("cannot put keys at the head of the journal: " + raw);
            @SuppressWarnings("unchecked")
            List<Object> reply = (List<Object>) raw;
            j.id = text(reply.get(0));
            long first = number(reply.get(2));
            j.keys = number(reply.get(3));
            tracker.lock().lock();
            try {
                List<Marker> markers = new ArrayList<>();
                for (int i = 0; i < part.size(); i++) {
                    s.inFlight.remove(part.get(i));
                    if (part.get(i).cursor < 0) continue; // keys this JVM did not write (adopted): nothing to forget
                    Marker m = new Marker(first + i, part.get(i).cursor);
                    m.removals = part.get(i).removals;
                    markers.add(m);
                }
                j.markers.addAll(0, markers); // older than every marker there
            } finally {
                tracker.lock().unlock();
            }
        }
    }

    // ------------------------------------------------------------------ removing

    @Override
    public Removal removeOldest(ServerEntry entry, ServerLink link, int max, long spacingNanos) throws IOException {
        Server s = server(entry);
        if (s.fallback) return local.removeOldest(entry, link, max, spacingNanos);
        RespConnection c = link.connection();
        long before = s.keys();
        int taken = 0;
        long existed = 0;
        String refusal = null;
        long spacingMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(spacingNanos) - SPACING_TOLERANCE_MS);
        boolean claimed = false;
        try {
            if (!s.prepared) s.prepare(c);
            tracker.lock().lock();
            try {
                s.applySwaps();
            } finally {
                tracker.lock().unlock();
            }
            // Names of keys that died since the last sync (up to 100 ms ago) come out first: under such a name the
            // key may be another client's by now, and a flush must not take it.
            removeDead(c, s);
            while (taken < max) {
                Journal j = s.oldest();
                if (j == null) break;
                int step = dryRun ? max - taken : Math.min(STEP_KEYS, max - taken);
                select(c, j.db);
                List<byte[]> args = List.of(bytes(Integer.toString(step)),
                        bytes(claimed ? "-1" : Long.toString(spacingMs)), bytes(dryRun ? "1" : "0"),
                        bytes(s.cluster ? "1" : "0"));
                Object raw = JournalScripts.FLUSH.run(c, j.key, j.state, args);
                if (raw instanceof RespConnection.RedisError && j.key.length > 0
                        && (raw.toString().startsWith("MOVED") || raw.toString().startsWith("ASK"))) {
                    // The journal's slot went to another node: brought back at the next sync; flushed a period on.
                    refused(s, new Refused(raw.toString()));
                    return Removal.early(0);
                }
                if (raw instanceof RespConnection.RedisError && transientOrTheirs(raw.toString())) {
                    refusal = raw.toString();
                    break;
                }
                List<Object> reply = check(j, raw);
                if ("early".equals(text(reply.get(0)))) {
                    return Removal.early(TimeUnit.MILLISECONDS.toNanos(number(reply.get(1))));
                }
                claimed = true;
                if ("refused".equals(text(reply.get(0)))) {
                    // The server would not remove them (a user without UNLINK): they stay in the journal.
                    refusal = firstLine(text(reply.get(1)));
                    if (refusal.contains("can't run this command")) {
                        // Redis 7 words an ACL refusal inside a script so; say it as Redis says it outside one.
                        refusal = "NOPERM this user may not run UNLINK (" + refusal + ")";
                    }
                    taken += (int) number(reply.get(2));
                    existed += number(reply.get(3));
                    break;
                }
                int got = (int) number(reply.get(1));
                existed += number(reply.get(2));
                if (reply.size() > 8) existed += unlinkHandedBack(link, reply.subList(8, reply.size()));
                String id = text(reply.get(3));
                j.keys = number(reply.get(6));
                taken += got;
                if (j.id != null && !j.id.equals(id)) {
                    replaced(c, s, j, id);
                } else {
                    if (!id.isEmpty()) j.id = id;
                    if (dryRun) j.headAgeMs = number(reply.get(7));
                    else learnHead(s, j, number(reply.get(4)), number(reply.get(7)));
                }
                if (got == 0) j.keys = 0; // nothing there: the next step looks at another journal
                if (dryRun) break;
            }
        } catch (Overwritten e) {
            overwritten(c, s, e);
        } catch (Refused e) {
            refusal = e.getMessage();
            if (!claimed) refused(s, e);
        }
        return Removal.done(taken, existed, before, s.keys(), refusal, refusal != null && taken == 0);
    }

    /** On a cluster node, keys whose slot is served elsewhere now: followed there (MOVED, ASK) as a plain UNLINK. */
    private long unlinkHandedBack(ServerLink link, List<Object> names) throws IOException {
        FlushBatch batch = new FlushBatch(names.size());
        for (Object name : names) batch.add(-1, 0, (byte[]) name);
        return new UnlinkAction().apply(link.connection(), batch, link).removed();
    }

    // ------------------------------------------------------------------ errors

    /** A reply that says the journal cannot be kept on this server, for now or for good. */
    private static class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Someone wrote another type of value under a journal's key. */
    private static final class Overwritten extends Refused {
        final Journal journal;

        Overwritten(Journal journal, String message) {
            super(message);
            this.journal = journal;
        }
    }

    /** The reply as a list; an error reply is thrown, as {@link Overwritten} when a key holds another type. */
    @SuppressWarnings("unchecked")
    private static List<Object> check(Journal j, Object reply) throws Refused {
        if (reply instanceof List) return (List<Object>) reply;
        String error = String.valueOf(reply);
        if (error.startsWith("WRONGTYPE")) throw new Overwritten(j, error);
        throw new Refused(error);
    }

    /** Errors that say nothing of whether the journal can be kept: the server is busy, full, or a replica now. */
    private static boolean transientOrTheirs(String error) {
        return error.startsWith("OOM") || error.startsWith("READONLY") || error.startsWith("LOADING")
                || error.startsWith("BUSY") || error.startsWith("MASTERDOWN") || error.startsWith("TRYAGAIN")
                || error.startsWith("CLUSTERDOWN") || error.startsWith("MOVED") || error.startsWith("ASK");
    }

    /**
     * A refusal: transient ones (a full server, a replica, a moved slot) are said once and tried again later; one
     * that means the journal cannot be kept (no permission, no scripts) makes this server's order local, said once.
     */
    private void refused(Server s, Refused e) {
        String error = e.getMessage();
        if (error.startsWith("MOVED") || error.startsWith("ASK")) {
            // The journal's slot went to another node: this node gets a journal in a slot it serves, and takes the
            // old one back from there (see reclaim).
            UnlinkAction.Redirect to = UnlinkAction.Redirect.parse(firstLine(error));
            if (to != null && s.homeKey != null) {
                s.movedHome = new String[] {s.homeKey, to.host, Integer.toString(to.port)};
                s.movedSlot = ClusterSlots.slot(bytes(s.homeKey));
            }
            s.prepared = false;
            return;
        }
        if (error.startsWith("READONLY")) {
            // A replica now (a failover): the flusher learns it at its next look at the server's role, and follows
            // the data; blobs not appended stay until then.
            Log.debug("{}: the journal is read-only there ({})", s.entry, error);
            return;
        }
        if (transientOrTheirs(error)) {
            if (!error.equals(s.transientSaid)) {
                Log.warn("{}: cannot update the journal for now ({}); trying again", s.entry, error);
                s.transientSaid = error;
            }
            return;
        }
        Log.warn("{}: cannot keep the journal there ({}): the order of this application's keys on that server is "
                + "kept in this JVM only, as with order=local. The journal needs EVALSHA and SCRIPT LOAD, and its "
                + "keys {}*", s.entry, error, key);
        tracker.lock().lock();
        try {
            KeyLog log = s.entry.keys();
            for (Journal j : s.journals.values()) for (Marker m : j.markers) log.freeCursor(m.cursor);
            for (JournalBlob blob : s.inFlight) log.freeCursor(blob.cursor);
            s.inFlight.clear();
            log.journalCursor(-1);
            log.journalListener(null);
        } finally {
            tracker.lock().unlock();
        }
        s.fallback = true;
    }

    /**
     * Another client wrote something else under a journal's key (or its state's): the agent's names are documented as
     * its own, so both are deleted, said once, and the journal starts again with what this JVM still tracks there.
     */
    private void overwritten(RespConnection c, Server s, Overwritten e) throws IOException {
        Journal j = e.journal;
        Log.warn("{}: the journal {} of database {} holds a value of another type ({}); deleting it and starting "
                + "the journal again with the keys this application tracks there", s.entry,
                new String(j.key, StandardCharsets.UTF_8), j.db, firstLine(e.getMessage()));
        try {
            select(c, j.db);
            c.call(bytes("DEL"), j.key, j.state);
            replaced(c, s, j, "", true);
        } catch (Overwritten again) {
            // Written over again at once: left for the next call.
        } catch (Refused r) {
            refused(s, r);
        }
    }

    // ------------------------------------------------------------------ the rest

    /**
     * The journal replicates with the keys: what {@code from} had appended is on {@code to} already. What it had not
     * (the last tenth of a second before the failover, blobs that failed on their way) is appended to {@code to}'s
     * journal now; {@code from}'s local state is dropped.
     */
    @Override
    public void follow(ServerEntry from, ServerEntry to, ServerLink toLink) throws IOException {
        Server fs = servers.remove(from);
        if (fs == null || fs.fallback) {
            local.follow(from, to, toLink);
            return;
        }
        collect(fs);
        List<JournalBlob> blobs;
        tracker.lock().lock();
        try {
            KeyLog log = from.keys();
            blobs = new ArrayList<>(fs.inFlight);
            for (JournalBlob blob : blobs) {
                log.freeCursor(blob.cursor);
                blob.cursor = -1;
            }
            log.resetJournal();
            log.clear();
        } finally {
            tracker.lock().unlock();
        }
        if (blobs.isEmpty()) return;
        Server ts = server(to);
        if (ts.fallback) return;
        RespConnection c = toLink.connection();
        try {
            if (!ts.prepared) ts.prepare(c);
            Map<Integer, List<JournalBlob>> byDb = new TreeMap<>();
            for (JournalBlob blob : blobs) byDb.computeIfAbsent(blob.db, d -> new ArrayList<>()).add(blob);
            for (Map.Entry<Integer, List<JournalBlob>> e : byDb.entrySet()) {
                List<JournalBlob> all = e.getValue();
                for (int i = 0; i < all.size(); i += BLOBS_PER_CALL) {
                    append(c, ts, ts.journal(e.getKey()), all.subList(i, Math.min(all.size(), i + BLOBS_PER_CALL)));
                }
            }
        } catch (Refused r) {
            refused(ts, r);
        }
    }

    /**
     * The keys this JVM tracks there and that are gone are forgotten ({@link RestartSweep}): those not appended yet
     * never reach the journal (the ones on their way are taken out right after), and the journal's own loss is told
     * by its id at the next append.
     */
    @Override
    public void restarted(ServerEntry entry, ServerLink link) throws IOException {
        Server s = servers.get(entry);
        if (s == null || s.fallback) {
            local.restarted(entry, link);
            return;
        }
        RestartSweep.forgetGone(tracker, entry, link.connection());
    }

    @Override
    public boolean ready(ServerEntry entry) {
        Server s = servers.get(entry);
        if (s == null || s.fallback || adopt.isEmpty()) return true;
        if (!s.discovered) return false; // which databases hold keys to take is not known yet
        for (int db : s.dbsWithKeys) {
            Adoption a = s.adoptions.get(db);
            if (a == null || !a.finished()) return false;
        }
        return true;
    }

    @Override
    public long size(ServerEntry entry) {
        Server s = servers.get(entry);
        if (s == null) return 0;
        return s.fallback ? local.size(entry) : s.keys();
    }

    /**
     * The journal's keys as last known, plus the keys this JVM tracks there that go to it: those not appended yet (a
     * fast writer has a tenth of a second's worth, or more while the flusher is busy) are the order's too. Keys both
     * tracked and in the journal are counted twice, at most doubling the figure, which errs towards flushing. Keys
     * with an expiry time never go to the journal (Redis removes them): not counted.
     */
    @Override
    public long held(ServerEntry entry) {
        Server s = servers.get(entry);
        if (s == null || s.fallback) return local.size(entry);
        tracker.lock().lock();
        try {
            KeyLog log = entry.keys();
            return s.keys() + log.size() - log.withExpiry();
        } finally {
            tracker.lock().unlock();
        }
    }

    @Override
    public boolean removes() {
        return !dryRun;
    }

    @Override
    public String describe() {
        return "order=journal (shared with every instance, in Redis under " + key + ")";
    }

    private Server server(ServerEntry entry) {
        Server s = servers.get(entry);
        if (s == null) servers.put(entry, s = new Server(entry));
        return s;
    }

    private static void select(RespConnection c, int db) throws IOException, Refused {
        if (!c.select(db)) throw new Refused("SELECT " + db + " refused");
    }

    private String newId() {
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An error reply without what Redis adds about the script that got it. */
    private static String firstLine(String error) {
        int script = error.indexOf(" script: ");
        return script < 0 ? error : error.substring(0, script);
    }

    private static String text(Object reply) {
        return reply instanceof byte[] ? new String((byte[]) reply, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static long number(Object reply) {
        if (reply instanceof Long) return (Long) reply;
        return reply == null ? 0 : Long.parseLong(text(reply));
    }

    /** A blob of ours in a journal: its seq, and the local log's cursor just after its last key. */
    private static final class Marker {
        final long seq;
        final int cursor;
        /** Keys of the blob that died here, to take out of it; null if none. */
        List<byte[]> removals;

        Marker(long seq, int cursor) {
            this.seq = seq;
            this.cursor = cursor;
        }
    }

    /** One journal on a server, as this JVM knows it. */
    private static final class Journal {
        /** Its database; changed by the application's SWAPDB (see {@link Server#applySwaps}). */
        int db;
        final byte[] key;
        final byte[] state;
        /** The id of the journal this JVM knows; null until it knows one. */
        String id;
        long keys = -1;
        long headAgeMs = -1;
        /** This JVM's blobs in it, oldest first (guarded by the tracker's lock). */
        final List<Marker> markers = new ArrayList<>();
        /** The local log's cursor before which this JVM's keys of the journal's database are forgotten. */
        int forgotCursor = -1;
        /** Since when it looks replaced, perhaps by a SWAPDB not reported yet (see {@link #awaitingSwap}); 0: not. */
        long swapWaitSince;

        Journal(int db, String key) {
            this.db = db;
            this.key = bytes(key);
            this.state = bytes(key + ":state");
        }
    }

    /** What this JVM knows of one server's journals. */
    private final class Server implements KeyLog.JournalListener {
        final ServerEntry entry;
        /**
         * Journals by database (standalone), or by name (cluster node: its home journal and any that moved in). The
         * flusher adds to it; the event thread looks in it (a key that died), hence concurrent.
         */
        final Map<Object, Journal> journals = new java.util.concurrent.ConcurrentHashMap<>();
        /** Blobs made from the log and not appended yet, oldest first (guarded by the tracker's lock). */
        final List<JournalBlob> inFlight = new ArrayList<>();
        /** The buffer blobs are built in, lent to one open blob at a time (null while lent). */
        private byte[] scratch = new byte[JournalBlob.MAX_BYTES + 1024];
        private JournalBlob scratchUser;
        /**
         * The application's SWAPDBs that the journals and the blobs in flight do not know yet, oldest first (guarded
         * by the tracker's lock): the log's keys have their new databases, the journals (keyed by database) and the
         * blobs in flight the old ones, until the flusher applies them.
         */
        final List<int[]> swaps = new ArrayList<>();
        int appendCursor = -1;
        boolean prepared;
        boolean cluster;
        /** The journal this JVM appends to on a cluster node. */
        String homeKey;
        /** The home journal that went to another node with its slot, and that node's host and port, to bring back. */
        String[] movedHome;
        /** The slot that home journal was in; -1 if none moved. */
        int movedSlot = -1;
        /** Databases that held keys when last looked at (discovery), for adoption. */
        final java.util.Set<Integer> dbsWithKeys = new java.util.TreeSet<>();
        final Map<Integer, Adoption> adoptions = new java.util.HashMap<>();
        boolean discovered;
        boolean fallback;
        String transientSaid;
        long nextDiscovery = System.nanoTime();
        long nextHeadCheck = System.nanoTime();

        Server(ServerEntry entry) {
            this.entry = entry;
        }

        /** Learns whether the server is a cluster node, and if so the name of its home journal. */
        void prepare(RespConnection c) throws IOException, Refused {
            cluster = c.clusterEnabled();
            if (cluster) {
                java.util.BitSet owned = ClusterSlots.ownedSlots(c);
                if (movedSlot >= 0) owned.clear(movedSlot); // gone, even if this node has not heard yet
                int slot = owned.nextSetBit(0);
                if (slot < 0) throw new Refused("READONLY this cluster node serves no slot");
                String name = key + ":{" + ClusterSlots.tagFor(slot) + "}";
                if (!name.equals(homeKey)) {
                    // The old one is another node's now (reclaim brings its keys back here).
                    Journal old = homeKey == null ? null : journals.remove(homeKey);
                    if (old != null) dropMarkers(old);
                    homeKey = name;
                    journals.computeIfAbsent(homeKey, k -> new Journal(0, name));
                }
            }
            prepared = true;
        }

        private void dropMarkers(Journal j) {
            tracker.lock().lock();
            try {
                for (Marker m : j.markers) entry.keys().freeCursor(m.cursor);
                j.markers.clear();
            } finally {
                tracker.lock().unlock();
            }
        }

        /** The journal this JVM appends the keys of a database to (there is one database on a cluster node). */
        Journal journal(int db) {
            Object id = cluster ? homeKey : (Object) db;
            Journal j = journals.get(id);
            if (j == null) journals.put(id, j = new Journal(cluster ? 0 : db, cluster ? homeKey : key));
            return j;
        }

        /**
         * A journaled key died here (event thread, under the lock): noted against its blob, to be taken out at the
         * next sync. Its blob is the first of its database whose end is past the key's place in the log.
         */
        @Override
        public void died(int db, byte[] name, long position) {
            KeyLog log = entry.keys();
            db = journalDb(db);
            Object id = cluster ? homeKey : (Object) db;
            Journal j = id == null ? null : journals.get(id);
            if (j != null) {
                List<Marker> markers = j.markers;
                int lo = 0;
                int hi = markers.size();
                while (lo < hi) { // the first marker whose cursor is past the key
                    int mid = (lo + hi) >>> 1;
                    if (log.cursorPosition(markers.get(mid).cursor) > position) hi = mid;
                    else lo = mid + 1;
                }
                if (lo < markers.size()) {
                    Marker m = markers.get(lo);
                    if (m.removals == null) m.removals = new ArrayList<>();
                    m.removals.add(JournalBlob.encode(name));
                    return;
                }
            }
            for (JournalBlob blob : inFlight) {
                if (blob.db == db && log.cursorPosition(blob.cursor) > position) {
                    if (blob.removals == null) blob.removals = new ArrayList<>();
                    blob.removals.add(JournalBlob.encode(name));
                    return;
                }
            }
        }

        /**
         * The application flushed a database (event thread, under the lock): the keys of the blobs not appended yet
         * are gone with it. A blob may be on its way to a journal made after the flush: its keys are taken out once it
         * is in, as those of any blob whose keys died on the way.
         */
        @Override
        public void flushed(int db) {
            int journalDb = db < 0 ? db : journalDb(db);
            for (JournalBlob blob : inFlight) if (db < 0 || blob.db == journalDb) blob.removeAll();
        }

        /**
         * The application swapped two databases (event thread, under the lock): their journals went with their keys.
         * A cluster has one database.
         */
        @Override
        public void swapped(int a, int b) {
            if (!cluster) swaps.add(new int[] {a, b});
        }

        /** The database of the journal (and of blobs in flight) that knows the keys now in database {@code db}. */
        int journalDb(int db) {
            for (int i = swaps.size() - 1; i >= 0; i--) db = swapped(swaps.get(i), db);
            return db;
        }

        /** The database the keys of the journal of database {@code db} are in now. */
        int recordDb(int db) {
            for (int[] swap : swaps) db = swapped(swap, db);
            return db;
        }

        private int swapped(int[] swap, int db) {
            return db == swap[0] ? swap[1] : db == swap[1] ? swap[0] : db;
        }

        /** Moves the journals and the blobs in flight where the application's SWAPDBs took them (flusher, locked). */
        void applySwaps() {
            for (int[] swap : swaps) {
                Journal a = journals.remove(swap[0]);
                Journal b = journals.remove(swap[1]);
                if (a != null) {
                    a.db = swap[1];
                    journals.put(swap[1], a);
                }
                if (b != null) {
                    b.db = swap[0];
                    journals.put(swap[0], b);
                }
                for (JournalBlob blob : inFlight) blob.db = swapped(swap, blob.db);
            }
            swaps.clear();
        }

        /** A new blob of the log's keys, built in the scratch buffer if no other open blob has it. */
        JournalBlob openBlob(int db) {
            if (scratchUser != null) return new JournalBlob(db);
            scratchUser = new JournalBlob(db, scratch);
            scratch = null;
            return scratchUser;
        }

        /** A blob of the log's keys is complete: it goes in flight, and gives back the scratch buffer if it had it. */
        void closeBlob(JournalBlob blob) {
            byte[] buffer = blob.close();
            if (blob == scratchUser) {
                scratch = buffer;
                scratchUser = null;
            }
            inFlight.add(blob);
        }

        /** Finds journals written by other instances (or earlier runs) in databases this JVM has not written. */
        void discover(RespConnection c) throws IOException, Refused {
            discovered = true;
            if (cluster) {
                dbsWithKeys.add(0);
                for (String name : ClusterSlots.keysOnNode(c, key, ":state")) {
                    journals.computeIfAbsent(name, k -> new Journal(0, name));
                }
                return;
            }
            for (int db : c.keyspace().keySet()) {
                if (db > KeyLog.MAX_DB) continue;
                dbsWithKeys.add(db);
                if (journals.containsKey(db)) continue;
                Journal j = new Journal(db, key);
                select(c, db);
                List<Object> reply = check(j, JournalScripts.HEAD.run(c, j.key, j.state, List.of()));
                if (text(reply.get(0)).isEmpty()) continue;
                journals.put(db, j);
                j.keys = number(reply.get(3));
                j.headAgeMs = number(reply.get(4));
            }
        }

        /** The journal whose oldest key is the oldest, among those that may have keys; null if none has any. */
        Journal oldest() {
            Journal best = null;
            for (Journal j : journals.values()) {
                if (j.keys == 0) continue;
                if (best == null || j.headAgeMs > best.headAgeMs) best = j;
            }
            return best;
        }

        long keys() {
            long n = 0;
            for (Journal j : journals.values()) n += Math.max(0, j.keys);
            return n;
        }
    }
}
