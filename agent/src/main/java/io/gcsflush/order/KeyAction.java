package io.gcsflush.order;

import io.gcsflush.redis.RespConnection;
import java.io.IOException;

/** What a flush does to the keys it picked. Removing them is the only action today; the seam is for others. */
public interface KeyAction {
    /**
     * Acts on the keys over the agent's own connection.
     *
     * @param nodes the agent's connections to other servers, where a cluster redirects a key
     * @return what was done; an error reply for some keys is reported there, not thrown
     * @throws IOException if a connection failed
     */
    Result apply(RespConnection connection, FlushBatch batch, Nodes nodes) throws IOException;

    /** Whether the keys are gone afterwards, so that the agent forgets them. */
    boolean removes();

    /** A verb for the log line: "removed". */
    String verb();

    /** What an action did: which of the batch's keys it dealt with, and the first error reply, if any. */
    final class Result {
        private final java.util.BitSet done;
        private long removed;
        private String error;

        public Result(int size) {
            this.done = new java.util.BitSet(size);
        }

        /** The keys from {@code from} to {@code to} (exclusive) were dealt with; the server removed {@code removed}. */
        public void done(int from, int to, long removed) {
            done.set(from, to);
            this.removed += removed;
        }

        /** The keys at these indexes were dealt with; the server removed {@code removed}. */
        public void done(java.util.List<Integer> indexes, long removed) {
            for (int i : indexes) done.set(i);
            this.removed += removed;
        }

        public void failed(String error) {
            if (this.error == null) this.error = error;
        }

        public boolean isDone(int index) {
            return done.get(index);
        }

        public int doneCount() {
            return done.cardinality();
        }

        public long removed() {
            return removed;
        }

        /** The first error reply, or null. */
        public String error() {
            return error;
        }
    }

    /** Connections to the other nodes of a cluster, authenticated as the application is. */
    interface Nodes {
        RespConnection connect(String host, int port) throws IOException;
    }
}
