package io.gcsflush.it.apps;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The key names of the fuzz application: a small pool per type of value (so that commands meet the same keys again
 * and again), names that no text protocol likes (empty, newlines, backslashes, NUL, bytes that are not UTF-8, glob
 * characters), and the test's own keys in database 0, which the application only reads or tries to write where the
 * server refuses.
 */
public final class FuzzKeys {
    /** The databases the application uses; the test's own keys are in database 0, never flushed nor swapped. */
    public static final int DBS = 4;
    /** Names per type of value. */
    public static final int POOL = 32;
    /** The prefix of the test's own keys ({@code ForeignKeys.conditionalTargets}). */
    public static final String FOREIGN = "foreign";
    public static final String[] TYPES = {"str", "hash", "list", "set", "zset", "stream", "hll", "geo"};

    /** Names that no type owns, with bytes a text format must escape. */
    public static final List<byte[]> ODD = List.of(
            new byte[0],
            bytes("\n"),
            bytes("a\nb"),
            bytes("\\"),
            bytes("\\5c"),
            bytes("\r\n"),
            bytes(" "),
            bytes("key with spaces"),
            new byte[] {0},
            new byte[] {0, 0, (byte) 0xff},
            "é".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xfd},
            bytes("k".repeat(300)),
            bytes("gcs-flush"),
            bytes("gcs-flush:journal:x"),
            bytes("{tag}key"),
            bytes("*"),
            bytes("?[a]"),
            bytes("a\tb"),
            bytes("\\\n\\"));

    private FuzzKeys() {
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] pooled(int type, int i) {
        return bytes(TYPES[type] + ":" + i);
    }

    /** Every name the application may write, in any database. */
    public static List<byte[]> all() {
        List<byte[]> all = new ArrayList<>(ODD);
        for (int t = 0; t < TYPES.length; t++) for (int i = 0; i < POOL; i++) all.add(pooled(t, i));
        return all;
    }

    public static boolean isForeign(byte[] key) {
        byte[] prefix = bytes(FOREIGN + ":");
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** A key as text for messages: printable ASCII as is, anything else escaped. */
    public static String show(byte[] key) {
        StringBuilder b = new StringBuilder("'");
        for (byte x : key) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        if (key.length > 40) return b.substring(0, 30) + "...(" + key.length + " bytes)'";
        return b.append('\'').toString();
    }

    /** Lower-case hex, the dump's and the explanation file's form of a key. */
    public static String hex(byte[] key) {
        StringBuilder b = new StringBuilder(key.length * 2);
        for (byte x : key) b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        return b.toString();
    }

    public static byte[] unhex(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
