package io.gcsflush.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Lua script (the body of an EVAL) does to the keys it declares, as far as its text tells: the Redis commands
 * it calls ({@code redis.call}, {@code redis.pcall}, {@code server.call}, {@code server.pcall}) whose name is a string
 * or an {@code ARGV[n]}, and whose keys are {@code KEYS[n]} (directly, or through a {@code local} holding one). A
 * declared key that no such command writes is not the script's: a key it only reads, a pub/sub channel it publishes
 * to. See {@link #apply}.
 *
 * <p>Each call is <em>conditional</em> if it may not run every time the script does: inside an {@code if}, a loop or
 * a function, on the right of {@code and}/{@code or}, or after a {@code return} or {@code error} that may have ended
 * the script; a call on {@code KEYS[i]} ({@code i} a variable: a loop over the keys) is a conditional call on each
 * declared key. A script that uses {@code KEYS} any other way (a computed index, a key built from one, a variable
 * assigned twice) is <em>opaque</em>: its declared keys are then taken as written, as for any script the agent cannot
 * read.
 */
public final class LuaScript {
    /** Kinds of argument of a call. */
    private static final int KEY = 1;
    private static final int ARGV = 2;
    private static final int LITERAL = 3;
    private static final int OTHER = 4;
    /** {@code KEYS[i]}, {@code i} a variable: in a loop over the declared keys, any of them. */
    private static final int ANY_KEY = 5;

    /** One argument of a call, as written. */
    private static final class Arg {
        final int kind;
        final int index;
        final byte[] literal;

        Arg(int kind, int index, byte[] literal) {
            this.kind = kind;
            this.index = index;
            this.literal = literal;
        }
    }

    /** One call of a Redis command. */
    private static final class Call {
        final Arg command;
        final Arg[] args;
        final boolean conditional;
        /** Where the call ends in the text: calls are applied in this order (an argument's call runs first). */
        final int end;

        Call(Arg command, Arg[] args, boolean conditional, int end) {
            this.command = command;
            this.args = args;
            this.conditional = conditional;
            this.end = end;
        }
    }

    private static final LuaScript OPAQUE = new LuaScript(List.of(), true);

    private final List<Call> calls;
    private final boolean opaque;

    private LuaScript(List<Call> calls, boolean opaque) {
        this.calls = calls;
        this.opaque = opaque;
    }

    /** Whether the script uses its keys in ways the agent cannot follow. */
    public boolean opaque() {
        return opaque;
    }

    /** Scripts read so far, by text: an application sends the same few scripts again and again. */
    private static final int CACHED = 512;
    private static final Map<String, LuaScript> CACHE = new LinkedHashMap<String, LuaScript>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LuaScript> eldest) {
            return size() > CACHED;
        }
    };

    /** The script of this text, read once. */
    public static LuaScript of(byte[] text) {
        String source = new String(text, StandardCharsets.UTF_8);
        synchronized (CACHE) {
            LuaScript script = CACHE.get(source);
            if (script == null) CACHE.put(source, script = parse(source));
            return script;
        }
    }

    /** Reads a script's text. Never throws: a text it cannot read is {@link #opaque()}. */
    public static LuaScript parse(String text) {
        try {
            return new Parser(Lexer.tokens(text)).parse();
        } catch (RuntimeException e) {
            return OPAQUE;
        }
    }

    /**
     * Applies the script's calls, in order, to the tracked keys: {@code cmd} is the EVAL as sent (script, numkeys,
     * keys..., args...), and each call's reply is unknown, so the {@link CommandInterpreter} counts only what a call
     * does whatever it answers (SET, HSET, DEL, not SET NX). A conditional call never starts tracking a key: it may add
     * to a key already tracked, and its deletions and expiries apply (the safe side: a key the agent forgets stays in
     * Redis, a key it wrongly keeps could one day be removed when it has become another's). A call on a key that is
     * not one of the declared keys (a name the script builds) is skipped: the agent cannot know it.
     *
     * @param keyIndex index in {@code cmd} of the first declared key
     * @param keyCount the number of declared keys
     */
    void apply(CommandView cmd, int keyIndex, int keyCount, KeyOps ops) {
        int argvIndex = keyIndex + keyCount;
        ConditionalOps conditional = null;
        Resolved view = new Resolved();
        for (Call call : calls) {
            byte[] name = resolve(call.command, cmd, keyIndex, keyCount, argvIndex, 0);
            if (name == null || name.length == 0) continue;
            boolean anyKey = false;
            for (Arg a : call.args) anyKey |= a.kind == ANY_KEY;
            // A call on KEYS[i] runs in a loop, for some of the declared keys: as a conditional call on each.
            for (int k = 1; k <= (anyKey ? keyCount : 1); k++) {
                view.clear();
                for (Arg a : call.args) view.add(a, resolve(a, cmd, keyIndex, keyCount, argvIndex, k));
                CommandSpec spec = CommandTable.lookup(new String(name, StandardCharsets.UTF_8),
                        view.argCount() > 0 ? view.arg(0) : null);
                if (spec == null || !onKeys(spec.effect()) || !declaredKeys(spec, view)) continue;
                KeyOps target = ops;
                if (call.conditional || anyKey) {
                    if (conditional == null) conditional = new ConditionalOps(ops);
                    target = conditional;
                }
                CommandInterpreter.apply(spec, view, UNKNOWN, target);
            }
        }
    }

    /** The reply of each call: never set, so always unknown. */
    private static final Outcome UNKNOWN = new Outcome();

    /** Effects on keys: a script cannot change its connection's database or transaction, or call a script. */
    private static boolean onKeys(Effect effect) {
        switch (effect) {
            case SELECT: case MULTI: case EXEC: case DISCARD: case RESET: case AUTH: case UNPAIRED: case SCRIPT:
                return false;
            default:
                return true;
        }
    }

    /** Whether every key of the call, where the spec puts them, is one of the script's declared keys. */
    private static boolean declaredKeys(CommandSpec spec, Resolved view) {
        KeySpec keys = spec.keys();
        int n = keys.count(view);
        if (n == 0 && spec.effect() != Effect.FLUSHDB && spec.effect() != Effect.FLUSHALL
                && spec.effect() != Effect.SWAPDB) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int k = keys.keyIndex(view, i);
            if (k >= view.argCount() || view.kinds[k] != KEY) return false;
        }
        return true;
    }

    /** What an argument held at run time; {@code anyKey} is the declared key an {@link #ANY_KEY} stands for. */
    private static byte[] resolve(Arg a, CommandView cmd, int keyIndex, int keyCount, int argvIndex, int anyKey) {
        switch (a.kind) {
            case KEY:
                return a.index >= 1 && a.index <= keyCount ? cmd.arg(keyIndex + a.index - 1) : null;
            case ANY_KEY:
                return anyKey >= 1 && anyKey <= keyCount ? cmd.arg(keyIndex + anyKey - 1) : null;
            case ARGV:
                return argvIndex + a.index - 1 < cmd.argCount() && a.index >= 1
                        ? cmd.arg(argvIndex + a.index - 1) : null;
            case LITERAL:
                return a.literal;
            default:
                return null;
        }
    }

    /** A call's arguments as they were at run time, where the text tells them. */
    private static final class Resolved implements CommandView {
        private static final byte[] UNKNOWN_ARG = new byte[0];
        byte[][] args = new byte[8][];
        int[] kinds = new int[8];
        int count;

        void clear() {
            count = 0;
        }

        void add(Arg a, byte[] value) {
            if (count == args.length) {
                args = Arrays.copyOf(args, count * 2);
                kinds = Arrays.copyOf(kinds, count * 2);
            }
            // A declared key the invocation did not pass is not a key of it.
            kinds[count] = value == null ? OTHER : a.kind == ANY_KEY ? KEY : a.kind;
            args[count++] = value == null ? UNKNOWN_ARG : value;
        }

        @Override
        public int argCount() {
            return count;
        }

        @Override
        public byte[] arg(int index) {
            if (index >= count) throw new IndexOutOfBoundsException(index + " of " + count);
            return args[index];
        }
    }

    /** What a call that may not have run may do: never start tracking a key, nor keep one it may have moved away. */
    private static final class ConditionalOps implements KeyOps {
        private final KeyOps ops;

        ConditionalOps(KeyOps ops) {
            this.ops = ops;
        }

        @Override
        public void write(byte[] key, long bytes, boolean replace) {
            if (ops.isTracked(key)) ops.write(key, bytes, replace);
        }

        @Override public boolean isTracked(byte[] key) { return ops.isTracked(key); }
        @Override public void delete(byte[] key) { ops.delete(key); }
        @Override public void rename(byte[] from, byte[] to) { ops.delete(from); }
        @Override public void move(byte[] key, int toDb) { ops.delete(key); }
        @Override public void copy(byte[] from, int toDb, byte[] to) { /* the copy may not exist */ }
        @Override
        public void expireAt(byte[] key, long epochMillis) {
            if (ops.isTracked(key)) ops.expireAt(key, epochMillis); // the sooner end, if it happened
        }
        @Override public void persist(byte[] key) { /* it may still expire: keep the earlier end */ }
        @Override public void flushDb() { ops.flushDb(); }
        @Override public void flushAll() { ops.flushAll(); }
        @Override public void swapDb(int a, int b) { /* may not have happened: nothing is certain of either */ }
        @Override public int db() { return ops.db(); }
        @Override public long now() { return ops.now(); }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** A token of Lua source. */
    private static final class Token {
        static final int NAME = 1;
        static final int STRING = 2;
        static final int NUMBER = 3;
        static final int PUNCT = 4;

        final int type;
        final String text;

        Token(int type, String text) {
            this.type = type;
            this.text = text;
        }

        boolean is(String s) {
            return (type == NAME || type == PUNCT) && text.equals(s);
        }
    }

    /** Splits Lua source into tokens, dropping comments; strings keep their decoded value. */
    private static final class Lexer {
        private final String s;
        private int i;
        private final List<Token> out = new ArrayList<>();

        private Lexer(String s) {
            this.s = s;
        }

        static List<Token> tokens(String s) {
            Lexer l = new Lexer(s);
            l.run();
            return l.out;
        }

        private void run() {
            int n = s.length();
            while (i < n) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (s.startsWith("--", i)) {
                    i += 2;
                    int level = longBracket();
                    if (level >= 0) longString(level);
                    else while (i < n && s.charAt(i) != '\n') i++;
                } else if (c == '\'' || c == '"') {
                    out.add(new Token(Token.STRING, quoted(c)));
                } else if (c == '[' && longBracket() >= 0) {
                    out.add(new Token(Token.STRING, longString(longBracket())));
                } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                    int start = i;
                    // Decimal exponents take a sign after e, hexadecimal ones after p.
                    String exponent = s.startsWith("0x", i) || s.startsWith("0X", i) ? "pP" : "eE";
                    while (i < n) {
                        char d = s.charAt(i);
                        boolean sign = (d == '+' || d == '-') && exponent.indexOf(s.charAt(i - 1)) >= 0;
                        if (Character.isLetterOrDigit(d) || d == '.' || sign) i++;
                        else break;
                    }
                    out.add(new Token(Token.NUMBER, s.substring(start, i)));
                } else if (Character.isLetter(c) || c == '_') {
                    int start = i;
                    while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
                    out.add(new Token(Token.NAME, s.substring(start, i)));
                } else {
                    String p = punct();
                    out.add(new Token(Token.PUNCT, p));
                    i += p.length();
                }
            }
        }

        private String punct() {
            for (String p : new String[] {"...", "..", "==", "~=", "<=", ">=", "::", "//", "<<", ">>"}) {
                if (s.startsWith(p, i)) return p;
            }
            return String.valueOf(s.charAt(i));
        }

        /** At {@code [[} or {@code [==[}: its level (the number of {@code =}); else -1. Does not move. */
        private int longBracket() {
            if (i >= s.length() || s.charAt(i) != '[') return -1;
            int j = i + 1;
            while (j < s.length() && s.charAt(j) == '=') j++;
            return j < s.length() && s.charAt(j) == '[' ? j - i - 1 : -1;
        }

        private String longString(int level) {
            int start = i + level + 2;
            String close = "]" + "=".repeat(level) + "]";
            int end = s.indexOf(close, start);
            if (end < 0) throw new IllegalArgumentException("unfinished long string");
            i = end + close.length();
            String body = s.substring(start, end);
            return body.startsWith("\n") ? body.substring(1) : body;
        }

        private String quoted(char quote) {
            StringBuilder b = new StringBuilder();
            i++;
            while (true) {
                if (i >= s.length()) throw new IllegalArgumentException("unfinished string");
                char c = s.charAt(i++);
                if (c == quote) return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case '\\': case '"': case '\'': b.append(e); break;
                    default:
                        // Other escapes (\ddd, \x, \z, a newline) do not occur in command names: keep them as read.
                        b.append('\\').append(e);
                }
            }
        }
    }

    /** Finds the calls in the token stream, with the blocks around them. */
    private static final class Parser {
        private static final int IF = 1;
        private static final int LOOP = 2;
        private static final int LOOP_HEAD = 3;
        private static final int REPEAT = 4;
        private static final int FUNCTION = 5;
        private static final int DO = 6;

        private final List<Token> t;
        private final List<Call> calls = new ArrayList<>();
        private final int[] blocks;
        private int depth;
        /** A return, break or error may have ended the script or a loop before what follows. */
        private boolean mayHaveLeft;
        /** Names given a declared key once ({@code local k = KEYS[1]}): the key's index; -1 once given another. */
        private final Map<String, Integer> aliases = new HashMap<>();
        /** Where {@code KEYS} is a whole argument of a call. */
        private final Set<Integer> seen = new HashSet<>();
        private boolean opaque;

        Parser(List<Token> tokens) {
            this.t = tokens;
            this.blocks = new int[tokens.size() + 1];
        }

        LuaScript parse() {
            for (int p = 0; p < t.size(); p++) {
                Token k = t.get(p);
                if (k.type == Token.NAME) {
                    switch (k.text) {
                        case "if": push(IF); continue;
                        case "while": case "for": push(LOOP_HEAD); continue;
                        case "repeat": push(REPEAT); continue;
                        case "function": push(FUNCTION); continue;
                        case "do":
                            if (depth > 0 && blocks[depth - 1] == LOOP_HEAD) blocks[depth - 1] = LOOP;
                            else push(DO);
                            continue;
                        case "end": case "until":
                            if (depth == 0) throw new IllegalArgumentException("unbalanced " + k.text);
                            depth--;
                            continue;
                        case "return": case "goto":
                            // What follows a return in its block is its value, which runs with it; what follows
                            // the block runs only if the return did not.
                            if (conditional()) mayHaveLeft = true;
                            continue;
                        case "break":
                            continue; // leaves a loop, whose body is conditional already
                        case "error":
                            if (next(p, "(")) mayHaveLeft = true;
                            continue;
                        case "KEYS":
                            keysUse(p);
                            continue;
                        case "local":
                            p = local(p);
                            continue;
                        default:
                            if (isCall(p)) call(p);
                            else if (aliases.containsKey(k.text) && next(p, "=")) aliases.put(k.text, -1);
                    }
                }
            }
            if (depth != 0) throw new IllegalArgumentException("unbalanced blocks");
            return result();
        }

        private LuaScript result() {
            if (opaque || aliases.containsValue(-1)) return OPAQUE;
            calls.sort((a, b) -> Integer.compare(a.end, b.end));
            return new LuaScript(List.copyOf(calls), false);
        }

        private void push(int block) {
            blocks[depth++] = block;
        }

        /** Whether code here may not run every time the script does. */
        private boolean conditional() {
            if (mayHaveLeft) return true;
            for (int d = 0; d < depth; d++) if (blocks[d] != DO) return true;
            return false;
        }

        private boolean next(int p, String s) {
            return p + 1 < t.size() && t.get(p + 1).is(s);
        }

        /** {@code KEYS} outside a call's arguments: fine in {@code #KEYS}; anything else cannot be followed. */
        private void keysUse(int p) {
            if (seen.contains(p) || p > 0 && t.get(p - 1).is("#")) return;
            opaque = true;
        }

        /** {@code local name = KEYS[n]} (an alias of a declared key); returns where to go on from. */
        private int local(int p) {
            // local a, b = ... and local function: whatever they hold, KEYS in them is seen (and judged) as usual.
            if (p + 6 < t.size() && t.get(p + 1).type == Token.NAME && t.get(p + 2).is("=")
                    && t.get(p + 3).is("KEYS") && t.get(p + 4).is("[") && t.get(p + 5).type == Token.NUMBER
                    && t.get(p + 6).is("]") && !continuesExpression(p + 7)) {
                String name = t.get(p + 1).text;
                aliases.put(name, aliases.containsKey(name) ? -1 : Integer.parseInt(t.get(p + 5).text));
                return p + 6;
            }
            return p;
        }

        /** Whether the token at {@code p} carries on the expression before it (so that a KEYS[n] was only a part). */
        private boolean continuesExpression(int p) {
            if (p >= t.size()) return false;
            Token k = t.get(p);
            if (k.type == Token.NAME) return k.text.equals("and") || k.text.equals("or");
            if (k.type != Token.PUNCT) return false;
            switch (k.text) {
                case ";": case ")": case "]": case "}": case ",":
                    return false;
                default:
                    return true;
            }
        }

        /** {@code redis.call(}, {@code redis.pcall(}, {@code server.call(}, {@code server.pcall(}. */
        private boolean isCall(int p) {
            Token k = t.get(p);
            if (!(k.text.equals("redis") || k.text.equals("server")) || p + 3 >= t.size()) return false;
            if (p > 0 && t.get(p - 1).is(".")) return false;
            return t.get(p + 1).is(".") && (t.get(p + 2).is("call") || t.get(p + 2).is("pcall"))
                    && t.get(p + 3).is("(");
        }

        private void call(int p) {
            boolean conditional = conditional() || shortCircuited(p);
            int open = p + 3;
            List<Arg> args = new ArrayList<>();
            int start = open + 1;
            int level = 0;
            int q = start;
            for (; q < t.size(); q++) {
                Token k = t.get(q);
                if (k.is("(") || k.is("[") || k.is("{")) level++;
                else if (k.is(")") || k.is("]") || k.is("}")) {
                    if (level == 0) break;
                    level--;
                } else if (k.is(",") && level == 0) {
                    args.add(arg(start, q));
                    start = q + 1;
                }
            }
            if (q >= t.size()) throw new IllegalArgumentException("unfinished call");
            if (q > start) args.add(arg(start, q));
            if (args.isEmpty()) return;
            calls.add(new Call(args.get(0), args.subList(1, args.size()).toArray(new Arg[0]), conditional, q));
        }

        /** Whether the call is the right side of an {@code and}/{@code or}: it may not run. */
        private boolean shortCircuited(int p) {
            int q = p - 1;
            while (q >= 0 && (t.get(q).is("(") || t.get(q).is("not"))) q--;
            return q >= 0 && (t.get(q).is("and") || t.get(q).is("or"));
        }

        /** One argument, tokens [from, to): a declared key, an ARGV, a literal, or something else. */
        private Arg arg(int from, int to) {
            int n = to - from;
            Token first = t.get(from);
            if (n == 4 && (first.is("KEYS") || first.is("ARGV")) && t.get(from + 1).is("[")
                    && t.get(from + 2).type == Token.NUMBER && t.get(from + 3).is("]")) {
                int index = Integer.parseInt(t.get(from + 2).text);
                if (first.is("KEYS")) {
                    markKeysSeen(from);
                    return new Arg(KEY, index, null);
                }
                return new Arg(ARGV, index, null);
            }
            if (n == 4 && first.is("KEYS") && t.get(from + 1).is("[") && t.get(from + 2).type == Token.NAME
                    && t.get(from + 3).is("]")) {
                markKeysSeen(from);
                return new Arg(ANY_KEY, 0, null);
            }
            // tostring(ARGV[n]) and tonumber(ARGV[n]) send what ARGV[n] holds.
            if (n == 7 && (first.is("tostring") || first.is("tonumber")) && t.get(from + 1).is("(")
                    && t.get(from + 2).is("ARGV") && t.get(from + 3).is("[") && t.get(from + 4).type == Token.NUMBER
                    && t.get(from + 5).is("]") && t.get(from + 6).is(")")) {
                return new Arg(ARGV, Integer.parseInt(t.get(from + 4).text), null);
            }
            if (n == 1 && first.type == Token.STRING) {
                return new Arg(LITERAL, 0, first.text.getBytes(StandardCharsets.UTF_8));
            }
            if (n == 1 && first.type == Token.NUMBER) {
                return new Arg(LITERAL, 0, first.text.getBytes(StandardCharsets.US_ASCII));
            }
            if (n == 1 && first.type == Token.NAME && aliases.containsKey(first.text)) {
                int index = aliases.get(first.text);
                return index > 0 ? new Arg(KEY, index, null) : new Arg(OTHER, 0, null);
            }
            return new Arg(OTHER, 0, null);
        }

        /** A KEYS[n] taken whole as a call's argument is followed: the main loop must not judge it again. */
        private void markKeysSeen(int p) {
            seen.add(p);
        }
    }
}
