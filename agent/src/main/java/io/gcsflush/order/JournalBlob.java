package io.gcsflush.order;

import java.util.Arrays;

/**
 * One blob of a journal in the making: keys of one database, one a line. A key that contains a newline, starts with
 * a backslash or is empty is written as a backslash and its bytes in hex, so that every line is a key and
 * {@code redis-cli --raw} shows the keys as they are. The header line is the server's to write (see journal.lua).
 */
final class JournalBlob {
    /** A blob holds at most this many keys... */
    static final int MAX_KEYS = 1024;
    /** ...and about this many bytes: a flush step or a sweep reads one blob at a time. */
    static final int MAX_BYTES = 16 << 10;

    /** Its database; changed by the application's SWAPDB before it is appended. */
    int db;
    private byte[] body = new byte[256];
    private int length;
    private int count;
    /** The KeyLog cursor just after the blob's last key; -1 until the blob is closed. */
    int cursor = -1;
    /** Keys of the blob that died before it was appended (as {@link #encode} writes them); null if none. */
    java.util.List<byte[]> removals;

    JournalBlob(int db) {
        this.db = db;
    }

    /**
     * A blob built in {@code scratch}, a buffer of its maker's that no other open blob uses, until {@link #close}:
     * one copy of the exact size a blob, instead of a buffer grown by doubling and copied again to be sent.
     */
    JournalBlob(int db, byte[] scratch) {
        this.db = db;
        this.body = scratch;
    }

    /**
     * Done adding: the body becomes an array of its own, of its exact size. Returns the buffer it was built in (the
     * scratch given, or a larger one if a key needed more room), for the next blob.
     */
    byte[] close() {
        byte[] buffer = body;
        body = Arrays.copyOf(buffer, length);
        return buffer;
    }

    /** A blob as a journal held it: its body (after the header line) and its count of keys. */
    static JournalBlob of(int db, byte[] body, int count) {
        JournalBlob blob = new JournalBlob(db);
        blob.body = body;
        blob.length = body.length;
        blob.count = count;
        return blob;
    }

    void add(byte[] key, int from, int len) {
        ensure(1 + 1 + 2 * len);
        if (count > 0) body[length++] = '\n';
        length = write(key, from, len, body, length);
        count++;
    }

    /** A key's line, as a blob holds it. */
    static byte[] encode(byte[] key) {
        byte[] line = new byte[1 + 2 * key.length];
        return Arrays.copyOf(line, write(key, 0, key.length, line, 0));
    }

    private static int write(byte[] key, int from, int len, byte[] to, int at) {
        boolean hex = len == 0 || key[from] == '\\' || contains(key, from, len, (byte) '\n');
        if (!hex) {
            System.arraycopy(key, from, to, at, len);
            return at + len;
        }
        to[at++] = '\\';
        for (int i = from; i < from + len; i++) {
            to[at++] = (byte) Character.forDigit((key[i] >> 4) & 15, 16);
            to[at++] = (byte) Character.forDigit(key[i] & 15, 16);
        }
        return at;
    }

    /** Every key of the blob died before it was appended: each is to be taken out once it is in. */
    void removeAll() {
        removals = new java.util.ArrayList<>(count);
        for (int from = 0, i = 0; i <= length && count > 0; i++) {
            if (i == length || body[i] == '\n') {
                removals.add(Arrays.copyOfRange(body, from, i));
                from = i + 1;
            }
        }
    }

    boolean full() {
        return count >= MAX_KEYS || length >= MAX_BYTES;
    }

    int count() {
        return count;
    }

    int bytes() {
        return length;
    }

    /** The body as sent: the array itself once the blob is closed (never written again), else a copy. */
    byte[] body() {
        return length == body.length ? body : Arrays.copyOf(body, length);
    }

    private void ensure(int more) {
        if (length + more > body.length) body = Arrays.copyOf(body, Math.max(body.length * 2, length + more));
    }

    private static boolean contains(byte[] key, int from, int len, byte b) {
        for (int i = from; i < from + len; i++) if (key[i] == b) return true;
        return false;
    }
}
