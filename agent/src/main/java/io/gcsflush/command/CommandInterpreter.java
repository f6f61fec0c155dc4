package io.gcsflush.command;

import io.gcsflush.command.CommandSpec.When;

/**
 * Applies one command, with its reply, to the tracked keys: what the server did, not what the application asked.
 * A reply the agent could not see ({@link Outcome.Kind#UNKNOWN}) counts as success for commands that cannot create a
 * key the application did not write (SET, DEL, EXPIRE), and as failure for the conditional ones (SET NX, RENAMENX,
 * SMOVE), so that an unknown reply never makes the agent take a key that was not this application's.
 */
public final class CommandInterpreter {
    private CommandInterpreter() {}

    /** Applies a command whose effect is on keys (not SELECT, MULTI and the other connection-level effects). */
    public static void apply(CommandSpec spec, CommandView cmd, Outcome out, KeyOps ops) {
        if (out.isError()) return;
        Effect effect = spec.effect();
        if (effect == Effect.FLUSHALL) {
            ops.flushAll();
            return;
        }
        if (ops.db() < 0) return;
        KeySpec keys = spec.keys();
        switch (effect) {
            case ADD:
            case REPLACE: {
                Mode mode = mode(spec, cmd, out);
                if (mode == Mode.NOTHING) return;
                if (keys.kind == KeySpec.Kind.PAIRS_FROM) {
                    for (int i = 0, n = keys.count(cmd); i < n; i++) {
                        int k = keys.keyIndex(cmd, i);
                        write(ops, mode, cmd.arg(k), cmd.arg(k + 1).length, effect == Effect.REPLACE);
                        if (effect == Effect.REPLACE) ops.persist(cmd.arg(k));
                    }
                    return;
                }
                int k = keys.first(cmd);
                if (k < 0) return;
                byte[] key = cmd.arg(k);
                write(ops, mode, key, bytesExcept(cmd, k), effect == Effect.REPLACE);
                if (effect == Effect.REPLACE && ops.isTracked(key)) replaceExpiry(spec, cmd, key, ops);
                return;
            }
            case ADD_IF_EXISTS: {
                if (!tookEffect(spec.when(), out, true)) return;
                int k = keys.first(cmd);
                if (k >= 0) write(ops, Mode.IF_TRACKED, cmd.arg(k), bytesExcept(cmd, k), false);
                return;
            }
            case STORE: {
                int k = keys.first(cmd);
                if (k < 0) return;
                byte[] dest = cmd.arg(k);
                if (out.kind() == Outcome.Kind.INTEGER && out.integer() == 0) {
                    ops.delete(dest); // an empty result deletes the destination
                } else {
                    ops.write(dest, 0, true);
                    ops.persist(dest);
                }
                return;
            }
            case DELETE:
                for (int i = 0, n = keys.count(cmd); i < n; i++) ops.delete(cmd.arg(keys.keyIndex(cmd, i)));
                return;
            case RENAME:
                if (tookEffect(spec.when(), out, false) && cmd.argCount() >= 2) ops.rename(cmd.arg(0), cmd.arg(1));
                return;
            case MOVE: {
                if (!tookEffect(spec.when(), out, false) || cmd.argCount() < 2) return;
                long db = Args.parseLong(cmd.arg(1));
                if (db >= 0 && db <= Integer.MAX_VALUE) ops.move(cmd.arg(0), (int) db);
                return;
            }
            case COPY: {
                if (!tookEffect(spec.when(), out, false) || cmd.argCount() < 2) return;
                int toDb = ops.db();
                for (int i = 2; i + 1 < cmd.argCount(); i++) {
                    if (Args.is(cmd.arg(i), "DB")) {
                        long db = Args.parseLong(cmd.arg(i + 1));
                        if (db < 0 || db > Integer.MAX_VALUE) return;
                        toDb = (int) db;
                    }
                }
                ops.copy(cmd.arg(0), toDb, cmd.arg(1));
                return;
            }
            case EXPIRE: {
                if (!tookEffect(spec.when(), out, true) || cmd.argCount() < 2) return;
                long at = expiryMillis(spec.name(), cmd.arg(1), ops.now());
                if (at == Long.MIN_VALUE) return;
                if (at <= ops.now()) ops.delete(cmd.arg(0));
                else ops.expireAt(cmd.arg(0), at);
                return;
            }
            case PERSIST:
                if (tookEffect(spec.when(), out, true) && cmd.argCount() >= 1) ops.persist(cmd.arg(0));
                return;
            case GETEX:
                if (out.isNil() || cmd.argCount() < 1) return;
                applyExpiryOptions(cmd, 1, cmd.arg(0), ops, false);
                return;
            case MOVE_ELEMENT: {
                if (!tookEffect(spec.when(), out, false) || cmd.argCount() < 2) return;
                // LMOVE's reply is the element; SMOVE names it as its third argument.
                long bytes = out.kind() == Outcome.Kind.VALUE ? out.length() : cmd.argCount() > 2 ? cmd.arg(2).length : 0;
                ops.write(cmd.arg(1), bytes, false);
                return;
            }
            case SCRIPT: {
                int n = keys.count(cmd);
                // EVAL's body tells what it does with its keys; an EVALSHA's or FCALL's does not travel with it.
                LuaScript script = spec.name().equals("EVAL") && cmd.argCount() > 0 ? LuaScript.of(cmd.arg(0)) : null;
                if (script != null && !script.opaque()) {
                    if (n > 0) script.apply(cmd, keys.keyIndex(cmd, 0), n, ops);
                    return;
                }
                for (int i = 0; i < n; i++) ops.write(cmd.arg(keys.keyIndex(cmd, i)), 0, false);
                return;
            }
            case SWAPDB: {
                if (cmd.argCount() < 2) return;
                long a = Args.parseLong(cmd.arg(0));
                long b = Args.parseLong(cmd.arg(1));
                if (a >= 0 && b >= 0 && a <= Integer.MAX_VALUE && b <= Integer.MAX_VALUE) ops.swapDb((int) a, (int) b);
                return;
            }
            case FLUSHDB:
                ops.flushDb();
                return;
            default:
                // Connection-level effects are the caller's.
        }
    }

    /** How a write applies: to any key, only to a key already tracked, or not at all. */
    enum Mode { ANY, IF_TRACKED, NOTHING }

    private static void write(KeyOps ops, Mode mode, byte[] key, long bytes, boolean replace) {
        if (mode == Mode.IF_TRACKED && !ops.isTracked(key)) return;
        ops.write(key, bytes, replace);
    }

    /** Decides ADD and REPLACE, whose conditions may hang on options. */
    static Mode mode(CommandSpec spec, CommandView cmd, Outcome out) {
        if (spec.when() != When.OPTIONS) return tookEffect(spec.when(), out, false) ? Mode.ANY : Mode.NOTHING;
        switch (spec.name()) {
            case "SET": return setMode(cmd, out);
            case "BITFIELD":
                // Only GETs (and OVERFLOW) read: on a missing key they create none.
                for (int i = 1; i < cmd.argCount(); i++) {
                    if (Args.is(cmd.arg(i), "SET") || Args.is(cmd.arg(i), "INCRBY")) return Mode.ANY;
                }
                return Mode.NOTHING;
            case "SETRANGE":
                // An empty value writes nothing: on a missing key, Redis replies 0 and creates none.
                return cmd.argCount() > 2 && cmd.arg(2).length == 0 ? Mode.IF_TRACKED : Mode.ANY;
            case "ZADD":
            case "GEOADD": {
                boolean xx = false;
                boolean incr = false;
                for (int i = 1; i < cmd.argCount(); i++) {
                    byte[] a = cmd.arg(i);
                    if (Args.is(a, "XX")) xx = true;
                    else if (Args.is(a, "INCR")) incr = true;
                    else if (!(Args.is(a, "NX") || Args.is(a, "GT") || Args.is(a, "LT") || Args.is(a, "CH"))) break;
                }
                if (incr && out.isNil()) return Mode.NOTHING; // an INCR stopped by NX/XX/GT/LT
                return xx ? Mode.IF_TRACKED : Mode.ANY; // XX never creates a key
            }
            case "XADD": {
                boolean nomkstream = cmd.argCount() > 1 && Args.is(cmd.arg(1), "NOMKSTREAM");
                if (!nomkstream) return Mode.ANY;
                if (out.isNil()) return Mode.NOTHING;
                return out.isUnknown() ? Mode.IF_TRACKED : Mode.ANY;
            }
            case "XGROUP CREATE": {
                for (int i = 4; i < cmd.argCount(); i++) if (Args.is(cmd.arg(i), "MKSTREAM")) return Mode.ANY;
                return Mode.IF_TRACKED;
            }
            default:
                return Mode.ANY;
        }
    }

    /** SET key value [NX|XX] [GET] ...: with GET the reply is the old value, otherwise nil means "not set". */
    private static Mode setMode(CommandView cmd, Outcome out) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        for (int i = 2; i < cmd.argCount(); i++) {
            byte[] a = cmd.arg(i);
            if (Args.is(a, "NX")) nx = true;
            else if (Args.is(a, "XX")) xx = true;
            else if (Args.is(a, "GET")) get = true;
        }
        if (!nx && !xx) return Mode.ANY;
        if (out.isUnknown()) return xx ? Mode.IF_TRACKED : Mode.NOTHING;
        boolean set;
        if (get) set = nx ? out.isNil() : !out.isNil(); // NX GET: nil means it did not exist, so it was set
        else set = !out.isNil();
        return set ? Mode.ANY : Mode.NOTHING;
    }

    /**
     * Whether a command with a plain condition took effect. {@code unknownIsSuccess} is for commands that only change
     * keys that are tracked already, where a wrong guess cannot make the agent take a key.
     */
    static boolean tookEffect(When when, Outcome out, boolean unknownIsSuccess) {
        if (out.isError()) return false;
        if (out.isUnknown()) return when == When.OK || unknownIsSuccess;
        switch (when) {
            case OK: return true;
            case ONE: return out.kind() == Outcome.Kind.INTEGER && out.integer() == 1;
            case POSITIVE: return out.kind() == Outcome.Kind.INTEGER && out.integer() > 0;
            case NON_NIL: return !out.isNil();
            default: return true;
        }
    }

    /** After a replacing write: SET's and SETEX's expiry options, RESTORE's ttl, or none (which clears it). */
    private static void replaceExpiry(CommandSpec spec, CommandView cmd, byte[] key, KeyOps ops) {
        switch (spec.name()) {
            case "SET":
                applyExpiryOptions(cmd, 2, key, ops, true);
                return;
            case "SETEX":
            case "PSETEX": {
                long t = cmd.argCount() > 1 ? Args.parseLong(cmd.arg(1)) : Long.MIN_VALUE;
                if (t <= 0) return;
                ops.expireAt(key, ops.now() + (spec.name().equals("SETEX") ? t * 1000 : t));
                return;
            }
            case "RESTORE": {
                long t = cmd.argCount() > 1 ? Args.parseLong(cmd.arg(1)) : Long.MIN_VALUE;
                boolean absolute = false;
                for (int i = 3; i < cmd.argCount(); i++) if (Args.is(cmd.arg(i), "ABSTTL")) absolute = true;
                if (t > 0) ops.expireAt(key, absolute ? t : ops.now() + t);
                else ops.persist(key);
                return;
            }
            default:
                ops.persist(key);
        }
    }

    /** EX s, PX ms, EXAT s, PXAT ms, PERSIST and (for SET) KEEPTTL, from argument {@code from} on. */
    private static void applyExpiryOptions(CommandView cmd, int from, byte[] key, KeyOps ops, boolean clearByDefault) {
        for (int i = from; i < cmd.argCount(); i++) {
            byte[] a = cmd.arg(i);
            if (Args.is(a, "KEEPTTL")) return;
            if (Args.is(a, "PERSIST")) {
                ops.persist(key);
                return;
            }
            long at = Long.MIN_VALUE;
            if (i + 1 < cmd.argCount()) {
                long t = Args.parseLong(cmd.arg(i + 1));
                if (t != Long.MIN_VALUE) {
                    if (Args.is(a, "EX")) at = ops.now() + t * 1000;
                    else if (Args.is(a, "PX")) at = ops.now() + t;
                    else if (Args.is(a, "EXAT")) at = t * 1000;
                    else if (Args.is(a, "PXAT")) at = t;
                }
            }
            if (at != Long.MIN_VALUE) {
                if (at <= ops.now()) ops.delete(key);
                else ops.expireAt(key, at);
                return;
            }
        }
        if (clearByDefault) ops.persist(key);
    }

    /** The absolute expiry of EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT in epoch milliseconds. */
    private static long expiryMillis(String command, byte[] arg, long now) {
        long t = Args.parseLong(arg);
        if (t == Long.MIN_VALUE) return Long.MIN_VALUE;
        switch (command) {
            case "EXPIRE": return now + t * 1000;
            case "PEXPIRE": return now + t;
            case "EXPIREAT": return t * 1000;
            default: return t;
        }
    }

    /** Bytes of every argument but the key at {@code keyIndex}: what a write adds to a key, near enough. */
    private static long bytesExcept(CommandView cmd, int keyIndex) {
        long bytes = 0;
        for (int i = 0; i < cmd.argCount(); i++) if (i != keyIndex) bytes += cmd.arg(i).length;
        return bytes;
    }
}
