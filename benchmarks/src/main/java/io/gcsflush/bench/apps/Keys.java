package io.gcsflush.bench.apps;

import java.nio.charset.StandardCharsets;

/** Key names such as {@code key:0000000042}, made without String.format so the apps spend little time on them. */
final class Keys {
    private Keys() {}

    /** {@code prefix} followed by {@code i} zero-padded to {@code digits} digits, as ASCII bytes. */
    static byte[] key(byte[] prefix, long i, int digits) {
        byte[] k = new byte[prefix.length + digits];
        System.arraycopy(prefix, 0, k, 0, prefix.length);
        for (int p = k.length - 1; p >= prefix.length; p--) {
            k[p] = (byte) ('0' + (i % 10));
            i /= 10;
        }
        return k;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A value of {@code n} printable bytes. */
    static byte[] value(int n) {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) v[i] = (byte) ('a' + i % 26);
        return v;
    }
}
