package io.gcsflush.demo;

import java.util.concurrent.TimeUnit;

/** A writer thread's loop: write a batch of new entries, keep to the rate, back off when Redis fails. */
abstract class MetadataWriter implements Runnable {
    /** Entries per batch without a rate cap; with one, smaller batches keep the flow smooth. */
    static final int BATCH = 50;
    private static final long BACKOFF_MILLIS = 500;

    protected final MetadataGenerator generator;
    protected final WriteCounters counters;
    private final Pacer pacer;
    private final int batch;
    private volatile boolean running = true;

    /** @param entriesPerSecond this writer's share of {@code --rate}, or 0 for no cap */
    MetadataWriter(MetadataGenerator generator, WriteCounters counters, double entriesPerSecond) {
        this.generator = generator;
        this.counters = counters;
        this.pacer = new Pacer(entriesPerSecond);
        this.batch = entriesPerSecond > 0 ? (int) Math.max(1, Math.min(BATCH, entriesPerSecond / 20)) : BATCH;
    }

    @Override
    public final void run() {
        try {
            while (running) {
                try {
                    writeBatch(batch);
                    pacer.pace(batch);
                } catch (RuntimeException e) {
                    if (!running) break;
                    counters.failed(e);
                    TimeUnit.MILLISECONDS.sleep(BACKOFF_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drain();
        }
    }

    /** Asks the loop to end after the batch in hand. */
    void stop() {
        running = false;
    }

    boolean isRunning() {
        return running;
    }

    /** Sends {@code n} new entries and counts those Redis acknowledged (now or later). */
    protected abstract void writeBatch(int n) throws InterruptedException;

    /** Waits briefly for writes still in flight when the loop ends. */
    protected void drain() {}
}
