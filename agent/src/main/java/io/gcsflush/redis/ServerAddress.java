package io.gcsflush.redis;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A Redis server as an application reached it: the host name it used (for TLS and for people), the address that
 * name resolved to, the port, and whether the connection was TLS. Two connections reach the same server when their
 * resolved addresses and ports are equal, whatever names they used.
 */
public final class ServerAddress {
    private final String host;
    private final InetAddress ip;
    private final int port;
    private final boolean tls;

    public ServerAddress(String host, InetAddress ip, int port, boolean tls) {
        this.host = host == null ? ip.getHostAddress() : host;
        this.ip = ip;
        this.port = port;
        this.tls = tls;
    }

    public String host() { return host; }
    public InetAddress ip() { return ip; }
    public int port() { return port; }
    public boolean tls() { return tls; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ServerAddress)) return false;
        ServerAddress other = (ServerAddress) o;
        return port == other.port && ip.equals(other.ip);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ip, port);
    }

    /** {@code host:port}, as the application named it. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
