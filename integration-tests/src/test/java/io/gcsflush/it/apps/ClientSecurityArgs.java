package io.gcsflush.it.apps;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the secure writer applications ({@link SecureJedisWriterApp}, {@link SecureLettuceWriterApp}) reach their
 * server, on top of {@link WriterArgs} (same {@code --name value} pairs; each class reads the options it knows):
 *
 * <pre>
 * --user U              ACL user (with the password); without it, the password is the default user's
 * --password P          the password; better in the environment variable APP_REDIS_PASSWORD, which the tests use
 *                       so that it appears in no command line and no log
 * --tls none|jvm|context
 *                       none (default); jvm: TLS with the JVM's default trust and key stores, which the
 *                       application's JVM flags set (-Djavax.net.ssl.trustStore=...); context: TLS through an
 *                       SSLContext of the application's own (Jedis) or the client's SslOptions (Lettuce), from
 *                       --truststore, --keystore and --store-password, with no javax.net.ssl property
 * --truststore F        PKCS12 trust store (--tls context)
 * --keystore F          PKCS12 key store with a client certificate (--tls context), optional
 * --store-password P    password of both stores
 * </pre>
 *
 * Prints none of the secrets.
 */
public final class ClientSecurityArgs {
    public static final String PASSWORD_ENV = "APP_REDIS_PASSWORD";

    public enum Tls { NONE, JVM, CONTEXT }

    public final String user;
    public final String password;
    public final Tls tls;
    public final File truststore;
    public final File keystore;
    public final String storePassword;

    private ClientSecurityArgs(String user, String password, Tls tls, File truststore, File keystore,
                               String storePassword) {
        this.user = user;
        this.password = password;
        this.tls = tls;
        this.truststore = truststore;
        this.keystore = keystore;
        this.storePassword = storePassword;
    }

    public static ClientSecurityArgs parse(String[] args) {
        String user = null;
        String password = System.getenv(PASSWORD_ENV);
        Tls tls = Tls.NONE;
        File truststore = null;
        File keystore = null;
        String storePassword = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--user": user = value; break;
                case "--password": password = value; break;
                case "--tls": tls = Tls.valueOf(value.toUpperCase(Locale.ROOT)); break;
                case "--truststore": truststore = new File(value); break;
                case "--keystore": keystore = new File(value); break;
                case "--store-password": storePassword = value; break;
                default: break; // WriterArgs' options
            }
        }
        if (user != null && password == null) {
            throw new IllegalArgumentException("--user without a password (--password or $" + PASSWORD_ENV + ")");
        }
        if (tls == Tls.CONTEXT && truststore == null) {
            throw new IllegalArgumentException("--tls context needs --truststore");
        }
        return new ClientSecurityArgs(user, password, tls, truststore, keystore, storePassword);
    }

    /** The application's own SSL context (--tls context): the trust store, and the key store if given. */
    public SSLContext sslContext() throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(truststore));
        KeyManagerFactory keys = null;
        if (keystore != null) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keystore), chars(storePassword));
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private KeyStore load(File file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file)) {
            store.load(in, chars(storePassword));
        }
        return store;
    }

    private static char[] chars(String s) {
        return s == null ? new char[0] : s.toCharArray();
    }

    /** For the application's first line: what it uses, never a secret. */
    @Override
    public String toString() {
        return "security: " + (password == null ? "no password" : user == null ? "password" : "user " + user)
                + ", TLS " + tls.name().toLowerCase(Locale.ROOT)
                + (System.getProperty("javax.net.ssl.trustStore") != null ? " (javax.net.ssl.trustStore set)" : "");
    }
}
