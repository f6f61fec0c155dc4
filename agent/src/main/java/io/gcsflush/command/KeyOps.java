package io.gcsflush.command;

/**
 * What a command can do to the tracked keys of one connection's current database. The interpreter calls these once
 * it has decided, from the command and its reply, what the server did.
 */
public interface KeyOps {
    /** A write: a new key is created, a known one grows by {@code bytes} or, if {@code replace}, is replaced. */
    void write(byte[] key, long bytes, boolean replace);

    boolean isTracked(byte[] key);

    void delete(byte[] key);

    void rename(byte[] from, byte[] to);

    void move(byte[] key, int toDb);

    void copy(byte[] from, int toDb, byte[] to);

    /** The key expires at this epoch time in milliseconds. */
    void expireAt(byte[] key, long epochMillis);

    void persist(byte[] key);

    void flushDb();

    void flushAll();

    void swapDb(int a, int b);

    /** The connection's current database; -1 if it is not known. */
    int db();

    /** Milliseconds since the epoch, for relative expiry times. */
    long now();
}
