package io.gcsflush.command;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What each Redis command does to keys, in one table that can be read against the command reference
 * (https://redis.io/commands). Commands not listed change no key the agent tracks (reads, and writes that can only
 * shrink or delete a value, such as LPOP or SREM, which the agent leaves to the server).
 *
 * <p>Columns: the command (with its subcommand, if any); its {@link Effect}; where its keys are, counting arguments
 * from 1 after the command name; and when it took effect, judged from the reply. Keys: {@code 1} the first argument,
 * {@code 1,2} the first two, {@code 1..} every argument, {@code 1..+2} every other argument from the first (MSET),
 * {@code numkeys@2} a count at argument 2 followed by that many keys (EVAL), {@code opt:STORE} the argument after an
 * option, {@code -} none. When: {@code ok} unless the reply is an error; {@code =1} only if the reply is 1 (or true);
 * {@code >0} only if the reply is a positive number; {@code non-nil} only if the reply is not nil; {@code options}
 * decided by the command's options (SET, ZADD, XADD...), see {@link CommandInterpreter}. An error reply never takes
 * effect.
 */
public final class CommandTable {

    private static final String[] TABLE = {
        // command            effect          keys         when
        // -- strings
        "APPEND               ADD             1            ok",
        "BITFIELD             ADD             1            options",
        "BITOP                STORE           2            ok",
        "DECR                 ADD             1            ok",
        "DECRBY               ADD             1            ok",
        "GETDEL               DELETE          1            ok",
        "GETEX                GETEX           1            non-nil",
        "GETSET               REPLACE         1            ok",
        "INCR                 ADD             1            ok",
        "INCRBY               ADD             1            ok",
        "INCRBYFLOAT          ADD             1            ok",
        "MSET                 REPLACE         1..+2        ok",
        "MSETNX               REPLACE         1..+2        =1",
        "PSETEX               REPLACE         1            ok",
        "SET                  REPLACE         1            options",
        "SETBIT               ADD             1            ok",
        "SETEX                REPLACE         1            ok",
        "SETNX                REPLACE         1            =1",
        "SETRANGE             ADD             1            options",
        // -- hashes
        "HINCRBY              ADD             1            ok",
        "HINCRBYFLOAT         ADD             1            ok",
        "HMSET                ADD             1            ok",
        "HSET                 ADD             1            ok",
        "HSETEX               ADD             1            =1",
        "HSETNX               ADD             1            =1",
        // -- lists
        "BLMOVE               MOVE_ELEMENT    1,2          non-nil",
        "BRPOPLPUSH           MOVE_ELEMENT    1,2          non-nil",
        "LINSERT              ADD_IF_EXISTS   1            >0",
        "LMOVE                MOVE_ELEMENT    1,2          non-nil",
        "LPUSH                ADD             1            ok",
        "LPUSHX               ADD_IF_EXISTS   1            >0",
        "LSET                 ADD_IF_EXISTS   1            ok",
        "RPOPLPUSH            MOVE_ELEMENT    1,2          non-nil",
        "RPUSH                ADD             1            ok",
        "RPUSHX               ADD_IF_EXISTS   1            >0",
        // -- sets
        "SADD                 ADD             1            ok",
        "SDIFFSTORE           STORE           1            ok",
        "SINTERSTORE          STORE           1            ok",
        "SMOVE                MOVE_ELEMENT    1,2          =1",
        "SUNIONSTORE          STORE           1            ok",
        // -- sorted sets
        "ZADD                 ADD             1            options",
        "ZDIFFSTORE           STORE           1            ok",
        "ZINCRBY              ADD             1            ok",
        "ZINTERSTORE          STORE           1            ok",
        "ZRANGESTORE          STORE           1            ok",
        "ZUNIONSTORE          STORE           1            ok",
        // -- streams
        "XADD                 ADD             1            options",
        "XGROUP CREATE        ADD             2            options",
        // -- hyperloglog, geo
        "PFADD                ADD             1            ok",
        "PFMERGE              ADD             1            ok",
        "GEOADD               ADD             1            options",
        "GEORADIUS            STORE           opt:STORE    ok",
        "GEORADIUSBYMEMBER    STORE           opt:STORE    ok",
        "GEOSEARCHSTORE       STORE           1            ok",
        // -- keys
        "COPY                 COPY            1,2          =1",
        "DEL                  DELETE          1..          ok",
        "EXPIRE               EXPIRE          1            =1",
        "EXPIREAT             EXPIRE          1            =1",
        "MOVE                 MOVE            1            =1",
        "PERSIST              PERSIST         1            =1",
        "PEXPIRE              EXPIRE          1            =1",
        "PEXPIREAT            EXPIRE          1            =1",
        "RENAME               RENAME          1,2          ok",
        "RENAMENX             RENAME          1,2          =1",
        "RESTORE              REPLACE         1            ok",
        "SORT                 STORE           opt:STORE    ok",
        "UNLINK               DELETE          1..          ok",
        // -- scripts and functions: what an EVAL's body does to its keys (LuaScript), else the keys taken as written
        "EVAL                 SCRIPT          numkeys@2    ok",
        "EVALSHA              SCRIPT          numkeys@2    ok",
        "FCALL                SCRIPT          numkeys@2    ok",
        // -- the connection and the server
        "AUTH                 AUTH            -            ok",
        "CLIENT REPLY         UNPAIRED        -            ok",
        "DISCARD              DISCARD         -            ok",
        "EXEC                 EXEC            -            ok",
        "FLUSHALL             FLUSHALL        -            ok",
        "FLUSHDB              FLUSHDB         -            ok",
        "HELLO                AUTH            -            ok",
        "MONITOR              UNPAIRED        -            ok",
        "MULTI                MULTI           -            ok",
        "PSUBSCRIBE           UNPAIRED        -            ok",
        "RESET                RESET           -            ok",
        "SELECT               SELECT          -            ok",
        "SSUBSCRIBE           UNPAIRED        -            ok",
        "SUBSCRIBE            UNPAIRED        -            ok",
        "SWAPDB               SWAPDB          -            ok",
    };

    private static final Map<String, CommandSpec> COMMANDS = new HashMap<>();
    /** Commands that have subcommands in the table: the spec is chosen by the first argument. */
    private static final Map<String, Map<String, CommandSpec>> SUBCOMMANDS = new HashMap<>();

    static {
        for (String row : TABLE) {
            String[] cols = row.trim().split("\\s+");
            boolean sub = cols.length == 5;
            String name = cols[0];
            int c = sub ? 2 : 1;
            CommandSpec spec = new CommandSpec(sub ? name + " " + cols[1] : name, Effect.valueOf(cols[c]),
                    KeySpec.parse(cols[c + 1]), CommandSpec.When.parse(cols[c + 2]));
            if (sub) {
                Map<String, CommandSpec> subs = SUBCOMMANDS.get(name);
                if (subs == null) SUBCOMMANDS.put(name, subs = new HashMap<>());
                subs.put(cols[1], spec);
            }
            else COMMANDS.put(name, spec);
        }
    }

    private CommandTable() {}

    /**
     * The spec of a command, or null if the command changes no tracked key.
     *
     * @param name the command name, any case
     * @param firstArgument the first argument, for commands with subcommands; may be null
     */
    public static CommandSpec lookup(String name, byte[] firstArgument) {
        String upper = name.toUpperCase(Locale.ROOT);
        CommandSpec spec = COMMANDS.get(upper);
        if (spec != null) return spec;
        Map<String, CommandSpec> subs = SUBCOMMANDS.get(upper);
        if (subs == null || firstArgument == null) return null;
        return subs.get(new String(firstArgument, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT));
    }

    /** Whether the command's spec depends on its first argument (it has subcommands in the table). */
    public static boolean hasSubcommands(String name) {
        return SUBCOMMANDS.containsKey(name.toUpperCase(Locale.ROOT));
    }

    /** Every command in the table, for documentation and tests. */
    public static Map<String, CommandSpec> all() {
        Map<String, CommandSpec> all = new HashMap<>(COMMANDS);
        for (Map<String, CommandSpec> subs : SUBCOMMANDS.values()) {
            for (CommandSpec s : subs.values()) all.put(s.name(), s);
        }
        return all;
    }
}
