package io.gcsflush.order;

import io.gcsflush.Log;
import io.gcsflush.redis.RespConnection;
import io.gcsflush.track.KeyFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code adopt=<patterns>}: the keys that were in a database before the agent (of an earlier run without it, of
 * another application) and match the patterns are taken into its journal, before anything newer, so that they are
 * removed first rather than never. Done once per journal, by one instance (claimed in the journal's state), in steps
 * that each cost the server a millisecond or two: a {@code SCAN} of a thousand keys, then their {@code PTTL} and
 * {@code OBJECT IDLETIME}, pipelined. Keys with an expiry time are left to Redis, as the journal leaves them. Once the
 * scan is done the keys are sorted by idle time, the most idle first (the closest to creation order Redis keeps:
 * idle time is since the last access, reads included), and put at the head of the journal. Under an LFU
 * {@code maxmemory-policy} Redis keeps no idle time: the keys then go in the order the scan found them.
 */
final class Adoption {
    /** Keys a SCAN step asks for. */
    private static final int SCAN_COUNT = 1000;
    /** An instance that claimed the adoption and said nothing for this long is taken to be gone. */
    private static final long STALE_MS = TimeUnit.MINUTES.toMillis(2);

    /** Puts blobs at the head of a database's journal, oldest first; knows what this JVM tracks. */
    interface Head {
        void prepend(int db, List<JournalBlob> blobs) throws IOException;

        /** Whether this JVM's application wrote the key: it is in the journal already. */
        boolean tracked(int db, byte[] key);
    }

    private final int db;
    private final String patterns;
    private final KeyFilter adopt;
    private final KeyFilter allowed;
    private final byte[] journalPrefix;
    private final byte[] journal;
    private final byte[] state;
    private final long max;
    private final String token;
    private final byte[] match;
    private final long minIdleSeconds;
    private String cursor = "0";
    private boolean claimed;
    private boolean finished;
    private boolean lfu;
    private long[] idle = new long[1024];
    private final List<byte[]> keys = new ArrayList<>();
    private long scanned;

    /**
     * @param patterns the {@code adopt} setting as given, which the journal's state records
     * @param allowed what may enter the order at all ({@code include}, {@code exclude})
     * @param journalPrefix the agent's own keys start so: never taken
     * @param max the most keys taken (the JVM holds them while it sorts them)
     * @param minIdleSeconds keys idle for less are not taken: touched since the oldest key of the journal was
     *        written, they are likely in it already (written by another instance)
     */
    Adoption(int db, String patterns, KeyFilter adopt, KeyFilter allowed, String journalPrefix, byte[] journal,
            byte[] state, long max, String token, long minIdleSeconds) {
        this.minIdleSeconds = minIdleSeconds;
        this.db = db;
        this.patterns = patterns;
        this.adopt = adopt;
        this.allowed = allowed;
        this.journalPrefix = journalPrefix.getBytes(StandardCharsets.UTF_8);
        this.journal = journal;
        this.state = state;
        this.max = max;
        this.token = token;
        String single = adopt.singlePattern(db);
        this.match = (single == null ? "*" : single).getBytes(StandardCharsets.UTF_8);
    }

    boolean finished() {
        return finished;
    }

    /**
     * One step, a few milliseconds of the server's time at most. The connection is in the database already.
     *
     * @return whether there is more to do
     */
    boolean step(RespConnection c, Head head) throws IOException {
        if (finished) return false;
        String claim = claim(c, claimed ? "refresh" : "claim");
        if (!claim.equals("yours")) {
            finished = true; // done already, or another instance does it
            return false;
        }
        if (!claimed) {
            claimed = true;
            Log.info("{}: taking the keys already in database {} that match adopt={} into the journal; flushing "
                    + "waits until they are in", c.address(), db, patterns);
        }
        Object reply = c.call(bytes("SCAN"), bytes(cursor), bytes("MATCH"), match, bytes("COUNT"),
                bytes(Integer.toString(SCAN_COUNT)));
        if (!(reply instanceof List)) return giveUp("SCAN: " + reply);
        List<?> parts = (List<?>) reply;
        cursor = new String((byte[]) parts.get(0), StandardCharsets.US_ASCII);
        List<byte[]> found = new ArrayList<>();
        for (Object name : (List<?>) parts.get(1)) {
            byte[] key = (byte[]) name;
            if (!startsWith(key, journalPrefix) && adopt.accepts(db, key) && allowed.accepts(db, key)) found.add(key);
        }
        scanned += found.size();
        for (byte[] key : found) {
            c.write(bytes("PTTL"), key);
            c.write(bytes("OBJECT"), bytes("IDLETIME"), key);
        }
        c.flush();
        for (byte[] key : found) {
            Object ttl = c.read();
            Object idleTime = c.read();
            if (!(ttl instanceof Long) || (Long) ttl != -1) continue; // gone since, or expiring: Redis's to remove
            if (head.tracked(db, key)) continue; // written by this JVM's application: in the journal
            if (idleTime instanceof Long) {
                if ((Long) idleTime < minIdleSeconds) continue;
                add(key, (Long) idleTime);
            } else {
                lfu = true; // "An LFU maxmemory policy is selected, idle time not tracked"
                add(key, 0);
            }
        }
        if (keys.size() >= max) {
            Log.warn("{}: adopt={} matches more than {} keys in database {}: taking the first {} found into the "
                    + "journal, the others stay out of the order", c.address(), patterns, max, db, max);
            cursor = "0";
        }
        if (!cursor.equals("0")) return true;
        putAtHead(c, head);
        return false;
    }

    private void add(byte[] key, long idleSeconds) {
        if (keys.size() == idle.length) idle = Arrays.copyOf(idle, idle.length * 2);
        idle[keys.size()] = idleSeconds;
        keys.add(key);
    }

    /** The keys, the most idle first, into blobs at the head of the journal. */
    private void putAtHead(RespConnection c, Head head) throws IOException {
        Integer[] order = new Integer[keys.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        // Stable: equal idle times (a second's resolution) keep the order the scan found them in.
        Arrays.sort(order, (a, b) -> Long.compare(idle[b], idle[a]));
        List<JournalBlob> blobs = new ArrayList<>();
        JournalBlob blob = null;
        for (Integer i : order) {
            if (blob == null) blob = new JournalBlob(db);
            byte[] key = keys.get(i);
            blob.add(key, 0, key.length);
            if (blob.full()) {
                blobs.add(blob);
                blob = null;
            }
        }
        if (blob != null) blobs.add(blob);
        if (!blobs.isEmpty()) head.prepend(db, blobs);
        claim(c, "done");
        finished = true;
        Log.info("{}: took {} of the {} keys matching adopt={} in database {} into the journal, {}", c.address(),
                keys.size(), scanned, patterns, db, keys.isEmpty() ? "none without an expiry time"
                        : lfu ? "in the order the scan found them (an LFU maxmemory-policy keeps no idle time)"
                        : "the most idle first (idle " + idle[order[0]] + " s to " + idle[order[order.length - 1]]
                                + " s)");
        keys.clear();
        idle = new long[0];
    }

    private String claim(RespConnection c, String mode) throws IOException {
        Object reply = JournalScripts.ADOPT.run(c, journal, state, List.of(bytes(mode), bytes(token),
                bytes(patterns), bytes(Long.toString(STALE_MS))));
        if (reply instanceof byte[]) return new String((byte[]) reply, StandardCharsets.UTF_8);
        if (reply instanceof String) return (String) reply;
        giveUp("the journal's state: " + reply);
        return "";
    }

    private boolean giveUp(String why) {
        Log.warn("cannot take the keys already in database {} into the journal ({}); they stay out of the order",
                db, why);
        finished = true;
        return false;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
