package io.gcsflush.order;

import io.gcsflush.track.KeyLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The oldest keys of one server, picked for one flush, with what is needed to confirm each removal later. */
public final class FlushBatch {
    private int[] handles;
    private int[] dbs;
    private final List<byte[]> keys;

    FlushBatch(int capacity) {
        handles = new int[Math.min(capacity, 1024)];
        dbs = new int[handles.length];
        keys = new ArrayList<>(handles.length);
    }

    /** Picks up to {@code max} of the oldest keys of a log; the caller holds the tracker's lock. */
    static FlushBatch oldest(KeyLog log, int max) {
        FlushBatch batch = new FlushBatch(max);
        log.scanOldest(max, batch::add);
        return batch;
    }

    void add(int handle, int db, byte[] key) {
        int n = keys.size();
        if (n == handles.length) {
            handles = Arrays.copyOf(handles, n * 2);
            dbs = Arrays.copyOf(dbs, n * 2);
        }
        handles[n] = handle;
        dbs[n] = db;
        keys.add(key);
    }

    public int size() {
        return keys.size();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public byte[] key(int i) {
        return keys.get(i);
    }

    public int db(int i) {
        return dbs[i];
    }

    int handle(int i) {
        return handles[i];
    }

    List<byte[]> keys() {
        return keys;
    }
}
