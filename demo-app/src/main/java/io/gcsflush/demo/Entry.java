package io.gcsflush.demo;

import java.util.Map;

/** One metadata entry to write: a STRING ({@code value}) or a HASH ({@code fields}) under a new key. */
final class Entry {
    final byte[] key;
    final byte[] value;
    final Map<byte[], byte[]> fields;

    private Entry(byte[] key, byte[] value, Map<byte[], byte[]> fields) {
        this.key = key;
        this.value = value;
        this.fields = fields;
    }

    static Entry string(byte[] key, byte[] value) {
        return new Entry(key, value, null);
    }

    static Entry hash(byte[] key, Map<byte[], byte[]> fields) {
        return new Entry(key, null, fields);
    }

    boolean isHash() {
        return fields != null;
    }
}
