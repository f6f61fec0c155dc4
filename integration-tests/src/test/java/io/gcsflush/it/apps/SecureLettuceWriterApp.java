package io.gcsflush.it.apps;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.time.Duration;

/**
 * {@link LettuceWriterApp}'s modes (the database in the URI) over a connection that authenticates and/or uses TLS
 * as {@link ClientSecurityArgs} says, with Lettuce's own configuration: {@code RedisURI.builder()
 * .withAuthentication(user, password)} (or {@code withPassword}), {@code .withSsl(true)}, and for {@code --tls context}
 * {@code SslOptions} with the trust and key stores. Lettuce connects with {@code HELLO 3 AUTH user password} and checks
 * the server's host name (its default {@code SslVerifyMode.FULL}).
 */
public final class SecureLettuceWriterApp {

    private SecureLettuceWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        WriterArgs args = WriterArgs.parse(arguments, "sync");
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
            WriterLoop.run(args, () -> LettuceWriterApp.over(client, redisUri, args));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2)); // no quiet period: exit promptly
        }
        System.exit(0);
    }
}
