package io.gcsflush.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;

/**
 * How a {@link RedisServer} is protected, and how the test's own connections (its readiness check, SHUTDOWN, and
 * {@link RedisServer#jedis()} with every helper built on it) get in: a password for the default user
 * ({@code requirepass}), ACL users, TLS only ({@code --tls-port} with {@code --port 0}, certificates of
 * {@link TestCertificates}). Immutable; each method returns a copy.
 *
 * <pre>{@code
 * RedisServer.builder().security(RedisSecurity.none().requirePass("admin")
 *         .aclUser("app", "on", ">app-pw", "~*", "+@all")).start();
 * RedisServer.builder().security(RedisSecurity.none().tls(true)).start();   // clients must show a certificate
 * }</pre>
 *
 * The test's connections authenticate as the default user with the {@link #requirePass(String)} password, trust the
 * test CA, present the client certificate, and do not check host names.
 */
final class RedisSecurity {
    /** Which server certificate a TLS server shows. */
    enum ServerCertificate {
        /** Valid for {@code localhost} and {@code 127.0.0.1}. */
        LOCALHOST_AND_IP,
        /** Valid for the name {@code localhost} only: a client that checks host names refuses it on 127.0.0.1. */
        LOCALHOST_ONLY
    }

    private final String password;
    private final List<List<String>> users;
    private final ServerCertificate tls;
    private final boolean authClients;

    private RedisSecurity(String password, List<List<String>> users, ServerCertificate tls, boolean authClients) {
        this.password = password;
        this.users = List.copyOf(users);
        this.tls = tls;
        this.authClients = authClients;
    }

    /** No password, no TLS: as {@link RedisServer} has always been. */
    static RedisSecurity none() {
        return new RedisSecurity(null, List.of(), null, false);
    }

    /** {@code --requirepass}: the default user's password, which the test's own connections use. */
    RedisSecurity requirePass(String password) {
        return new RedisSecurity(password, users, tls, authClients);
    }

    /** An ACL user, as {@code --user name rules...} (e.g. {@code "on", ">secret", "~*", "+@all", "-unlink"}). */
    RedisSecurity aclUser(String name, String... rules) {
        List<List<String>> more = new ArrayList<>(users);
        List<String> user = new ArrayList<>();
        user.add(name);
        user.addAll(Arrays.asList(rules));
        more.add(user);
        return new RedisSecurity(password, more, tls, authClients);
    }

    /** TLS only, with the server certificate for localhost and 127.0.0.1; {@code authClients}: tls-auth-clients. */
    RedisSecurity tls(boolean authClients) {
        return tls(ServerCertificate.LOCALHOST_AND_IP, authClients);
    }

    RedisSecurity tls(ServerCertificate certificate, boolean authClients) {
        return new RedisSecurity(password, users, certificate, authClients);
    }

    boolean isTls() {
        return tls != null;
    }

    String password() {
        return password;
    }

    /** The server arguments, after the defaults (which they override): the port is the TLS port if TLS. */
    List<String> serverArgs(int port) {
        List<String> args = new ArrayList<>();
        if (password != null) {
            args.addAll(List.of("--requirepass", password));
        }
        for (List<String> user : users) {
            args.add("--user");
            args.addAll(user);
        }
        if (tls != null) {
            TestCertificates certs = TestCertificates.get();
            boolean ipToo = tls == ServerCertificate.LOCALHOST_AND_IP;
            args.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", (ipToo ? certs.serverPem : certs.localhostOnlyPem).toString(),
                    "--tls-key-file", certs.serverKey.toString(),
                    "--tls-ca-cert-file", certs.caPem.toString(),
                    "--tls-auth-clients", authClients ? "yes" : "no"));
        }
        return args;
    }

    /** The client configuration of the test's own Jedis connections. */
    JedisClientConfig jedisConfig() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().password(password);
        if (tls != null) {
            config.ssl(true).sslSocketFactory(sslContext().getSocketFactory());
        }
        return config.build();
    }

    /** A connected socket for raw RESP (TLS if the server is), authenticated if there is a password. */
    Socket connect(String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) sslContext().getSocketFactory().createSocket(socket, host, port, true);
                ssl.startHandshake();
                socket = ssl;
            }
            if (password != null) {
                String reply = RedisServer.exchange(socket, "AUTH", password);
                if (!reply.equals("+OK")) {
                    throw new IOException("AUTH refused: " + reply);
                }
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private SSLContext sslContext() {
        return TestCertificates.get().sslContext(true);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (password != null) {
            parts.add("requirepass");
        }
        users.forEach(u -> parts.add("user " + u.get(0)));
        if (tls != null) {
            parts.add("TLS (" + tls + (authClients ? ", client certificates" : "") + ")");
        }
        return parts.isEmpty() ? "open" : String.join(", ", parts);
    }
}
