package io.gcsflush.command;

/** What a command does to the keys the agent tracks. {@link CommandTable} gives each command one. */
public enum Effect {
    /** Creates the key if missing, or adds to it: the size grows by the value bytes (APPEND, HSET, LPUSH, SADD). */
    ADD,
    /** Creates the key if missing, or replaces its value: the size is the new value's; the expiry is cleared (SET, MSET). */
    REPLACE,
    /** Replaces the destination with a result computed by the server (SUNIONSTORE, BITOP); an empty result deletes it. */
    STORE,
    /** Adds to the key only if it already exists; never creates it (LPUSHX, LINSERT, LSET). */
    ADD_IF_EXISTS,
    /** Removes the keys (DEL, UNLINK, GETDEL). */
    DELETE,
    /** RENAME source destination: the key keeps its age under the new name. */
    RENAME,
    /** MOVE key db: the key keeps its age in the other database. */
    MOVE,
    /** COPY source destination [DB db] [REPLACE]: a new key. */
    COPY,
    /** Sets the expiry: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (a time in the past deletes the key). */
    EXPIRE,
    /** Removes the expiry (PERSIST). */
    PERSIST,
    /** Changes the expiry of an existing key according to its options (GETEX). */
    GETEX,
    /** Moves an element into the destination (LMOVE, RPOPLPUSH, SMOVE); the reply tells whether one moved. */
    MOVE_ELEMENT,
    /** EVAL, EVALSHA, FCALL: what the script does to its declared keys ({@link LuaScript}), or, if the agent cannot
     *  read it, the declared keys taken as written. */
    SCRIPT,
    /** SELECT db: the connection's database. */
    SELECT,
    /** SWAPDB a b. */
    SWAPDB,
    /** FLUSHDB: the connection's database is emptied. */
    FLUSHDB,
    /** FLUSHALL: every database is emptied. */
    FLUSHALL,
    /** RESET: the connection returns to database 0, out of any transaction. */
    RESET,
    /** MULTI: later commands are queued until EXEC or DISCARD. */
    MULTI,
    /** EXEC: the queued commands take effect, each with its own reply. */
    EXEC,
    /** DISCARD: the queued commands never happen. */
    DISCARD,
    /** SUBSCRIBE, MONITOR, CLIENT REPLY: replies stop following commands one to one on this connection. */
    UNPAIRED,
    /** AUTH, HELLO: how the connection authenticates, which the agent's own connection may need too. */
    AUTH
}
