package io.gcsflush.it.apps;

import io.gcsflush.it.apps.FuzzCommand.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random commands, drawn from the agent's command table (README, CommandTable) and around it: every write it
 * follows, with their options (NX/XX, GET, EX/PX/EXAT/PXAT/KEEPTTL, GT/LT, MKSTREAM/NOMKSTREAM, REPLACE, DB),
 * the commands that shrink or empty containers, reads, scripts, SELECT, FLUSHDB, SWAPDB (of databases 1-3), refused
 * writes on the test's own keys, and commands the server rejects (syntax, arity, WRONGTYPE through names of another
 * type). Deterministic for a seed.
 */
public final class FuzzCommands {
    /**
     * The scripts of EVAL, each with what it does to its declared keys (see {@link FuzzModel#script}). 0, 1 and 8 are
     * straight lines; 2-5 hold conditional calls; 6 only reads and publishes; 7 calls on KEYS[i], i a variable, which
     * the agent takes as a conditional call on each declared key.
     */
    public static final String[] SCRIPTS = {
        "redis.call('SET', KEYS[1], ARGV[1]) return 1",
        "redis.call('DEL', KEYS[1]) redis.call('RPUSH', KEYS[2], ARGV[1]) return 1",
        "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCR', KEYS[1]) return 1 end return 0",
        "if ARGV[1] == '1' then redis.call('HSET', KEYS[1], 'f', ARGV[2]) return 1 end return 0",
        "if ARGV[1] == '1' then redis.call('DEL', KEYS[1]) end return redis.call('SADD', KEYS[2], ARGV[2])",
        "local v = redis.call('GET', KEYS[1]) if v then redis.call('SET', KEYS[2], v) return 1 end return 0",
        "redis.call('PUBLISH', KEYS[1], ARGV[1]) return redis.call('EXISTS', KEYS[2])",
        "local i = tonumber(ARGV[1]) redis.call('SET', KEYS[i], ARGV[2]) return i",
        "redis.call('EXPIRE', KEYS[1], ARGV[1]) return redis.call('HINCRBY', KEYS[2], 'n', 1)",
    };

    private static final int STR = 0;
    private static final int HASH = 1;
    private static final int LIST = 2;
    private static final int SET = 3;
    private static final int ZSET = 4;
    private static final int STREAM = 5;
    private static final int HLL = 6;
    private static final int GEO = 7;

    private final Random r;
    private final int foreignCount;
    private final List<Supplier<FuzzCommand>> table = new ArrayList<>();
    private final List<Integer> weights = new ArrayList<>();
    private int total;
    /** The database of the connection the command is for. */
    private int db;

    /**
     * @param foreignCount how many of the test's keys there are in database 0 ({@code foreign:str:i}...)
     * @param swapdb whether to send SWAPDB
     */
    public FuzzCommands(Random random, int foreignCount, boolean swapdb) {
        this.r = random;
        this.foreignCount = foreignCount;
        strings();
        hashes();
        lists();
        sets();
        sortedSets();
        others();
        keys();
        add(14, this::eval);
        add(12, this::select);
        add(1, () -> db == 0 ? select() : cmd("FLUSHDB", Reply.STATUS, 0));
        if (swapdb) add(1, () -> cmd("SWAPDB", Reply.STATUS, 0, num(1 + r.nextInt(3)), num(1 + r.nextInt(3))));
        add(6, this::error);
        add(4, () -> db == 0 && foreignCount > 0 ? foreign() : read());
        add(10, this::read);
    }

    /** The next command, for a connection in database {@code db}. */
    public FuzzCommand next(int db) {
        this.db = db;
        int pick = r.nextInt(total);
        for (int i = 0; i < table.size(); i++) {
            pick -= weights.get(i);
            if (pick < 0) return table.get(i).get();
        }
        throw new AssertionError();
    }

    /** SELECT of a database the application uses (or, rarely, one that does not exist). */
    public FuzzCommand select() {
        return cmd("SELECT", Reply.STATUS, 0, num(r.nextInt(50) == 0 ? 99 : r.nextInt(FuzzKeys.DBS)));
    }

    /** A command the server refuses when it is queued: a MULTI with it is aborted (EXECABORT). */
    public FuzzCommand queueError() {
        return r.nextBoolean() ? cmd("SET", Reply.STATUS, 1, key(STR)) : cmd("NOSUCHCOMMAND", Reply.STATUS, 1, key(STR));
    }

    /** A key of the pools, for WATCH. */
    public byte[] anyKey() {
        return key(r.nextInt(FuzzKeys.TYPES.length));
    }

    private void add(int weight, Supplier<FuzzCommand> s) {
        table.add(s);
        weights.add(weight);
        total += weight;
    }

    // ------------------------------------------------------------------ families

    private void strings() {
        add(40, () -> {
            List<byte[]> a = new ArrayList<>(List.of(key(STR), val()));
            int cond = r.nextInt(6);
            if (cond == 0) a.add(b("NX"));
            else if (cond == 1) a.add(b("XX"));
            if (r.nextInt(5) == 0) a.add(b("GET"));
            expiryOption(a, true);
            return cmd("SET", hasWord(a, "GET") ? Reply.BULK : Reply.STATUS, 1, a.toArray(new byte[0][]));
        });
        add(6, () -> cmd("SETNX", Reply.BOOLEAN, 1, key(STR), val()));
        add(5, () -> cmd("SETEX", Reply.STATUS, 1, key(STR), num(shortOrLong()), val()));
        add(3, () -> cmd("PSETEX", Reply.STATUS, 1, key(STR), num(shortOrLong() * 1000L), val()));
        add(5, () -> cmd("GETSET", Reply.BULK, 1, key(STR), val()));
        add(6, () -> cmd("MSET", Reply.STATUS, 0b101, key(STR), val(), key(STR), val()));
        add(5, () -> cmd("MSETNX", Reply.BOOLEAN, 0b101, key(STR), val(), key(STR), val()));
        add(8, () -> cmd("APPEND", Reply.INTEGER, 1, key(STR), val()));
        add(6, () -> cmd("SETRANGE", Reply.INTEGER, 1, key(STR), num(r.nextInt(8)),
                r.nextInt(3) == 0 ? new byte[0] : val()));
        add(8, () -> cmd(pick("INCR", "DECR"), Reply.INTEGER, 1, key(STR)));
        add(5, () -> cmd(pick("INCRBY", "DECRBY"), Reply.INTEGER, 1, key(STR), num(r.nextInt(100))));
        add(3, () -> cmd("INCRBYFLOAT", Reply.DOUBLE, 1, key(STR), b("1.5")));
        add(6, () -> cmd("GETDEL", Reply.BULK, 1, key(STR)));
        add(8, () -> {
            List<byte[]> a = new ArrayList<>(List.of(key(STR)));
            int o = r.nextInt(6);
            if (o == 0) a.add(b("PERSIST"));
            else if (o < 5) expiryOption(a, false);
            return cmd("GETEX", Reply.BULK, 1, a.toArray(new byte[0][]));
        });
        add(4, () -> cmd("SETBIT", Reply.INTEGER, 1, key(STR), num(r.nextInt(64)), num(r.nextInt(2))));
        add(4, () -> cmd("BITOP", Reply.INTEGER, 0b1110, b(pick("AND", "OR", "XOR")), key(STR), key(STR), key(STR)));
        add(4, () -> r.nextBoolean()
                ? cmd("BITFIELD", Reply.ARRAY, 1, key(STR), b("GET"), b("u8"), num(r.nextInt(4)))
                : cmd("BITFIELD", Reply.ARRAY, 1, key(STR), b("SET"), b("u8"), num(r.nextInt(4)), num(r.nextInt(256))));
    }

    private void hashes() {
        add(20, () -> r.nextBoolean() ? cmd("HSET", Reply.INTEGER, 1, key(HASH), field(), val())
                : cmd("HSET", Reply.INTEGER, 1, key(HASH), field(), val(), field(), val()));
        add(6, () -> cmd("HSETNX", Reply.BOOLEAN, 1, key(HASH), field(), val()));
        add(4, () -> cmd("HMSET", Reply.STATUS, 1, key(HASH), field(), val()));
        add(5, () -> cmd("HINCRBY", Reply.INTEGER, 1, key(HASH), b("n"), num(r.nextInt(10))));
        add(2, () -> cmd("HINCRBYFLOAT", Reply.DOUBLE, 1, key(HASH), b("x"), b("0.5")));
        add(12, () -> cmd("HDEL", Reply.INTEGER, 1, key(HASH), field(), field()));
    }

    private void lists() {
        add(14, () -> cmd(pick("LPUSH", "RPUSH"), Reply.INTEGER, 1, key(LIST), val(), val()));
        add(8, () -> cmd(pick("LPUSHX", "RPUSHX"), Reply.INTEGER, 1, key(LIST), val()));
        add(4, () -> cmd("LINSERT", Reply.INTEGER, 1, key(LIST), b(pick("BEFORE", "AFTER")), val(), val()));
        add(4, () -> cmd("LSET", Reply.STATUS, 1, key(LIST), num(r.nextInt(3) - 1), val()));
        add(14, () -> r.nextBoolean() ? cmd(pick("LPOP", "RPOP"), Reply.BULK, 1, key(LIST))
                : cmd(pick("LPOP", "RPOP"), Reply.ARRAY, 1, key(LIST), num(1 + r.nextInt(3))));
        add(4, () -> cmd("LREM", Reply.INTEGER, 0b1, key(LIST), num(r.nextInt(3) - 1), val()));
        add(5, () -> cmd("LTRIM", Reply.STATUS, 1, key(LIST), num(r.nextInt(3)), num(r.nextInt(4) - 1)));
        add(7, () -> cmd("LMOVE", Reply.BULK, 0b11, key(LIST), key(LIST), b(pick("LEFT", "RIGHT")),
                b(pick("LEFT", "RIGHT"))));
        add(3, () -> cmd("RPOPLPUSH", Reply.BULK, 0b11, key(LIST), key(LIST)));
        add(1, () -> cmd("BLMOVE", Reply.BULK, 0b11, key(LIST), key(LIST), b("RIGHT"), b("LEFT"), b("0.01")));
        add(1, () -> cmd("BRPOPLPUSH", Reply.BULK, 0b11, key(LIST), key(LIST), b("0.01")));
    }

    private void sets() {
        add(16, () -> cmd("SADD", Reply.INTEGER, 1, key(SET), member(), member()));
        add(8, () -> cmd("SREM", Reply.INTEGER, 1, key(SET), member(), member()));
        add(5, () -> r.nextBoolean() ? cmd("SPOP", Reply.BULK, 1, key(SET))
                : cmd("SPOP", Reply.ARRAY, 1, key(SET), num(1 + r.nextInt(3))));
        add(5, () -> cmd("SMOVE", Reply.BOOLEAN, 0b11, key(SET), key(SET), member()));
        add(8, () -> cmd(pick("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), Reply.INTEGER, 0b111, key(SET), key(SET),
                key(SET)));
    }

    private void sortedSets() {
        add(16, () -> {
            List<byte[]> a = new ArrayList<>(List.of(key(ZSET)));
            int o = r.nextInt(8);
            if (o == 0) a.add(b("NX"));
            else if (o == 1) a.add(b("XX"));
            else if (o == 2) a.add(b(pick("GT", "LT")));
            boolean incr = r.nextInt(6) == 0;
            if (r.nextInt(4) == 0) a.add(b("CH"));
            if (incr) a.add(b("INCR"));
            a.add(num(r.nextInt(20)));
            a.add(member());
            if (!incr && r.nextBoolean()) {
                a.add(num(r.nextInt(20)));
                a.add(member());
            }
            return cmd("ZADD", incr ? Reply.DOUBLE : Reply.INTEGER, 1, a.toArray(new byte[0][]));
        });
        add(5, () -> cmd("ZINCRBY", Reply.DOUBLE, 1, key(ZSET), num(r.nextInt(5)), member()));
        add(7, () -> cmd("ZREM", Reply.INTEGER, 1, key(ZSET), member(), member()));
        add(3, () -> cmd(pick("ZPOPMIN", "ZPOPMAX"), Reply.ARRAY, 1, key(ZSET), num(1 + r.nextInt(2))));
        add(3, () -> cmd("ZREMRANGEBYRANK", Reply.INTEGER, 1, key(ZSET), b("0"), num(r.nextInt(3))));
        add(3, () -> cmd("ZREMRANGEBYSCORE", Reply.INTEGER, 1, key(ZSET), b("-inf"), num(r.nextInt(10))));
        add(6, () -> cmd(pick("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"), Reply.INTEGER, 0b1101, key(ZSET), b("2"),
                key(ZSET), key(r.nextInt(4) == 0 ? SET : ZSET)));
        add(3, () -> cmd("ZRANGESTORE", Reply.INTEGER, 0b11, key(ZSET), key(ZSET), b("0"), num(r.nextInt(4) - 1)));
    }

    private void others() {
        add(8, () -> {
            List<byte[]> a = new ArrayList<>(List.of(key(STREAM)));
            if (r.nextInt(4) == 0) a.add(b("NOMKSTREAM"));
            if (r.nextInt(4) == 0) {
                a.add(b("MAXLEN"));
                a.add(num(r.nextInt(3)));
            }
            a.add(b("*"));
            a.add(field());
            a.add(val());
            return cmd("XADD", Reply.STATUS, 1, a.toArray(new byte[0][]));
        });
        add(3, () -> r.nextBoolean()
                ? cmd("XGROUP", Reply.STATUS, 0b10, b("CREATE"), key(STREAM), b("g" + r.nextInt(3)), b("$"))
                : cmd("XGROUP", Reply.STATUS, 0b10, b("CREATE"), key(STREAM), b("g" + r.nextInt(3)), b("$"),
                        b("MKSTREAM")));
        add(2, () -> cmd("XTRIM", Reply.INTEGER, 1, key(STREAM), b("MAXLEN"), num(r.nextInt(2))));
        add(5, () -> cmd("PFADD", Reply.INTEGER, 1, key(HLL), member(), member()));
        add(2, () -> cmd("PFMERGE", Reply.STATUS, 0b111, key(HLL), key(HLL), key(HLL)));
        add(5, () -> {
            List<byte[]> a = new ArrayList<>(List.of(key(GEO)));
            if (r.nextInt(5) == 0) a.add(b(pick("NX", "XX")));
            a.add(num(r.nextInt(20)));
            a.add(num(r.nextInt(20)));
            a.add(member());
            return cmd("GEOADD", Reply.INTEGER, 1, a.toArray(new byte[0][]));
        });
        add(2, () -> cmd("GEOSEARCHSTORE", Reply.INTEGER, 0b11, key(GEO), key(GEO), b("FROMLONLAT"),
                num(r.nextInt(20)), num(r.nextInt(20)), b("BYRADIUS"), num(r.nextInt(2000)), b("km")));
        add(2, () -> cmd("GEORADIUS", Reply.INTEGER, 0b1000001, key(GEO), num(r.nextInt(20)), num(r.nextInt(20)),
                num(r.nextInt(2000)), b("km"), b("STORE"), key(GEO)));
    }

    private void keys() {
        add(10, () -> r.nextBoolean() ? cmd("DEL", Reply.INTEGER, 1, anyKey())
                : cmd("DEL", Reply.INTEGER, 0b111, anyKey(), anyKey(), anyKey()));
        add(6, () -> cmd("UNLINK", Reply.INTEGER, 0b11, anyKey(), anyKey()));
        add(20, () -> {
            String name = pick("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT");
            long seconds = r.nextInt(8) == 0 ? -1 : shortOrLong();
            long now = System.currentTimeMillis() / 1000;
            long t = switch (name) {
                case "EXPIRE" -> seconds;
                case "PEXPIRE" -> seconds * 1000;
                case "EXPIREAT" -> seconds < 0 ? now - 100 : now + seconds;
                default -> (seconds < 0 ? now - 100 : now + seconds) * 1000;
            };
            return r.nextInt(4) == 0
                    ? cmd(name, Reply.BOOLEAN, 1, anyKey(), num(t), b(pick("NX", "XX", "GT", "LT")))
                    : cmd(name, Reply.BOOLEAN, 1, anyKey(), num(t));
        });
        add(7, () -> cmd("PERSIST", Reply.BOOLEAN, 1, anyKey()));
        add(7, () -> cmd("RENAME", Reply.STATUS, 0b11, anyKey(), anyKey()));
        add(4, () -> cmd("RENAMENX", Reply.BOOLEAN, 0b11, anyKey(), anyKey()));
        add(4, () -> cmd("MOVE", Reply.BOOLEAN, 1, anyKey(), num(r.nextInt(FuzzKeys.DBS))));
        add(5, () -> {
            List<byte[]> a = new ArrayList<>(List.of(anyKey(), anyKey()));
            if (r.nextBoolean()) {
                a.add(b("DB"));
                a.add(num(r.nextInt(FuzzKeys.DBS)));
            }
            if (r.nextBoolean()) a.add(b("REPLACE"));
            return cmd("COPY", Reply.BOOLEAN, 0b11, a.toArray(new byte[0][]));
        });
        add(3, () -> cmd("SORT", Reply.INTEGER, 0b1000001, key(LIST), b("ALPHA"), b("LIMIT"), b("0"), b("5"), b("STORE"),
                key(LIST)));
    }

    private FuzzCommand eval() {
        int s = r.nextInt(SCRIPTS.length);
        byte[] k1 = anyKey();
        byte[] k2 = anyKey();
        byte[][] argv = switch (s) {
            case 0, 1 -> new byte[][] {val()};
            case 3, 4 -> new byte[][] {num(r.nextInt(2)), val()};
            case 6 -> new byte[][] {val()};
            case 7 -> new byte[][] {num(r.nextInt(20) == 0 ? 3 : 1 + r.nextInt(2)), val()};
            case 8 -> new byte[][] {num(r.nextInt(6) == 0 ? -1 : shortOrLong())};
            default -> new byte[0][];
        };
        int keys = s == 0 || s == 2 || s == 3 ? 1 : 2;
        List<byte[]> a = new ArrayList<>();
        a.add(b(SCRIPTS[s]));
        a.add(num(keys));
        a.add(k1);
        if (keys == 2) a.add(k2);
        a.addAll(List.of(argv));
        return new FuzzCommand("EVAL", a.toArray(new byte[0][]), keys == 2 ? 0b1100 : 0b100, Reply.INTEGER, s);
    }

    private FuzzCommand error() {
        return switch (r.nextInt(8)) {
            case 0 -> cmd("SET", Reply.STATUS, 1, key(STR), val(), b("EX"), b("soon"));
            case 1 -> cmd("SET", Reply.STATUS, 1, key(STR), val(), b("NX"), b("XX"));
            case 2 -> cmd("ZADD", Reply.INTEGER, 1, key(ZSET), b("many"), member());
            case 3 -> cmd("EXPIRE", Reply.BOOLEAN, 1, anyKey(), b("later"));
            case 4 -> cmd("GETEX", Reply.BULK, 1, key(STR), b("EX"), b("0"));
            case 5 -> cmd("SETEX", Reply.STATUS, 1, key(STR), b("0"), val());
            case 6 -> cmd("HSET", Reply.INTEGER, 1, key(HASH), field());
            default -> queueError();
        };
    }

    /** Writes on the test's own keys that the server refuses (they exist), and reads of them. */
    private FuzzCommand foreign() {
        int i = r.nextInt(foreignCount);
        byte[] str = b(FuzzKeys.FOREIGN + ":str:" + i);
        byte[] hash = b(FuzzKeys.FOREIGN + ":hash:" + i);
        return switch (r.nextInt(8)) {
            case 0 -> cmd("SET", Reply.STATUS, 1, str, val(), b("NX"));
            case 1 -> cmd("SET", Reply.BULK, 1, str, val(), b("NX"), b("GET"));
            case 2 -> cmd("SETNX", Reply.BOOLEAN, 1, str, val());
            case 3 -> cmd("MSETNX", Reply.BOOLEAN, 0b101, key(STR), val(), str, val());
            case 4 -> cmd("HSETNX", Reply.BOOLEAN, 1, hash, b("f"), val());
            case 5 -> cmd("RENAMENX", Reply.BOOLEAN, 0b11, anyKey(), str);
            case 6 -> cmd("COPY", Reply.BOOLEAN, 0b11, anyKey(), str);
            default -> cmd("GET", Reply.BULK, 1, str);
        };
    }

    private FuzzCommand read() {
        return switch (r.nextInt(6)) {
            case 0 -> cmd("GET", Reply.BULK, 1, key(STR));
            case 1 -> cmd("EXISTS", Reply.INTEGER, 0b11, anyKey(), anyKey());
            case 2 -> cmd("HGET", Reply.BULK, 1, key(HASH), field());
            case 3 -> cmd("LRANGE", Reply.ARRAY, 1, key(LIST), b("0"), b("-1"));
            case 4 -> cmd("PTTL", Reply.INTEGER, 1, anyKey());
            default -> cmd("SCARD", Reply.INTEGER, 1, key(SET));
        };
    }

    // ------------------------------------------------------------------ arguments

    /** EX, PX, EXAT, PXAT or KEEPTTL (SET only), or none; mostly long, sometimes short enough to expire in the run. */
    private void expiryOption(List<byte[]> a, boolean set) {
        int o = r.nextInt(set ? 12 : 5);
        long s = shortOrLong();
        long now = System.currentTimeMillis();
        switch (o) {
            case 0 -> {
                a.add(b("EX"));
                a.add(num(s));
            }
            case 1 -> {
                a.add(b("PX"));
                a.add(num(s * 1000));
            }
            case 2 -> {
                a.add(b("EXAT"));
                a.add(num(now / 1000 + s));
            }
            case 3 -> {
                a.add(b("PXAT"));
                // Now and then in the past: the key is deleted at once.
                a.add(num(r.nextInt(10) == 0 ? now - 10_000 : now + s * 1000));
            }
            case 4 -> a.add(b(set ? "KEEPTTL" : "PERSIST"));
            default -> {
                // none
            }
        }
    }

    /** Seconds: mostly long enough to outlast the run, a quarter of the time 1-3 s, to expire during it. */
    private long shortOrLong() {
        return r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 3_600 + r.nextInt(3_600);
    }

    /** A key of the type's pool, or now and then an odd name or one of another type (WRONGTYPE, renames...). */
    private byte[] key(int type) {
        int p = r.nextInt(100);
        if (p < 82) return FuzzKeys.pooled(type, r.nextInt(FuzzKeys.POOL));
        if (p < 94) return FuzzKeys.ODD.get(r.nextInt(FuzzKeys.ODD.size()));
        return FuzzKeys.pooled(r.nextInt(FuzzKeys.TYPES.length), r.nextInt(FuzzKeys.POOL));
    }

    private byte[] val() {
        int p = r.nextInt(40);
        if (p == 0) return new byte[0];
        if (p == 1) return b("x".repeat(200 + r.nextInt(300)));
        if (p == 2) return new byte[] {(byte) 0xff, 0, '\n', (byte) r.nextInt(256)};
        if (p < 12) return num(r.nextInt(1000));
        return b("v" + r.nextInt(1000));
    }

    private byte[] field() {
        return b("f" + r.nextInt(4));
    }

    private byte[] member() {
        return b("m" + r.nextInt(6));
    }

    private String pick(String... options) {
        return options[r.nextInt(options.length)];
    }

    private static boolean hasWord(List<byte[]> a, String word) {
        for (byte[] x : a) if (new String(x, java.nio.charset.StandardCharsets.ISO_8859_1).equals(word)) return true;
        return false;
    }

    private static byte[] b(String s) {
        return FuzzKeys.bytes(s);
    }

    private static byte[] num(long n) {
        return b(Long.toString(n));
    }

    private static FuzzCommand cmd(String name, Reply reply, long keyMask, byte[]... args) {
        return new FuzzCommand(name, args, keyMask, reply, -1);
    }
}
