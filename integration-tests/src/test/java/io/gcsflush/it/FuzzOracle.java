package io.gcsflush.it;

import io.gcsflush.it.apps.FuzzKeys;
import io.gcsflush.it.apps.FuzzModel;
import io.gcsflush.it.apps.FuzzModel.Key;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Compares, at a moment when the fuzz application is paused, three things that must agree: the keys the agent tracks
 * (its debug dump, see DEVELOPERS.md), the keys the server holds, and the journal in the server (read as README, The
 * journal, describes it). Differences the application's notes ({@link FuzzModel}) explain are allowed; so are those
 * README documents for keys with an expiry time.
 *
 * <ol>
 *   <li>A tracked key exists, unless its expiry time has passed (Redis removed it), or the application notes it may
 *       have been emptied ({@link FuzzModel#EMPTIED}).
 *   <li>A key of the application's in the server is tracked, unless it has an expiry time (the agent may have
 *       forgotten it a little early: Redis removes it anyway), or the application notes that the agent may not know
 *       it ({@link FuzzModel#UNTRACKED}).
 *   <li>A key both tracked and in the server has an expiry time in the agent if and only if it has one in the server,
 *       and about the same.
 *   <li>The journal of each database names each key once; it names exactly the keys the agent tracks there as
 *       journaled; every tracked key without an expiry time is journaled (one given an expiry time after it was
 *       appended stays until it expires: README, The journal); the journal's state counts its keys.
 *   <li>None of the test's own keys is tracked.
 * </ol>
 */
final class FuzzOracle {
    static final byte[] JOURNAL = "gcs-flush:journal".getBytes(StandardCharsets.UTF_8);
    static final byte[] STATE = "gcs-flush:journal:state".getBytes(StandardCharsets.UTF_8);

    /** The agent's debug dump. */
    record Dump(long time, long applied, long dropped, long errors, long pending, Map<Key, long[]>[] keys) {
        int size() {
            return Arrays.stream(keys).mapToInt(Map::size).sum();
        }
    }

    /** What the server holds: each key's PTTL, per database; each journal's names, and its state's count. */
    record ServerState(long time, Map<Key, Long>[] keys, List<Key>[] journal, long[] journalCount,
                       List<String> problems, Map<Key, String>[] blobOf) {
    }

    private FuzzOracle() {
    }

    /** Asks the agent for its dump ({@code FILE.request}) and reads it once written. */
    @SuppressWarnings("unchecked")
    static Dump dump(Path file, Duration timeout) {
        Path request = file.resolveSibling(file.getFileName() + ".request");
        try {
            Files.deleteIfExists(file);
            Files.writeString(request, "");
            long deadline = System.nanoTime() + timeout.toNanos();
            while (Files.exists(request) || !Files.exists(file)) {
                if (System.nanoTime() > deadline) throw new AssertionError("the agent wrote no dump to " + file);
                Thread.sleep(20);
            }
            Map<Key, long[]>[] keys = new Map[FuzzKeys.DBS];
            for (int i = 0; i < keys.length; i++) keys[i] = new LinkedHashMap<>();
            Map<String, Long> header = new HashMap<>();
            boolean ended = false;
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "key" -> {
                        int db = Integer.parseInt(f[1]);
                        if (db >= FuzzKeys.DBS) throw new AssertionError("tracked in database " + db + ": " + line);
                        Key key = new Key(f.length > 5 ? FuzzKeys.unhex(f[5]) : new byte[0]);
                        long[] v = {Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])};
                        if (keys[db].put(key, v) != null) {
                            throw new AssertionError("tracked twice: db " + db + " " + key);
                        }
                    }
                    case "end" -> ended = true;
                    case "server", "gcs-flush-dump" -> {
                        // one server only
                    }
                    default -> header.put(f[0], Long.parseLong(f[1]));
                }
            }
            if (!ended) throw new AssertionError("truncated dump " + file);
            return new Dump(header.get("time"), header.get("applied"), header.get("dropped"), header.get("errors"),
                    header.get("pending"), keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The application's notes, per database: {@code MARKS DB HEX} lines. */
    @SuppressWarnings("unchecked")
    static Map<Key, Integer>[] marks(Path file) {
        Map<Key, Integer>[] marks = new Map[FuzzKeys.DBS];
        for (int i = 0; i < marks.length; i++) marks[i] = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.split(" ");
                marks[Integer.parseInt(f[1])].put(new Key(FuzzKeys.unhex(f.length > 2 ? f[2] : "")),
                        Integer.parseInt(f[0]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return marks;
    }

    /** Every key of databases 0-3 with its PTTL, and each database's journal. */
    @SuppressWarnings("unchecked")
    static ServerState server(RedisServer redis) {
        Map<Key, Long>[] keys = new Map[FuzzKeys.DBS];
        List<Key>[] journal = new List[FuzzKeys.DBS];
        Map<Key, String>[] blobOf = new Map[FuzzKeys.DBS];
        long[] count = new long[FuzzKeys.DBS];
        List<String> problems = new ArrayList<>();
        long time;
        try (Jedis jedis = redis.jedis()) {
            time = System.currentTimeMillis();
            for (int db = 0; db < FuzzKeys.DBS; db++) {
                jedis.select(db);
                List<byte[]> names = new ArrayList<>();
                byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
                do {
                    ScanResult<byte[]> page = jedis.scan(cursor, new ScanParams().count(1000));
                    names.addAll(page.getResult());
                    cursor = page.getCursorAsBytes();
                } while (!Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
                Pipeline p = jedis.pipelined();
                List<Response<Long>> ttls = new ArrayList<>();
                for (byte[] name : names) ttls.add(p.pttl(name));
                p.sync();
                keys[db] = new HashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    if (Arrays.equals(names.get(i), JOURNAL) || Arrays.equals(names.get(i), STATE)) continue;
                    long ttl = ttls.get(i).get();
                    if (ttl == -2) continue; // expired since the scan
                    keys[db].put(new Key(names.get(i)), ttl);
                }
                journal[db] = new ArrayList<>();
                blobOf[db] = new HashMap<>();
                String type = jedis.type(JOURNAL);
                if (type.equals("list")) {
                    List<byte[]> blobs = jedis.lrange(JOURNAL, 0, -1);
                    for (int i = 0; i < blobs.size(); i++) {
                        int before = journal[db].size();
                        String header = readBlob(db, blobs.get(i), journal[db], problems);
                        for (Key k : journal[db].subList(before, journal[db].size())) {
                            blobOf[db].put(k, "blob " + i + " of " + blobs.size() + " '" + header + "'");
                        }
                    }
                } else if (!type.equals("none")) {
                    problems.add("db " + db + ": the journal is a " + type);
                }
                byte[] state = jedis.hget(STATE, "keys".getBytes(StandardCharsets.US_ASCII));
                count[db] = state == null ? 0 : Long.parseLong(new String(state, StandardCharsets.US_ASCII));
            }
        }
        return new ServerState(time, keys, journal, count, problems, blobOf);
    }

    /** A blob: {@code gcs-flush/1 <seq> <ms> <count>}, then a key a line; {@code \} and hex for odd keys. */
    private static String readBlob(int db, byte[] blob, List<Key> into, List<String> problems) {
        List<byte[]> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= blob.length; i++) {
            if (i == blob.length || blob[i] == '\n') {
                lines.add(Arrays.copyOfRange(blob, from, i));
                from = i + 1;
            }
        }
        String[] header = new String(lines.get(0), StandardCharsets.US_ASCII).split(" ");
        if (header.length != 4 || !header[0].equals("gcs-flush/1")) {
            problems.add("db " + db + ": a journal blob without a header: " + FuzzKeys.show(lines.get(0)));
            return "?";
        }
        int count = Integer.parseInt(header[3]);
        if (count != lines.size() - 1) {
            problems.add("db " + db + ": blob " + header[1] + " says " + count + " keys and holds " + (lines.size() - 1));
        }
        for (byte[] line : lines.subList(1, lines.size())) {
            if (line.length > 0 && line[0] == '\\') {
                into.add(new Key(FuzzKeys.unhex(new String(line, 1, line.length - 1, StandardCharsets.US_ASCII))));
            } else {
                if (line.length == 0) problems.add("db " + db + ": an empty line in blob " + header[1]);
                into.add(new Key(line));
            }
        }
        return String.join(" ", header);
    }

    /** A difference the rules do not allow: about a key of a database, or about none (key null). */
    record Difference(int db, Key key, String text) {
        @Override
        public String toString() {
            return key == null ? text : "db " + db + " " + key + ": " + text;
        }
    }

    /** Every difference the rules above do not allow. */
    static List<Difference> compare(Dump dump, ServerState server, Map<Key, Integer>[] marks) {
        List<Difference> out = new ArrayList<>();
        for (String p : server.problems()) out.add(new Difference(-1, null, p));
        if (dump.dropped() != 0) out.add(new Difference(-1, null, dump.dropped() + " events dropped"));
        if (dump.errors() != 0) out.add(new Difference(-1, null, dump.errors() + " internal errors of the event thread"));
        if (dump.pending() != 0) out.add(new Difference(-1, null, dump.pending() + " events not applied in the dump"));
        for (int db = 0; db < FuzzKeys.DBS; db++) {
            Map<Key, long[]> tracked = dump.keys()[db];
            Map<Key, Long> held = server.keys()[db];
            Map<Key, Integer> m = marks[db];
            final int d = db;
            for (Map.Entry<Key, long[]> e : tracked.entrySet()) {
                Key k = e.getKey();
                long expiry = e.getValue()[0];
                int mark = m.getOrDefault(k, 0);
                if (FuzzKeys.isForeign(k.bytes())) {
                    out.add(new Difference(d, k, "one of the test's own keys is tracked"));
                    continue;
                }
                Long ttl = held.get(k);
                if (ttl == null) {
                    boolean expired = expiry > 0 && expiry * 1000 <= server.time() + 3_000;
                    if (!expired && (mark & (FuzzModel.EMPTIED | FuzzModel.ANY)) == 0) {
                        out.add(new Difference(d, k, "tracked" + (expiry > 0 ? " (expiry " + expiry + ")" : "")
                                + " but not in the server"));
                    }
                } else if ((mark & FuzzModel.ANY) == 0) {
                    if (expiry == 0 && ttl >= 0) {
                        out.add(new Difference(d, k, "tracked without an expiry time; the server's is in " + ttl
                                + " ms"));
                    } else if (expiry > 0 && ttl < 0) {
                        out.add(new Difference(d, k, "tracked with an expiry time (" + expiry
                                + "); the server's key has none"));
                    } else if (expiry > 0) {
                        long serverExpiry = server.time() + ttl;
                        if (expiry * 1000 < serverExpiry - 1_500 || expiry * 1000 > serverExpiry + 10_000) {
                            out.add(new Difference(d, k, "tracked with expiry " + expiry + "; the server's is at "
                                    + serverExpiry + " ms"));
                        }
                    }
                }
            }
            for (Map.Entry<Key, Long> e : held.entrySet()) {
                Key k = e.getKey();
                if (tracked.containsKey(k) || FuzzKeys.isForeign(k.bytes()) || e.getValue() >= 0) continue;
                if ((m.getOrDefault(k, 0) & (FuzzModel.UNTRACKED | FuzzModel.ANY)) == 0) {
                    out.add(new Difference(d, k, "in the server, without an expiry time, and not tracked"));
                }
            }
            Map<Key, Integer> named = new HashMap<>();
            for (Key k : server.journal()[db]) named.merge(k, 1, Integer::sum);
            for (Map.Entry<Key, Integer> e : named.entrySet()) {
                if (e.getValue() > 1) {
                    out.add(new Difference(d, e.getKey(), "named " + e.getValue() + " times in the journal"));
                }
                if (!tracked.containsKey(e.getKey())) {
                    out.add(new Difference(d, e.getKey(), "in the journal (" + server.blobOf()[db].get(e.getKey())
                            + ") but not tracked"));
                }
            }
            for (Map.Entry<Key, long[]> e : tracked.entrySet()) {
                boolean journaled = e.getValue()[2] == 1;
                if (e.getValue()[0] == 0 && !journaled) {
                    out.add(new Difference(d, e.getKey(), "tracked without an expiry time, not journaled"));
                }
                if (journaled != named.containsKey(e.getKey())) {
                    out.add(new Difference(d, e.getKey(), journaled ? "journaled, but not in the journal"
                            : "in the journal, but not journaled"));
                }
            }
            if (server.journalCount()[db] != server.journal()[db].size()) {
                out.add(new Difference(d, null, "db " + db + ": the journal's state counts " + server.journalCount()[db]
                        + " keys; the journal holds " + server.journal()[db].size()));
            }
        }
        return out;
    }
}
