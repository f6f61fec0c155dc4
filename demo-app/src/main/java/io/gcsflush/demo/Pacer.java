package io.gcsflush.demo;

import java.util.concurrent.TimeUnit;

/** Holds one writer to its share of {@code --rate}: it sleeps off any lead it has on its schedule. */
final class Pacer {
    private static final long MAX_CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final double nanosPerEntry;
    private boolean started;
    private long due;

    /** @param entriesPerSecond this writer's share; 0 for no cap */
    Pacer(double entriesPerSecond) {
        this.nanosPerEntry = entriesPerSecond > 0 ? 1e9 / entriesPerSecond : 0;
    }

    /** Accounts for {@code entries} just sent and sleeps until the schedule allows more. */
    void pace(int entries) throws InterruptedException {
        if (nanosPerEntry == 0) return;
        long now = System.nanoTime();
        if (!started) {
            started = true;
            due = now;
        }
        // After a stall, do not burst to make up for lost time.
        if (now - due > MAX_CATCH_UP_NANOS) due = now - MAX_CATCH_UP_NANOS;
        due += (long) (entries * nanosPerEntry);
        long ahead = due - now;
        if (ahead > 0) TimeUnit.NANOSECONDS.sleep(ahead);
    }
}
