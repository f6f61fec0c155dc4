package io.gcsflush.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/** A throwaway redis-server (the one embedded-redis ships) on a free loopback port, with persistence off. */
final class EmbeddedRedis implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    // Another process can take the free port between our probe and redis-server's bind: then try another.
    private static final int ATTEMPTS = 3;

    private final RedisServer server;
    final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the server; embedded-redis also stops it from a shutdown hook of its own.
     *
     * @throws IOException with a one-line reason
     */
    static EmbeddedRedis start() throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer()
                    .bind(HOST)
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    // Drain the server's output, or it could block once the pipe is full.
                    .soutListener(line -> { })
                    .serrListener(line -> { })
                    .build();
            try {
                server.start();
                return new EmbeddedRedis(server, port);
            } catch (IOException e) {
                String reason = reason(e);
                if (reason.contains("in use") && attempt < ATTEMPTS) continue;
                throw new IOException("redis-server on " + HOST + ":" + port + ": " + reason, e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    /** The telling line of what redis-server printed, or the exception's own message. */
    private static String reason(IOException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null) text += "\n" + e.getCause().getMessage();
        if (text.contains("Address already in use")) return "port already in use";
        for (String line : text.split("\n")) {
            if (line.contains("# ") && (line.contains("Could not") || line.contains("Bad") || line.contains("Error"))) {
                return line.substring(line.indexOf("# ") + 2).trim();
            }
        }
        String first = text.split("\n", 2)[0].trim();
        return first.isEmpty() ? e.getClass().getSimpleName() : first;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            // The process is going away either way.
        }
    }
}
