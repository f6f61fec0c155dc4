package io.gcsflush.order;

import io.gcsflush.redis.RespConnection;
import java.io.IOException;

/** The agent's own connections for one server, as the flusher keeps them. */
public interface ServerLink extends KeyAction.Nodes {
    /** The connection to the server itself, opened if need be, authenticated as the application is. */
    RespConnection connection() throws IOException;
}
