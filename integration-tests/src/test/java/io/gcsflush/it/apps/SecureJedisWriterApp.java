package io.gcsflush.it.apps;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * {@link JedisWriterApp}'s modes of one connection over a connection that authenticates and/or uses TLS as
 * {@link ClientSecurityArgs} says, with Jedis's own configuration:
 * {@code DefaultJedisClientConfig.builder().user(..).password(..).ssl(true).sslSocketFactory(..)}. Jedis does not
 * check the server's host name unless told to.
 */
public final class SecureJedisWriterApp {

    private SecureJedisWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        WriterArgs args = WriterArgs.parse(arguments, "plain");
        ClientSecurityArgs security = ClientSecurityArgs.parse(arguments);
        System.out.println(security);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .user(security.user)
                .password(security.password);
        if (security.tls != ClientSecurityArgs.Tls.NONE) {
            config.ssl(true);
        }
        if (security.tls == ClientSecurityArgs.Tls.CONTEXT) {
            config.sslSocketFactory(security.sslContext().getSocketFactory());
        }
        JedisClientConfig clientConfig = config.build();
        HostAndPort server = new HostAndPort(args.host, args.port);
        WriterLoop.run(args, () -> JedisWriterApp.over(new Jedis(server, clientConfig), args));
        System.exit(0);
    }
}
