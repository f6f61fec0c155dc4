package io.gcsflush.demo;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** What all writers have done so far: entries Redis acknowledged, writes that failed, the latest failure. */
final class WriteCounters {
    private final LongAdder written = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();

    void written(int entries) {
        written.add(entries);
    }

    void failed(Throwable cause) {
        failed.increment();
        lastFailure.set(describe(cause));
    }

    long written() {
        return written.sum();
    }

    long failed() {
        return failed.sum();
    }

    /** The latest failure not yet reported, or null. */
    String takeLastFailure() {
        return lastFailure.getAndSet(null);
    }

    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
