package io.gcsflush.it.apps;

import io.gcsflush.it.apps.FuzzCommand.Err;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What the fuzz application knows, from each command and the reply the server gave it, about the keys whose state
 * in the agent may legitimately differ from the server's, because README documents the agent's knowledge of them as
 * partial. The test compares the agent's tracked keys with the server's keys exactly, except for keys marked here:
 *
 * <ul>
 *   <li>{@link #UNTRACKED}: the key may exist and not be tracked. A conditional call of a script (README, Scripts:
 *       "a call that may not run never starts tracking a key", "its deletions apply"), and what is renamed, moved or
 *       copied from such a key.
 *   <li>{@link #EMPTIED}: the key may be tracked and be gone: a command removed elements of it, and Redis deletes a
 *       container with its last element (README, Limits: "stay tracked until flushed").
 *   <li>{@link #ANY}: anything: a script that failed half-way (what ran before the error stays done, and the agent
 *       applies nothing of a command answered with an error), a conditional SET of a script (the agent adds to the
 *       key if it tracks it, keeping its expiry time, and never starts tracking it); a write
 *       that keeps the expiry time (APPEND, HSET, SET KEEPTTL...) within {@link #EXPIRY_WINDOW_MS} of the key's
 *       expiry: if Redis expired the key just before, the write made a new one, without an expiry time, while the
 *       agent keeps the old one for its allowance of clock differences and then forgets the key (README, Limits).
 * </ul>
 *
 * A write the agent always follows (SET, HSET, a STORE...) or a deletion makes the key's state certain again.
 */
public final class FuzzModel {
    public static final int UNTRACKED = 1;
    public static final int EMPTIED = 2;
    public static final int ANY = 4;

    /**
     * Around a key's expiry time, from a little before (the command reaches Redis a little after it is sent) to after
     * the agent forgets it (the expiry rounded up to the second, its 2 s allowance, its once-a-second look).
     */
    static final long EXPIRY_WINDOW_MS = 6_000;

    @SuppressWarnings("unchecked")
    private Map<Key, Integer>[] marks = new Map[FuzzKeys.DBS];
    /** Expiry times the application set, epoch ms, for the writes around them. */
    @SuppressWarnings("unchecked")
    private Map<Key, Long>[] expiries = new Map[FuzzKeys.DBS];

    public FuzzModel() {
        for (int i = 0; i < marks.length; i++) marks[i] = new HashMap<>();
        for (int i = 0; i < expiries.length; i++) expiries[i] = new HashMap<>();
    }

    /** A command the server executed (or refused, with an {@link Err}) on a connection in database {@code db}. */
    public void apply(int db, FuzzCommand c, Object reply) {
        if (reply instanceof Err) {
            if (c.name.equals("EVAL")) for (int i = 2; i < c.args.length; i++) if (c.isKey(i)) mark(db, c.args[i], ANY);
            return;
        }
        byte[][] a = c.args;
        switch (c.name) {
            case "SET" -> {
                boolean nx = c.has("NX");
                boolean xx = c.has("XX");
                boolean get = c.has("GET");
                boolean set = !nx && !xx || (get ? (nx ? reply == null : reply != null) : reply != null);
                if (!set) return;
                int pxat = c.indexOf("PXAT");
                if (pxat >= 0 && Long.parseLong(c.arg(pxat + 1)) <= System.currentTimeMillis()) {
                    deleted(db, a[0]);
                } else {
                    certain(db, a[0], !c.has("KEEPTTL"));
                    expiresAt(db, a[0], expiryOption(c, 2));
                }
            }
            case "SETNX", "HSETNX" -> {
                if (isOne(reply)) certain(db, a[0], c.name.equals("SETNX"));
            }
            case "MSETNX" -> {
                if (isOne(reply)) for (int i = 0; i < a.length; i += 2) certain(db, a[i], true);
            }
            case "SETEX", "PSETEX" -> {
                certain(db, a[0], true);
                long t = Long.parseLong(c.arg(1));
                expiresAt(db, a[0], System.currentTimeMillis() + (c.name.equals("SETEX") ? t * 1000 : t));
            }
            case "GETSET", "MSET" -> {
                if (c.name.equals("GETSET")) certain(db, a[0], true);
                else for (int i = 0; i < a.length; i += 2) certain(db, a[i], true);
            }
            case "APPEND", "INCR", "DECR", "INCRBY", "DECRBY", "INCRBYFLOAT", "SETBIT",
                 "HSET", "HMSET", "HINCRBY", "HINCRBYFLOAT", "LPUSH", "RPUSH", "SADD", "ZINCRBY", "PFADD" ->
                    certain(db, a[0]);
            case "SETRANGE" -> {
                // An empty value creates nothing (and changes nothing).
                if (a[2].length > 0) certain(db, a[0]);
            }
            case "BITFIELD" -> {
                if (c.has("SET") || c.has("INCRBY")) certain(db, a[0]);
            }
            case "ZADD", "GEOADD" -> {
                // XX never creates; a ZADD INCR refused by its condition (nil) changed nothing.
                if (!c.has("XX") && reply != null) certain(db, a[0]);
            }
            case "XADD" -> {
                if (reply != null) certain(db, a[0]);
            }
            case "XGROUP" -> {
                if (c.has("MKSTREAM")) certain(db, a[1]);
            }
            case "LPOP", "RPOP", "LREM", "LTRIM", "SREM", "SPOP", "HDEL", "ZREM", "ZPOPMIN", "ZPOPMAX",
                 "ZREMRANGEBYRANK", "ZREMRANGEBYSCORE" -> mark(db, a[0], EMPTIED);
            case "LMOVE", "RPOPLPUSH", "BLMOVE", "BRPOPLPUSH" -> {
                if (reply != null) {
                    mark(db, a[0], EMPTIED);
                    certain(db, a[1]);
                }
            }
            case "SMOVE" -> {
                if (isOne(reply)) {
                    mark(db, a[0], EMPTIED);
                    certain(db, a[1]);
                }
            }
            case "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE",
                 "ZRANGESTORE", "GEOSEARCHSTORE" -> stored(db, a[0], reply);
            case "BITOP" -> stored(db, a[1], reply);
            case "GEORADIUS", "SORT" -> stored(db, a[c.indexOf("STORE") + 1], reply);
            case "PFMERGE" -> certain(db, a[0]);
            case "DEL", "UNLINK", "GETDEL" -> {
                for (byte[] k : a) deleted(db, k);
            }
            case "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT" -> {
                if (!isOne(reply)) return;
                long t = Long.parseLong(c.arg(1));
                if (inPast(c.name, t)) deleted(db, a[0]);
                else expiresAt(db, a[0], switch (c.name) {
                    case "EXPIRE" -> System.currentTimeMillis() + t * 1000;
                    case "PEXPIRE" -> System.currentTimeMillis() + t;
                    case "EXPIREAT" -> t * 1000;
                    default -> t;
                });
            }
            case "GETEX" -> {
                int pxat = c.indexOf("PXAT");
                if (reply != null && pxat >= 0 && Long.parseLong(c.arg(pxat + 1)) <= System.currentTimeMillis()) {
                    deleted(db, a[0]);
                } else if (reply != null) {
                    expiresAt(db, a[0], expiryOption(c, 1));
                }
            }
            case "RENAME", "RENAMENX" -> {
                if (c.name.equals("RENAME") || isOne(reply)) moved(db, a[0], db, a[1]);
            }
            case "MOVE" -> {
                if (isOne(reply)) moved(db, a[0], Integer.parseInt(c.arg(1)), a[0]);
            }
            case "COPY" -> {
                if (!isOne(reply)) return;
                int to = c.indexOf("DB") >= 0 ? Integer.parseInt(c.arg(c.indexOf("DB") + 1)) : db;
                // A copy of a key the agent may not know is tracked without its expiry time.
                int from = marks(db).getOrDefault(new Key(a[0]), 0);
                set(to, a[1], (from & (UNTRACKED | ANY)) != 0 ? ANY : 0);
                Long e = expiries[db].get(new Key(a[0]));
                if (e == null) expiries[to].remove(new Key(a[1]));
                else expiries[to].put(new Key(a[1]), e);
            }
            case "FLUSHDB" -> {
                marks[db].clear();
                expiries[db].clear();
            }
            case "SWAPDB" -> {
                int x = Integer.parseInt(c.arg(0));
                int y = Integer.parseInt(c.arg(1));
                Map<Key, Integer> t = marks[x];
                marks[x] = marks[y];
                marks[y] = t;
                Map<Key, Long> e = expiries[x];
                expiries[x] = expiries[y];
                expiries[y] = e;
            }
            case "EVAL" -> script(db, c, reply);
            default -> {
                // reads, SELECT (the caller's), PERSIST, XTRIM, refused writes
            }
        }
    }

    /** What each script of {@link FuzzCommands#SCRIPTS} did, from its arguments and its reply. */
    private void script(int db, FuzzCommand c, Object reply) {
        byte[] k1 = c.args[2];
        byte[] k2 = c.args.length > 3 && c.isKey(3) ? c.args[3] : null;
        switch (c.script) {
            case 0 -> certain(db, k1, true);
            case 1 -> {
                deleted(db, k1);
                certain(db, k2);
            }
            case 2 -> {
                // INCR, only if the key exists: it changes nothing the agent knows.
            }
            case 3 -> {
                if (isOne(reply)) mark(db, k1, UNTRACKED); // a conditional HSET: tracked only if it was
            }
            case 4 -> {
                if (c.arg(4).equals("1")) deleted(db, k1);
                else mark(db, k1, UNTRACKED); // the agent applies a conditional DEL: it forgets the key
                certain(db, k2);
            }
            case 5 -> {
                if (isOne(reply)) mark(db, k2, ANY); // a conditional SET: the agent keeps its expiry time
            }
            case 6 -> {
                // reads and publishes: nothing written
            }
            case 7 -> {
                // KEYS[i], i a variable: to the agent, a conditional SET of each declared key (README, Scripts), which
                // adds to a key it tracks (keeping its expiry time, which SET cleared) and never starts tracking one.
                mark(db, (Long) reply == 1 ? k1 : k2, ANY);
            }
            case 8 -> {
                long t = Long.parseLong(c.arg(4));
                if (t <= 0) deleted(db, k1);
                else expiresAt(db, k1, System.currentTimeMillis() + t * 1000);
                certain(db, k2);
            }
            default -> throw new IllegalArgumentException("script " + c.script);
        }
    }

    private static boolean isOne(Object reply) {
        return reply instanceof Long && (Long) reply == 1;
    }

    private static boolean inPast(String command, long t) {
        long now = System.currentTimeMillis();
        return switch (command) {
            case "EXPIRE" -> t <= 0;
            case "PEXPIRE" -> t <= 0;
            case "EXPIREAT" -> t * 1000 <= now;
            default -> t <= now;
        };
    }

    private void stored(int db, byte[] dest, Object reply) {
        if (reply instanceof Long && (Long) reply == 0) deleted(db, dest);
        else certain(db, dest, true);
    }

    /** The key exists and the agent tracks it, with the server's expiry time, unless it may have just expired. */
    private void certain(int db, byte[] key) {
        certain(db, key, false);
    }

    /** @param replaced whether the write set or cleared the expiry time (SET, MSET...) */
    private void certain(int db, byte[] key, boolean replaced) {
        Key k = new Key(key);
        Long e = expiries[db].get(k);
        long now = System.currentTimeMillis();
        if (!replaced && e != null && now >= e - 500 && now <= e + EXPIRY_WINDOW_MS) {
            mark(db, key, ANY);
            return;
        }
        if (!replaced && marks(db).containsKey(k)) {
            // A write that keeps the expiry time keeps the agent's too, which it may not know (or still have, from
            // before a deletion it did not see): only a write that replaces the value, or a deletion, makes it certain.
            marks(db).put(k, ANY);
            return;
        }
        if (replaced || e != null && now > e + EXPIRY_WINDOW_MS) expiries[db].remove(k);
        marks(db).remove(k);
    }

    /** The key is gone, and the agent forgot it. */
    private void deleted(int db, byte[] key) {
        marks(db).remove(new Key(key));
        expiries[db].remove(new Key(key));
    }

    private void expiresAt(int db, byte[] key, long epochMillis) {
        if (epochMillis > 0) expiries[db].put(new Key(key), epochMillis);
    }

    /** The time an EX, PX, EXAT or PXAT option from argument {@code from} on sets, or 0 if none. */
    private static long expiryOption(FuzzCommand c, int from) {
        long now = System.currentTimeMillis();
        for (int i = from; i + 1 < c.args.length; i++) {
            String o = c.arg(i).toUpperCase(java.util.Locale.ROOT);
            long t;
            try {
                t = Long.parseLong(c.arg(i + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            switch (o) {
                case "EX": return now + t * 1000;
                case "PX": return now + t;
                case "EXAT": return t * 1000;
                case "PXAT": return t;
                default: break;
            }
        }
        return 0;
    }

    private void moved(int fromDb, byte[] from, int toDb, byte[] to) {
        Long e = expiries[fromDb].remove(new Key(from));
        if (e == null) expiries[toDb].remove(new Key(to));
        else expiries[toDb].put(new Key(to), e);
        Integer m = marks(fromDb).remove(new Key(from));
        // It exists under its new name: not emptied; what the agent may not know of it goes along.
        set(toDb, to, m == null ? 0 : m & (UNTRACKED | ANY));
    }

    private void mark(int db, byte[] key, int mark) {
        marks(db).merge(new Key(key), mark, (x, y) -> x | y);
    }

    private void set(int db, byte[] key, int mark) {
        if (mark == 0) marks(db).remove(new Key(key));
        else marks(db).put(new Key(key), mark);
    }

    private Map<Key, Integer> marks(int db) {
        return marks[db];
    }

    /** Writes the marks, {@code MARKS DB KEY_IN_HEX} a line, to a file (written aside, then renamed). */
    public void write(Path file) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.US_ASCII)) {
            for (int db = 0; db < marks.length; db++) {
                for (Map.Entry<Key, Integer> e : marks[db].entrySet()) {
                    w.write(e.getValue() + " " + db + " " + FuzzKeys.hex(e.getKey().bytes) + "\n");
                }
            }
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A key, by content. */
    public record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return FuzzKeys.show(bytes);
        }
    }
}
