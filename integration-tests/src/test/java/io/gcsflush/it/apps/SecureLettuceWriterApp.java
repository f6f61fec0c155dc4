package io.gcsflush.it.apps;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link LettuceWriterApp}'s sync or async mode (the database in the URI) over a connection that authenticates and/or uses TLS
 * as {@link ClientSecurityArgs} says, with Lettuce's own configuration: {@code RedisURI.builder()
 * .withAuthentication(user, password)} (or {@code withPassword}), {@code .withSsl(true)}, and for {@code --tls context}
 * {@code SslOptions} with the trust and key stores. Lettuce connects with {@code HELLO 3 AUTH user password} and checks
 * the server's host name (its default {@code SslVerifyMode.FULL}).
 */
public final class SecureLettuceWriterApp {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SecureLettuceWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        WriterArgs args = WriterArgs.parse(arguments, "sync");
        if (!args.mode.equals("sync") && !args.mode.equals("async")) {
            throw new IllegalArgumentException("only the sync and async modes: " + args.mode);
        }
        ClientSecurityArgs security = ClientSecurityArgs.parse(arguments);
        System.out.println(security);
        RedisURI.Builder uri = RedisURI.builder().withHost(args.host).withPort(args.port).withDatabase(args.db);
        if (security.password != null) {
            if (security.user != null) {
                uri.withAuthentication(security.user, security.password.toCharArray());
            } else {
                uri.withPassword(security.password.toCharArray());
            }
        }
        if (security.tls != ClientSecurityArgs.Tls.NONE) {
            uri.withSsl(true);
        }
        RedisURI redisUri = uri.build();
        RedisClient client = RedisClient.create();
        if (security.tls == ClientSecurityArgs.Tls.CONTEXT) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider()
                    .truststore(security.truststore, security.storePassword);
            if (security.keystore != null) {
                ssl.keystore(security.keystore, security.storePassword.toCharArray());
            }
            client.setOptions(ClientOptions.builder().sslOptions(ssl.build()).build());
        }
        try {
            WriterLoop.run(args, () -> new Writer(args, client.connect(redisUri)));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2)); // no quiet period: exit promptly
        }
        System.exit(0);
    }

    private static final class Writer implements WriterLoop.Writer {
        private final WriterArgs args;
        private final StatefulRedisConnection<String, String> connection;
        private final RedisCommands<String, String> sync;

        Writer(WriterArgs args, StatefulRedisConnection<String, String> connection) {
            this.args = args;
            this.connection = connection;
            this.sync = connection.sync();
        }

        @Override
        public void write(int from, int to) {
            if (args.mode.equals("sync")) {
                for (int i = from; i < to; i++) {
                    sync.set(args.key(i), args.value(i));
                }
                return;
            }
            // As LettuceWriterApp's async mode: WriterArgs.BATCH SETs a flushCommands(), then their replies.
            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            try {
                for (int start = from; start < to; start += WriterArgs.BATCH) {
                    List<RedisFuture<String>> replies = new ArrayList<>();
                    for (int i = start; i < Math.min(to, start + WriterArgs.BATCH); i++) {
                        replies.add(async.set(args.key(i), args.value(i)));
                    }
                    connection.flushCommands();
                    if (!LettuceFutures.awaitAll(TIMEOUT, replies.toArray(new RedisFuture<?>[0]))) {
                        throw new IllegalStateException("no replies within " + TIMEOUT + " from key " + start);
                    }
                }
            } finally {
                connection.setAutoFlushCommands(true);
            }
        }

        @Override
        public void delete(String command, String key) {
            sync.del(key);
        }

        @Override
        public void rename(String from, String to) {
            sync.rename(from, to);
        }

        @Override
        public ConditionalKeys.Tally conditional(String foreignPrefix, int count, String ownPrefix) {
            throw new UnsupportedOperationException("no conditional writes here");
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
