package io.gcsflush.track;

import io.gcsflush.Log;
import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.config.Sizes;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MessagePassingQueue;

/**
 * The agent's event thread: drains the {@link EventBuffer} in batches and hands each event to its client family,
 * under the tracker's lock; once a second it forgets expired keys and enforces the key cap. When the buffer is
 * nearly empty it sleeps, a little longer each time, so an idle application costs it almost nothing.
 */
public final class EventProcessor implements Runnable, EventBuffer.Helper {
    static final int BATCH = 4096;
    /**
     * How long to sleep after a batch that did not fill: from 1 ms, doubling while the batches stay small (fewer than
     * {@link #FEW} events, or none), halving when they are larger, up to 8 ms. An idle application then costs the
     * agent about a hundred wake-ups a second; one that sends commands one at a time has them handled in batches of
     * hundreds rather than a wake-up for a few (each wake-up pays its cache misses again); a busy one fills batches and
     * never lets it sleep; and 8 ms at full speed stays well within the buffer.
     */
    private static final long MIN_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(8);
    private static final int FEW = 512;
    /** Keys are forgotten this long after their expiry time, so that clock skew never makes it early. */
    private static final long EXPIRY_GRACE_SECONDS = 2;

    private final EventBuffer buffer;
    private final Tracker tracker;
    private final Recorder recorder;
    private final ClientEvents[] families = new ClientEvents[16];
    private final MessagePassingQueue.Consumer<Object> process = this::process;
    private final EventBuffer.LossConsumer lost = this::lost;
    private volatile boolean running = true;
    private long seenDrops;
    private long nextHousekeeping;
    private long errors;
    private long lastDropWarning = Long.MIN_VALUE;

    public EventProcessor(EventBuffer buffer, Tracker tracker, Recorder recorder) {
        this.buffer = buffer;
        this.tracker = tracker;
        this.recorder = recorder;
    }

    /** Registers the handler of a client family ({@link Bridge#JEDIS}, {@link Bridge#LETTUCE}). */
    public void register(int family, ClientEvents events) {
        families[family >>> 4] = events;
    }

    @Override
    public void run() {
        long idle = MIN_IDLE_NANOS;
        while (running) {
            int n = 0;
            try {
                n = drainOnce();
            } catch (Throwable t) {
                reportError(t);
            }
            if (n >= BATCH) {
                idle = MIN_IDLE_NANOS; // behind: go on at once
            } else {
                LockSupport.parkNanos(idle);
                idle = n < FEW ? Math.min(MAX_IDLE_NANOS, idle * 2) : Math.max(MIN_IDLE_NANOS, idle / 2);
            }
        }
    }

    /** Processes up to one batch of events, and housekeeping when due; returns the number of events. */
    int drainOnce() {
        tracker.lock().lock();
        try {
            return drainLocked();
        } finally {
            tracker.lock().unlock();
        }
    }

    /**
     * An application thread found the buffer full: it drains one batch itself, if nobody holds the lock (the lock
     * makes it the buffer's one consumer meanwhile). Its errors are the agent's, reported and never rethrown.
     */
    @Override
    public boolean tryDrain() {
        if (!tracker.lock().tryLock()) return false;
        try {
            drainLocked();
        } catch (Throwable t) {
            reportError(t);
        } finally {
            tracker.lock().unlock();
        }
        return true;
    }

    private int drainLocked() {
        recorder.now(System.currentTimeMillis());
        int n = buffer.drain(process, BATCH);
        long now = System.nanoTime();
        if (now - nextHousekeeping >= 0) {
            nextHousekeeping = now + TimeUnit.SECONDS.toNanos(1);
            housekeeping();
        }
        return n;
    }

    public void stop() {
        running = false;
    }

    /**
     * Waits, at most {@code timeoutNanos}, until the events the application recorded so far are applied (the JVM is
     * exiting: the last keys it wrote should reach the order). Returns whether they were.
     */
    public boolean awaitApplied(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (buffer.size() > 0) {
            if (System.nanoTime() - deadline >= 0) return false;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        // The last batch drained is applied under the lock: once the lock is had, it is done.
        tracker.lock().lock();
        tracker.lock().unlock();
        return true;
    }

    private void process(Object element) {
        long drops = buffer.dropped();
        if (drops != seenDrops) handleLosses(drops);
        int kind;
        Object source;
        Object payload;
        if (element instanceof Event) {
            Event e = (Event) element;
            kind = e.kind;
            source = e.source;
            payload = e.payload;
        } else {
            kind = EventBuffer.PLAIN_REPLY_KIND;
            source = element;
            payload = EventBuffer.PLAIN_REPLY;
        }
        ClientEvents family = families[kind >>> 4];
        if (family == null) return;
        try {
            family.handle(kind & Bridge.EVENT_MASK, source, payload);
        } catch (Throwable t) {
            reportError(t);
        }
    }

    /** Before any later event is handled, the connections that lost events are made safe. */
    private void handleLosses(long drops) {
        seenDrops = drops;
        buffer.drainLosses(lost);
        long now = System.nanoTime();
        if (lastDropWarning == Long.MIN_VALUE || now - lastDropWarning > TimeUnit.MINUTES.toNanos(1)) {
            Log.warn("the application sent commands faster than the agent could follow: {} events skipped so far "
                    + "(buffer={}); keys they created are not tracked, and the affected connections are followed "
                    + "conservatively from now on. Raise buffer= if this repeats", drops, buffer.capacity());
            lastDropWarning = now;
        }
    }

    private void lost(int family, Object source, int consequences) {
        ClientEvents events = families[family];
        if (events != null) events.lost(source, consequences);
    }

    private void housekeeping() {
        long nowSeconds = System.currentTimeMillis() / 1000 - EXPIRY_GRACE_SECONDS;
        for (ServerEntry server : tracker.serversUnlocked()) server.keys().expire(nowSeconds);
        tracker.enforceCap();
        if (Log.isDebug()) {
            int sessions = 0;
            for (ClientEvents f : families) if (f != null) sessions += f.sessions();
            Log.debug("tracking {} keys on {} servers ({} of heap); {} connections followed; {} commands applied; "
                    + "{} events dropped; buffer {}/{}; full {} times, {} ms helping", tracker.keys(),
                    tracker.serversUnlocked().size(), Sizes.format(tracker.memoryBytes()), sessions,
                    recorder.commandsApplied(), buffer.dropped(), buffer.size(), buffer.capacity(), buffer.fullTimes(),
                    TimeUnit.NANOSECONDS.toMillis(buffer.helpNanos()));
        }
    }

    private void reportError(Throwable t) {
        errors++;
        // The first few errors in full, then one in a thousand: an agent bug must neither go unseen nor flood.
        if (errors <= 3 || errors % 1000 == 0) {
            Log.warn("internal error #{} while following the application's commands (the application is not "
                    + "affected): {}", errors, t.toString(), t);
        }
    }

    long errors() {
        return errors;
    }
}
