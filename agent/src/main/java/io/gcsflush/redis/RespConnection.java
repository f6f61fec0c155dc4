package io.gcsflush.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The agent's own connection to a Redis server: a small, blocking RESP2 client that pipelines.
 *
 * <p>The agent carries its own client rather than a relocated Jedis or Lettuce: it needs four commands (AUTH, SELECT,
 * INFO, UNLINK) and pipelining; a full client would add a megabyte, a connection pool and a logging binding to the
 * agent jar, and its classes would sit next to the application's copy of the same library. Being none of the
 * instrumented clients also guarantees that what the agent sends is never tracked.
 */
public final class RespConnection implements AutoCloseable {
    private static final byte[] CRLF = {'\r', '\n'};

    private final ServerAddress address;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private int db;
    private Boolean cluster;

    private RespConnection(ServerAddress address, Socket socket) throws IOException {
        this.address = address;
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** Connects (over TLS where {@code access} says so), and authenticates when there are credentials. */
    public static RespConnection open(ServerAddress address, Credentials credentials, RedisAccess access,
            int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(address.ip(), address.port()), connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis);
            if (access.tls(address)) socket = startTls(socket, address, access);
            RespConnection connection = new RespConnection(address, socket);
            if (credentials != null) connection.authenticate(credentials);
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket startTls(Socket plain, ServerAddress address, RedisAccess access) throws IOException {
        SSLSocketFactory factory = access.socketFactory();
        // The host the application used, for SNI and for checking the certificate.
        SSLSocket tls = (SSLSocket) factory.createSocket(plain, address.host(), address.port(), true);
        if (access.verifyHostname()) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
        }
        tls.startHandshake();
        return tls;
    }

    private void authenticate(Credentials credentials) throws IOException {
        Object reply = credentials.user() == null
                ? call(bytes("AUTH"), credentials.password())
                : call(bytes("AUTH"), credentials.user(), credentials.password());
        if (reply instanceof RedisError) throw new IOException("authentication failed: " + reply);
    }

    public ServerAddress address() {
        return address;
    }

    /** {@code used_memory} from {@code INFO memory}. */
    public long usedMemory() throws IOException {
        Object reply = call(bytes("INFO"), bytes("memory"));
        if (reply instanceof RedisError) throw new IOException("INFO memory failed: " + reply);
        return infoField(new String((byte[]) reply, StandardCharsets.UTF_8), "used_memory");
    }

    /** The fields of one section of {@code INFO}; empty if the server has no such section (a sentinel's memory). */
    public java.util.Map<String, String> info(String section) throws IOException {
        Object reply = call(bytes("INFO"), bytes(section));
        if (reply instanceof RedisError) throw new IOException("INFO " + section + " failed: " + reply);
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        if (!(reply instanceof byte[])) return fields;
        for (String line : new String((byte[]) reply, StandardCharsets.UTF_8).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return fields;
    }

    /**
     * The keys of each database that holds any ({@code INFO keyspace}: {@code db0:keys=1000,expires=0,...}), by
     * database number, in order; empty if the server answers with no such section (or an error).
     */
    public java.util.SortedMap<Integer, Long> keyspace() throws IOException {
        java.util.SortedMap<Integer, Long> keys = new java.util.TreeMap<>();
        Object reply = call(bytes("INFO"), bytes("keyspace"));
        if (!(reply instanceof byte[])) return keys;
        for (String line : new String((byte[]) reply, StandardCharsets.UTF_8).split("\r?\n")) {
            int colon = line.indexOf(':');
            int at = line.indexOf("keys=");
            if (!line.startsWith("db") || colon < 0 || at < 0) continue;
            int end = line.indexOf(',', at);
            try {
                keys.put(Integer.parseInt(line.substring(2, colon)),
                        Long.parseLong(line.substring(at + 5, end < 0 ? line.length() : end).trim()));
            } catch (NumberFormatException e) {
                // not a database's line
            }
        }
        return keys;
    }

    /** Whether the server is a cluster node ({@code cluster_enabled:1}); asked once per connection. */
    public boolean clusterEnabled() throws IOException {
        if (cluster == null) {
            Object reply = call(bytes("INFO"), bytes("cluster"));
            cluster = reply instanceof byte[] && infoField(new String((byte[]) reply, StandardCharsets.UTF_8), "cluster_enabled") == 1;
        }
        return cluster;
    }

    /** Reads a numeric field from an INFO reply; -1 if it is absent. */
    static long infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1).trim());
        }
        return -1;
    }

    /** Sends one command and reads its reply. */
    public Object call(byte[]... args) throws IOException {
        write(args);
        out.flush();
        return read();
    }

    /**
     * Switches to a database, waiting for the reply: nothing may be sent for that database before the server agreed.
     *
     * @return whether the connection is now in that database
     */
    public boolean select(int database) throws IOException {
        if (database == db) return true;
        Object reply = call(bytes("SELECT"), bytes(Integer.toString(database)));
        if (!"OK".equals(reply)) return false;
        db = database;
        return true;
    }

    /** Writes one command into the send buffer, without flushing. */
    public void write(byte[]... args) throws IOException {
        writeHeader('*', args.length);
        for (byte[] arg : args) writeBulk(arg);
    }

    /** Writes one command made of a prefix and a list of arguments (UNLINK k1 k2 ...), without flushing. */
    public void write(byte[] command, List<byte[]> args, int from, int to) throws IOException {
        writeHeader('*', 1 + to - from);
        writeBulk(command);
        for (int i = from; i < to; i++) writeBulk(args.get(i));
    }

    public void flush() throws IOException {
        out.flush();
    }

    private void writeBulk(byte[] arg) throws IOException {
        writeHeader('$', arg.length);
        out.write(arg);
        out.write(CRLF);
    }

    private void writeHeader(char type, int n) throws IOException {
        out.write(type);
        out.write(bytes(Integer.toString(n)));
        out.write(CRLF);
    }

    /** Reads one reply: a String (status), Long, byte[] (bulk), null (nil), List, or {@link RedisError}. */
    public Object read() throws IOException {
        int type = in.read();
        if (type < 0) throw new EOFException("connection closed by " + address);
        String line = readLine();
        switch (type) {
            case '+': return line;
            case '-': return new RedisError(line);
            case ':': return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) return null;
                byte[] data = in.readNBytes(length);
                if (data.length < length || in.read() != '\r' || in.read() != '\n') throw new EOFException("short bulk reply");
                return data;
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) return null;
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) items.add(read());
                return items;
            }
            default:
                throw new IOException("unexpected reply type '" + (char) type + "' from " + address);
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(16);
        for (int c = in.read(); ; c = in.read()) {
            if (c < 0) throw new EOFException("connection closed by " + address);
            if (c == '\r') {
                if (in.read() != '\n') throw new IOException("malformed reply from " + address);
                return line.toString();
            }
            line.append((char) c);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a broken socket can fail; there is nothing more to release.
        }
    }

    /** An error reply. */
    public static final class RedisError {
        private final String message;

        RedisError(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }

        @Override
        public String toString() {
            return message;
        }
    }
}
