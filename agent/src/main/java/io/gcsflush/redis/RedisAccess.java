package io.gcsflush.redis;

import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the agent's own connections reach a server: as the application's connection does (its credentials, TLS where
 * it used TLS, the JVM's default trust and key stores), unless the {@code redis.*} settings say otherwise.
 */
public final class RedisAccess {
    private final Credentials override;
    private final Boolean tls;
    private final String truststore;
    private final String truststorePassword;
    private final String keystore;
    private final String keystorePassword;
    private final boolean verifyHostname;
    private SSLSocketFactory factory;

    /**
     * @param user the {@code redis.user} setting, or null
     * @param password the {@code redis.password} setting, or null for "as the application"
     * @param tls true or false to force TLS on or off, null for "as the application's connection"
     */
    public RedisAccess(String user, String password, Boolean tls, String truststore, String truststorePassword,
            String keystore, String keystorePassword, boolean verifyHostname) {
        this.override = password == null ? null : new Credentials(bytes(user), bytes(password));
        this.tls = tls;
        this.truststore = truststore;
        this.truststorePassword = truststorePassword;
        this.keystore = keystore;
        this.keystorePassword = keystorePassword;
        this.verifyHostname = verifyHostname;
    }

    /** As the application, with nothing overridden. */
    public static RedisAccess asTheApplication() {
        return new RedisAccess(null, null, null, null, null, null, null, true);
    }

    /** The credentials to use: the settings', else the application's (which may be none). */
    public Credentials credentials(Credentials application) {
        return override != null ? override : application;
    }

    public boolean tls(ServerAddress address) {
        return tls != null ? tls : address.tls();
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** The TLS socket factory: from the configured stores, else the JVM's default (built once). */
    public synchronized SSLSocketFactory socketFactory() throws IOException {
        if (factory == null) {
            if (truststore == null && keystore == null) {
                factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
            } else {
                try {
                    TrustManagerFactory trust = null;
                    if (truststore != null) {
                        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                        trust.init(load(truststore, truststorePassword));
                    }
                    KeyManagerFactory keys = null;
                    if (keystore != null) {
                        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                        keys.init(load(keystore, keystorePassword), chars(keystorePassword));
                    }
                    SSLContext context = SSLContext.getInstance("TLS");
                    context.init(keys == null ? null : keys.getKeyManagers(),
                            trust == null ? null : trust.getTrustManagers(), null);
                    factory = context.getSocketFactory();
                } catch (GeneralSecurityException e) {
                    throw new IOException("cannot set up TLS from redis.truststore / redis.keystore: " + e, e);
                }
            }
        }
        return factory;
    }

    private static KeyStore load(String path, String password) throws IOException, GeneralSecurityException {
        return KeyStore.getInstance(new File(path), chars(password));
    }

    private static char[] chars(String s) {
        return s == null ? new char[0] : s.toCharArray();
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
