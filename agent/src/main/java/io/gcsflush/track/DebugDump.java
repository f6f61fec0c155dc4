package io.gcsflush.track;

import io.gcsflush.Log;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A debugging hook for tests that compare what the agent tracks with what Redis holds: with
 * {@code -Dgcsflush.debug.dump=FILE}, each time a file {@code FILE.request} appears the agent waits until the events
 * recorded so far are applied, writes every key it tracks to {@code FILE} (whole: written aside, then renamed) and
 * deletes the request. A thread of its own looks for the request every 50 ms; without the property it does not exist,
 * and nothing on the application's or the event thread's path changes. The format (DEVELOPERS.md):
 *
 * <pre>
 * gcs-flush-dump 1
 * time EPOCH_MS
 * applied COMMANDS_APPLIED
 * dropped EVENTS_DROPPED
 * errors INTERNAL_ERRORS
 * pending EVENTS_NOT_APPLIED   (0 unless the wait timed out)
 * server HOST:PORT             (then its keys, oldest first)
 * key DB EXPIRY_EPOCH_SECONDS_OR_0 SIZE JOURNALED(0|1) KEY_IN_HEX
 * end
 * </pre>
 */
public final class DebugDump implements Runnable {
    public static final String PROPERTY = "gcsflush.debug.dump";
    private static final long POLL_MILLIS = 50;
    private static final long APPLY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Path file;
    private final Path request;
    private final Path partial;
    private final Tracker tracker;
    private final EventProcessor processor;
    private final EventBuffer buffer;
    private final Recorder recorder;

    public DebugDump(Path file, Tracker tracker, EventProcessor processor, EventBuffer buffer, Recorder recorder) {
        this.file = file.toAbsolutePath();
        this.request = this.file.resolveSibling(this.file.getFileName() + ".request");
        this.partial = this.file.resolveSibling(this.file.getFileName() + ".partial");
        this.tracker = tracker;
        this.processor = processor;
        this.buffer = buffer;
        this.recorder = recorder;
    }

    @Override
    public void run() {
        while (true) {
            try {
                if (Files.exists(request)) {
                    dump();
                    Files.deleteIfExists(request);
                }
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                Log.warn("debug dump to {} failed: {}", file, t.toString());
                try {
                    Files.deleteIfExists(request);
                    Thread.sleep(POLL_MILLIS);
                } catch (IOException | InterruptedException ignored) {
                    return;
                }
            }
        }
    }

    /** Writes the dump; visible for tests. */
    void dump() throws IOException {
        processor.awaitApplied(APPLY_TIMEOUT_NANOS);
        StringBuilder out = new StringBuilder(4096);
        tracker.lock().lock();
        try {
            out.append("gcs-flush-dump 1\n");
            out.append("time ").append(System.currentTimeMillis()).append('\n');
            out.append("applied ").append(recorder.commandsApplied()).append('\n');
            out.append("dropped ").append(buffer.dropped()).append('\n');
            out.append("errors ").append(processor.errors()).append('\n');
            out.append("pending ").append(buffer.size()).append('\n');
            for (ServerEntry server : tracker.serversUnlocked()) {
                out.append("server ").append(server.address()).append('\n');
                KeyLog keys = server.keys();
                List<Object[]> live = new ArrayList<>(keys.size());
                keys.scanOldest(Integer.MAX_VALUE, (handle, db, key) -> live.add(new Object[] {db, key}));
                for (Object[] k : live) {
                    int db = (Integer) k[0];
                    byte[] key = (byte[]) k[1];
                    out.append("key ").append(db).append(' ').append(keys.expiryOf(db, key)).append(' ')
                            .append(keys.sizeOf(db, key)).append(' ').append(keys.journaled(db, key) ? 1 : 0)
                            .append(' ');
                    for (byte b : key) out.append(HEX[(b >> 4) & 15]).append(HEX[b & 15]);
                    out.append('\n');
                }
            }
            out.append("end\n");
        } finally {
            tracker.lock().unlock();
        }
        try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.US_ASCII)) {
            w.append(out);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
