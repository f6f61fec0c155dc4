package io.gcsflush.flush;

import io.gcsflush.redis.RespConnection;
import java.io.IOException;

/** What a flush does to the keys it picked. Removing them is the only action today; the seam is for others. */
public interface KeyAction {
    /**
     * Acts on the keys over the agent's own connection.
     *
     * @param nodes the agent's connections to other servers, where a cluster redirects a key
     * @return how many keys the server removed
     */
    long apply(RespConnection connection, FlushBatch batch, Nodes nodes) throws IOException;

    /** Whether the keys are gone afterwards, so that the agent forgets them. */
    boolean removes();

    /** A verb for the log line: "removed". */
    String verb();

    /** Connections to the other nodes of a cluster, authenticated as the application is. */
    interface Nodes {
        RespConnection connect(String host, int port) throws IOException;
    }
}
