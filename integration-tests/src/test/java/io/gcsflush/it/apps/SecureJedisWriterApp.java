package io.gcsflush.it.apps;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * {@link JedisWriterApp}'s plain mode (one {@code SET} a key, the database in the client configuration) over a
 * connection that authenticates and/or uses TLS as {@link ClientSecurityArgs} says, with Jedis's own configuration:
 * {@code DefaultJedisClientConfig.builder().user(..).password(..).ssl(true).sslSocketFactory(..)}. Jedis does not
 * check the server's host name unless told to.
 */
public final class SecureJedisWriterApp {

    private SecureJedisWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        WriterArgs args = WriterArgs.parse(arguments, "plain");
        if (!args.mode.equals("plain")) {
            throw new IllegalArgumentException("only the plain mode: " + args.mode);
        }
        ClientSecurityArgs security = ClientSecurityArgs.parse(arguments);
        System.out.println(security);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .database(args.db)
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
        WriterLoop.run(args, () -> new Writer(args, new Jedis(server, clientConfig)));
        System.exit(0);
    }

    private static final class Writer implements WriterLoop.Writer {
        private final WriterArgs args;
        private final Jedis jedis;

        Writer(WriterArgs args, Jedis jedis) {
            this.args = args;
            this.jedis = jedis;
        }

        @Override
        public void write(int from, int to) {
            for (int i = from; i < to; i++) {
                jedis.set(args.key(i), args.value(i));
            }
        }

        @Override
        public void delete(String command, String key) {
            jedis.del(key);
        }

        @Override
        public void rename(String from, String to) {
            jedis.rename(from, to);
        }

        @Override
        public ConditionalKeys.Tally conditional(String foreignPrefix, int count, String ownPrefix) {
            throw new UnsupportedOperationException("no conditional writes here");
        }

        @Override
        public void close() {
            jedis.close();
        }
    }
}
