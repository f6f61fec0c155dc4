package io.gcsflush.order;

import io.gcsflush.Log;
import io.gcsflush.redis.RespConnection;
import io.gcsflush.track.KeyLog;
import io.gcsflush.track.ServerEntry;
import io.gcsflush.track.Tracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server restarted (its {@code run_id} changed): the keys this JVM tracks there are looked up, and those gone are
 * forgotten, so that they are never removed later under their names (another client may write keys of those names)
 * and never taken for a flush. Up to {@link #LIMIT} keys, a thousand {@code EXISTS} a round trip; a key the
 * application wrote again since the restart exists, and stays.
 */
final class RestartSweep {
    /** Above this many keys tracked there, a sample decides instead (see the callers). */
    static final int LIMIT = 1_000_000;
    private static final int CHUNK = 1000;
    private static final byte[] EXISTS = "EXISTS".getBytes(StandardCharsets.US_ASCII);

    private RestartSweep() {}

    /** @return the keys forgotten, or -1 if there are more than {@link #LIMIT} to look up */
    static int forgetGone(Tracker tracker, ServerEntry server, RespConnection c) throws IOException {
        List<Map.Entry<Integer, byte[]>> keys;
        tracker.lock().lock();
        try {
            KeyLog log = server.keys();
            if (log.size() > LIMIT) return -1;
            keys = log.sample(log.size());
        } finally {
            tracker.lock().unlock();
        }
        int forgotten = 0;
        for (int from = 0; from < keys.size(); from += CHUNK) {
            List<Map.Entry<Integer, byte[]>> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
            List<Map.Entry<Integer, byte[]>> gone = new ArrayList<>();
            int db = -1;
            for (int i = 0; i < chunk.size(); ) {
                // A run of keys of one database, after a SELECT the server agreed to.
                db = chunk.get(i).getKey();
                if (!c.select(db)) return forgotten;
                int end = i;
                while (end < chunk.size() && chunk.get(end).getKey() == db) c.write(EXISTS, chunk.get(end++).getValue());
                c.flush();
                for (int k = i; k < end; k++) {
                    if (Long.valueOf(0).equals(c.read())) gone.add(chunk.get(k));
                }
                i = end;
            }
            tracker.lock().lock();
            try {
                for (Map.Entry<Integer, byte[]> key : gone) {
                    if (server.keys().remove(key.getKey(), key.getValue())) forgotten++;
                }
            } finally {
                tracker.lock().unlock();
            }
        }
        if (forgotten > 0) {
            Log.info("{} restarted: forgetting the {} keys this application wrote there that are gone", server,
                    forgotten);
        }
        return forgotten;
    }
}
