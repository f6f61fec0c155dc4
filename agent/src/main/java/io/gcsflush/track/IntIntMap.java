package io.gcsflush.track;

import java.util.Arrays;

/**
 * A small open-addressing map from int to int, for the few records that carry extra facts (an expiry time). Keys are
 * record handles, which may be any int: the one the table uses to mark free slots is kept aside.
 */
final class IntIntMap {
    static final int FREE = 0x80000000;
    static final int MISSING = Integer.MIN_VALUE;

    private int[] keys;
    private int[] values;
    private int size;
    private boolean hasFreeKey;
    private int freeKeyValue;

    IntIntMap() {
        clear();
    }

    int size() {
        return size + (hasFreeKey ? 1 : 0);
    }

    void clear() {
        keys = new int[16];
        Arrays.fill(keys, FREE);
        values = new int[16];
        size = 0;
        hasFreeKey = false;
    }

    int get(int key) {
        if (key == FREE) return hasFreeKey ? freeKeyValue : MISSING;
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) return values[i];
            if (k == FREE) return MISSING;
        }
    }

    void put(int key, int value) {
        if (key == FREE) {
            hasFreeKey = true;
            freeKeyValue = value;
            return;
        }
        if ((size + 1) * 4 > keys.length * 3) resize(keys.length * 2);
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == FREE) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    /** Removes the key; linear probing's backward shift keeps lookups correct without tombstones. */
    void remove(int key) {
        if (key == FREE) {
            hasFreeKey = false;
            return;
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == FREE) return;
            i = (i + 1) & mask;
        }
        size--;
        int gap = i;
        for (int j = (gap + 1) & mask; keys[j] != FREE; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            // Move j into the gap unless its home lies cyclically in (gap, j].
            boolean homeBetween = gap <= j ? (home > gap && home <= j) : (home > gap || home <= j);
            if (!homeBetween) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        keys[gap] = FREE;
        if (size * 8 < keys.length && keys.length > 16) resize(keys.length / 2);
    }

    /** Calls the visitor for every entry; the map must not change meanwhile. */
    void forEach(Visitor visitor) {
        if (hasFreeKey) visitor.visit(FREE, freeKeyValue);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != FREE) visitor.visit(keys[i], values[i]);
        }
    }

    long memoryBytes() {
        return 8L * keys.length + 32;
    }

    private void resize(int capacity) {
        int[] oldKeys = keys;
        int[] oldValues = values;
        keys = new int[capacity];
        Arrays.fill(keys, FREE);
        values = new int[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != FREE) put(oldKeys[i], oldValues[i]);
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    interface Visitor {
        void visit(int key, int value);
    }
}
