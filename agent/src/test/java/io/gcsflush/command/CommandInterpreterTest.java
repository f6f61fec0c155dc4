package io.gcsflush.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CommandInterpreterTest {
    static final long NOW = 1_700_000_000_000L;

    /** Records what the interpreter asks of the tracker, in a readable form. */
    static final class Recorder implements KeyOps {
        final List<String> calls = new ArrayList<>();
        final Map<String, Boolean> tracked = new LinkedHashMap<>();
        int db = 0;

        @Override public void write(byte[] key, long bytes, boolean replace) {
            calls.add((replace ? "replace " : "add ") + s(key) + " " + bytes);
            tracked.put(s(key), true);
        }
        @Override public boolean isTracked(byte[] key) { return tracked.containsKey(s(key)); }
        @Override public void delete(byte[] key) { calls.add("delete " + s(key)); }
        @Override public void rename(byte[] from, byte[] to) { calls.add("rename " + s(from) + " " + s(to)); }
        @Override public void move(byte[] key, int toDb) { calls.add("move " + s(key) + " " + toDb); }
        @Override public void copy(byte[] from, int toDb, byte[] to) { calls.add("copy " + s(from) + " " + toDb + " " + s(to)); }
        @Override public void expireAt(byte[] key, long epochMillis) { calls.add("expire " + s(key) + " +" + (epochMillis - NOW)); }
        @Override public void persist(byte[] key) { calls.add("persist " + s(key)); }
        @Override public void flushDb() { calls.add("flushdb"); }
        @Override public void flushAll() { calls.add("flushall"); }
        @Override public void swapDb(int a, int b) { calls.add("swapdb " + a + " " + b); }
        @Override public int db() { return db; }
        @Override public long now() { return NOW; }

        static String s(byte[] b) { return new String(b, UTF_8); }
    }

    static CommandView cmd(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) bytes[i] = args[i].getBytes(UTF_8);
        return new CommandView() {
            @Override public int argCount() { return bytes.length; }
            @Override public byte[] arg(int index) { return bytes[index]; }
        };
    }

    static List<String> run(Consumer<Outcome> reply, String command, String... args) {
        return run(new Recorder(), reply, command, args);
    }

    static List<String> run(Recorder ops, Consumer<Outcome> reply, String command, String... args) {
        CommandSpec spec = CommandTable.lookup(command, args.length > 0 ? args[0].getBytes(UTF_8) : null);
        assertNotNull(spec, command + " is in the table");
        Outcome out = new Outcome();
        reply.accept(out);
        CommandInterpreter.apply(spec, cmd(args), out, ops);
        return ops.calls;
    }

    static final Consumer<Outcome> OK = o -> o.value(2);
    static final Consumer<Outcome> NIL = Outcome::nil;
    static final Consumer<Outcome> ERR = Outcome::error;
    static final Consumer<Outcome> UNKNOWN = Outcome::unknown;
    static Consumer<Outcome> integer(long n) { return o -> o.integer(n); }

    @Test
    void setReplacesAndClearsOrSetsTheExpiry() {
        assertEquals(List.of("replace k 5", "persist k"), run(OK, "SET", "k", "hello"));
        assertEquals(List.of("replace k 9", "expire k +10000"), run(OK, "set", "k", "hello", "ex", "10"));
        assertEquals(List.of("replace k 10", "expire k +250"), run(OK, "SET", "k", "hello", "PX", "250"));
        assertEquals(List.of("replace k 12"), run(OK, "SET", "k", "hello", "KEEPTTL"));
        assertEquals(List.of(), run(ERR, "SET", "k", "hello"), "an error reply (OOM) created nothing");
    }

    @Test
    void setNxAndXxFollowTheReply() {
        assertEquals(List.of(), run(NIL, "SET", "k", "v", "NX"), "NX on an existing key: nil, nothing set");
        assertEquals(List.of("replace k 3", "persist k"), run(OK, "SET", "k", "v", "NX"));
        assertEquals(List.of(), run(UNKNOWN, "SET", "k", "v", "NX"), "an unseen reply never takes a key");
        assertEquals(List.of("replace k 6", "persist k"), run(NIL, "SET", "k", "v", "NX", "GET"), "NX GET: nil = it was set");
        assertEquals(List.of(), run(o -> o.value(3), "SET", "k", "v", "NX", "GET"));
        assertEquals(List.of(), run(NIL, "SET", "k", "v", "XX"));
        Recorder tracked = new Recorder();
        tracked.tracked.put("k", true);
        assertEquals(List.of("replace k 3", "persist k"), run(tracked, UNKNOWN, "SET", "k", "v", "XX"));
        assertEquals(List.of(), run(UNKNOWN, "SET", "k", "v", "XX"), "XX with no reply never takes an unknown key");
    }

    @Test
    void conditionalCommandsNeedTheirReply() {
        assertEquals(List.of(), run(integer(0), "SETNX", "k", "v"));
        assertEquals(List.of("replace k 1", "persist k"), run(integer(1), "SETNX", "k", "v"));
        assertEquals(List.of("replace a 1", "persist a", "replace b 1", "persist b"), run(integer(1), "MSETNX", "a", "1", "b", "2"));
        assertEquals(List.of(), run(integer(0), "MSETNX", "a", "1", "b", "2"));
        assertEquals(List.of(), run(integer(0), "HSETNX", "h", "f", "v"));
        assertEquals(List.of("add h 2"), run(integer(1), "HSETNX", "h", "f", "v"));
        assertEquals(List.of(), run(integer(0), "RENAMENX", "a", "b"));
        assertEquals(List.of("rename a b"), run(integer(1), "RENAMENX", "a", "b"));
        assertEquals(List.of(), run(UNKNOWN, "RENAMENX", "a", "b"));
        assertEquals(List.of(), run(integer(0), "SMOVE", "s", "d", "m"));
        assertEquals(List.of("add d 1"), run(integer(1), "SMOVE", "s", "d", "m"));
        assertEquals(List.of(), run(NIL, "LMOVE", "s", "d", "LEFT", "RIGHT"));
        assertEquals(List.of("add d 7"), run(o -> o.value(7), "LMOVE", "s", "d", "LEFT", "RIGHT"));
        assertEquals(List.of("add d 5"), run(o -> o.value(5), "RPOPLPUSH", "s", "d"));
    }

    @Test
    void addsGrowKeysAndMsetPairsValues() {
        assertEquals(List.of("add l 6"), run(integer(3), "LPUSH", "l", "a", "bb", "ccc"));
        assertEquals(List.of("add h 8"), run(integer(2), "HSET", "h", "f1", "v1", "f2", "v2"));
        assertEquals(List.of("replace a 3", "persist a", "replace b 1", "persist b"), run(OK, "MSET", "a", "one", "b", "2"));
        assertEquals(List.of("add c 0"), run(integer(1), "INCR", "c"));
        assertEquals(List.of("add x 17"), run(o -> o.value(15), "XADD", "x", "*", "field", "value-bytes"));
    }

    @Test
    void optionsThatNeverCreate() {
        assertEquals(List.of(), run(integer(0), "ZADD", "z", "XX", "1", "m"), "ZADD XX on an untracked key");
        assertEquals(List.of("add z 4"), run(integer(1), "ZADD", "z", "NX", "1", "m"));
        assertEquals(List.of(), run(NIL, "ZADD", "z", "NX", "INCR", "1", "m"));
        assertEquals(List.of(), run(NIL, "XADD", "x", "NOMKSTREAM", "*", "f", "v"));
        assertEquals(List.of(), run(integer(0), "LPUSHX", "l", "a"));
        Recorder tracked = new Recorder();
        tracked.tracked.put("l", true);
        assertEquals(List.of("add l 1"), run(tracked, integer(2), "LPUSHX", "l", "a"));
        assertEquals(List.of(), run(integer(-1), "LINSERT", "l", "BEFORE", "p", "e"));
        assertEquals(List.of("add s 16"), run(OK, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"));
        assertEquals(List.of(), run(OK, "XGROUP", "CREATE", "s", "g", "$"), "without MKSTREAM the stream existed");
        assertEquals(List.of(), run(ERR, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"), "BUSYGROUP");
    }

    @Test
    void setrangeOfAnEmptyValueCreatesNothing() {
        // Redis: SETRANGE of "" on a missing key replies 0 and creates no key.
        assertEquals(List.of(), run(integer(0), "SETRANGE", "s", "3", ""));
        assertEquals(List.of(), run(UNKNOWN, "SETRANGE", "s", "3", ""));
        Recorder tracked = new Recorder();
        tracked.tracked.put("s", true);
        assertEquals(List.of("add s 1"), run(tracked, integer(4), "SETRANGE", "s", "3", ""));
        assertEquals(List.of("add s 2"), run(integer(4), "SETRANGE", "s", "3", "v"));
    }

    @Test
    void bitfieldWithOnlyGetsIsARead() {
        assertEquals(List.of(), run(OK, "BITFIELD", "b", "GET", "u8", "0", "GET", "i4", "#1"));
        assertEquals(List.of(), run(UNKNOWN, "BITFIELD", "b", "OVERFLOW", "FAIL", "GET", "u8", "0"));
        assertEquals(List.of("add b 13"), run(OK, "BITFIELD", "b", "GET", "u8", "0", "set", "u8", "0", "1"));
        assertEquals(List.of("add b 21"), run(OK, "BITFIELD", "b", "INCRBY", "u8", "0", "1", "OVERFLOW", "SAT"));
    }

    @Test
    void storesReplaceOrDeleteTheDestination() {
        assertEquals(List.of("replace d 0", "persist d"), run(integer(3), "SUNIONSTORE", "d", "a", "b"));
        assertEquals(List.of("delete d"), run(integer(0), "ZINTERSTORE", "d", "2", "a", "b"));
        assertEquals(List.of("replace d 0", "persist d"), run(integer(8), "BITOP", "AND", "d", "a", "b"));
        assertEquals(List.of("replace out 0", "persist out"), run(integer(2), "SORT", "list", "ALPHA", "STORE", "out"));
        assertEquals(List.of(), run(o -> o.value(0), "GEORADIUS", "g", "0", "0", "5", "km"), "no STORE: a read");
        assertEquals(List.of("replace out 0", "persist out"),
                run(integer(1), "GEORADIUS", "g", "0", "0", "5", "km", "STOREDIST", "x", "STORE", "out"));
    }

    @Test
    void deletesRenamesMovesAndCopies() {
        assertEquals(List.of("delete a", "delete b"), run(integer(1), "DEL", "a", "b"));
        assertEquals(List.of("delete a", "delete b"), run(UNKNOWN, "UNLINK", "a", "b"), "forgetting is always safe");
        assertEquals(List.of("delete a"), run(NIL, "GETDEL", "a"));
        assertEquals(List.of("rename a b"), run(OK, "RENAME", "a", "b"));
        assertEquals(List.of(), run(ERR, "RENAME", "a", "b"), "no such key");
        assertEquals(List.of("move a 3"), run(integer(1), "MOVE", "a", "3"));
        assertEquals(List.of(), run(integer(0), "MOVE", "a", "3"));
        assertEquals(List.of("copy a 0 b"), run(integer(1), "COPY", "a", "b"));
        assertEquals(List.of("copy a 5 b"), run(integer(1), "COPY", "a", "b", "DB", "5", "REPLACE"));
    }

    @Test
    void expiryFamily() {
        assertEquals(List.of("expire k +30000"), run(integer(1), "EXPIRE", "k", "30"));
        assertEquals(List.of(), run(integer(0), "EXPIRE", "k", "30", "NX"));
        assertEquals(List.of("expire k +1500"), run(integer(1), "PEXPIRE", "k", "1500"));
        assertEquals(List.of("expire k +5000"), run(integer(1), "EXPIREAT", "k", String.valueOf(NOW / 1000 + 5)));
        assertEquals(List.of("expire k +7"), run(integer(1), "PEXPIREAT", "k", String.valueOf(NOW + 7)));
        assertEquals(List.of("delete k"), run(integer(1), "EXPIRE", "k", "-1"), "a past time deletes the key");
        assertEquals(List.of("persist k"), run(integer(1), "PERSIST", "k"));
        assertEquals(List.of("expire k +60000"), run(OK, "GETEX", "k", "EX", "60"));
        assertEquals(List.of("persist k"), run(OK, "GETEX", "k", "PERSIST"));
        assertEquals(List.of(), run(NIL, "GETEX", "k", "EX", "60"));
        assertEquals(List.of("replace k 3", "expire k +10000"), run(OK, "SETEX", "k", "10", "v"));
        assertEquals(List.of("replace k 4", "expire k +100"), run(OK, "PSETEX", "k", "100", "v"));
        assertEquals(List.of("replace k 7", "expire k +100"), run(OK, "RESTORE", "k", "100", "dump"));
        assertEquals(List.of("replace k 9", "persist k"), run(OK, "RESTORE", "k", "0", "x", "REPLACE"));
    }

    @Test
    void scriptsTheAgentCannotReadTakeTheirDeclaredKeysAsWritten() {
        // Keys built from the declared ones: the body says nothing the agent can use (see LuaScriptTest for the rest).
        assertEquals(List.of("add a 0", "add b 0"), run(o -> o.value(0), "EVAL",
                "redis.call('set', KEYS[1] .. KEYS[2], ARGV[1])", "2", "a", "b", "arg"));
        assertEquals(List.of("add a 0"), run(integer(1), "FCALL", "fn", "1", "a", "arg"));
        assertEquals(List.of(), run(integer(1), "EVALSHA", "abc", "0", "arg"));
        assertEquals(List.of(), run(integer(1), "EVAL", "return 1", "5", "a"), "a numkeys beyond the arguments");
        assertEquals(List.of(), run(ERR, "EVAL", "return 1", "1", "a"), "NOSCRIPT, or a script error");
    }

    @Test
    void databaseWideEffects() {
        assertEquals(List.of("flushdb"), run(OK, "FLUSHDB"));
        assertEquals(List.of("flushall"), run(OK, "FLUSHALL", "ASYNC"));
        assertEquals(List.of("swapdb 0 1"), run(OK, "SWAPDB", "0", "1"));
        Recorder unknownDb = new Recorder();
        unknownDb.db = -1;
        assertEquals(List.of(), run(unknownDb, OK, "SET", "k", "v"), "no key is taken while the database is unknown");
        assertEquals(List.of("flushall"), run(unknownDb, OK, "FLUSHALL"));
    }

    @Test
    void readsAndUnknownCommandsAreNotInTheTable() {
        for (String read : Arrays.asList("GET", "MGET", "HGETALL", "LRANGE", "SCAN", "INFO", "PING", "LPOP", "SREM")) {
            assertNull(CommandTable.lookup(read, null), read);
        }
        assertNull(CommandTable.lookup("XGROUP", "DESTROY".getBytes(UTF_8)));
        assertNull(CommandTable.lookup("CLIENT", "SETNAME".getBytes(UTF_8)));
        assertNotNull(CommandTable.lookup("client", "reply".getBytes(UTF_8)));
    }

    @Test
    void tableCoversEveryKeyCreatingCommandOfTheCoreTypes() {
        List<String> creating = Arrays.asList(
                "APPEND", "BITFIELD", "BITOP", "DECR", "DECRBY", "GETSET", "INCR", "INCRBY", "INCRBYFLOAT", "MSET",
                "MSETNX", "PSETEX", "SET", "SETBIT", "SETEX", "SETNX", "SETRANGE",
                "HINCRBY", "HINCRBYFLOAT", "HMSET", "HSET", "HSETNX",
                "BLMOVE", "BRPOPLPUSH", "LMOVE", "LPUSH", "RPOPLPUSH", "RPUSH",
                "SADD", "SDIFFSTORE", "SINTERSTORE", "SMOVE", "SUNIONSTORE",
                "ZADD", "ZDIFFSTORE", "ZINCRBY", "ZINTERSTORE", "ZRANGESTORE", "ZUNIONSTORE",
                "XADD", "XGROUP CREATE", "PFADD", "PFMERGE", "GEOADD", "GEOSEARCHSTORE", "GEORADIUS",
                "GEORADIUSBYMEMBER", "COPY", "RESTORE", "SORT", "RENAME", "RENAMENX", "MOVE");
        Map<String, CommandSpec> all = CommandTable.all();
        for (String name : creating) assertNotNull(all.get(name), name);
    }
}
