package io.gcsflush.track;

import java.util.Arrays;

/** A binary min-heap of (expiry time, record handle) pairs, packed into longs; times are unsigned epoch seconds. */
final class ExpiryQueue {
    private long[] heap = new long[16];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void clear() {
        heap = new long[16];
        size = 0;
    }

    void add(int time, int handle) {
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        long entry = (time & 0xFFFFFFFFL) << 32 | (handle & 0xFFFFFFFFL);
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (Long.compareUnsigned(heap[parent], entry) <= 0) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = entry;
    }

    /** The earliest time; only when not empty. */
    int peekTime() {
        return (int) (heap[0] >>> 32);
    }

    /** Removes the earliest entry and returns its handle; only when not empty. */
    int poll() {
        long top = heap[0];
        long last = heap[--size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && Long.compareUnsigned(heap[child + 1], heap[child]) < 0) child++;
            if (Long.compareUnsigned(last, heap[child]) <= 0) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
        if (heap.length > 64 && size < heap.length / 4) heap = Arrays.copyOf(heap, heap.length / 2);
        return (int) top;
    }

    long memoryBytes() {
        return 16L + 8L * heap.length;
    }
}
