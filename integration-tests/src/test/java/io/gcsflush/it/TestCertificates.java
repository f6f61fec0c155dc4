package io.gcsflush.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test certificate authority and the certificates it signs, made by the tests at run time with the JDK only: the
 * JDK's {@code keytool} makes the key pairs ({@code -genkeypair}, EC P-256), the requests ({@code -certreq}), signs
 * them with the CA ({@code -gencert -rfc}, with the subject alternative names) and exports the CA's certificate
 * ({@code -exportcert -rfc}); Java writes the server's private key as PKCS#8 PEM ({@code KeyStore}, {@code getEncoded()},
 * Base64) and assembles the PKCS12 stores. Once per test JVM (eight runs of keytool, two or three at a time: a few
 * seconds), under {@code target/tls/}; the files stay there for people to look at.
 *
 * <ul>
 *   <li>{@code ca.pem}: the CA's certificate (redis-server's {@code tls-ca-cert-file});</li>
 *   <li>{@code server.pem}, {@code server.key}: a server certificate for {@code localhost} and {@code 127.0.0.1}
 *       (subject alternative names), and its key (redis-server's {@code tls-cert-file}, {@code tls-key-file});</li>
 *   <li>{@code localhost-only.pem}: a certificate for the same key, valid for the name {@code localhost} only, so a
 *       client connecting to {@code 127.0.0.1} that checks host names refuses it;</li>
 *   <li>{@code client.p12}: a client certificate and its key, for servers with {@code tls-auth-clients yes};</li>
 *   <li>{@code truststore.p12}: the CA's certificate as the only trusted one.</li>
 * </ul>
 *
 * Every store and key has the password {@link #STORE_PASSWORD}.
 */
final class TestCertificates {
    static final String STORE_PASSWORD = "it-store-pw";
    private static final int VALIDITY_DAYS = 7;
    private static TestCertificates instance;

    final Path dir;
    final Path caPem;
    final Path serverPem;
    final Path serverKey;
    final Path localhostOnlyPem;
    final Path clientP12;
    final Path truststoreP12;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
        this.serverPem = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server.key");
        this.localhostOnlyPem = dir.resolve("localhost-only.pem");
        this.clientP12 = dir.resolve("client.p12");
        this.truststoreP12 = dir.resolve("truststore.p12");
    }

    /** The certificates of this test JVM, made on first use. */
    static synchronized TestCertificates get() {
        if (instance == null) {
            TestCertificates made = new TestCertificates(TestDirs.underTarget("tls"));
            made.make();
            instance = made;
        }
        return instance;
    }

    /** An SSL context that trusts the test CA and, if {@code withClientCertificate}, presents the client certificate. */
    SSLContext sslContext(boolean withClientCertificate) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(truststoreP12));
            KeyManagerFactory keys = null;
            if (withClientCertificate) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(clientP12), STORE_PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make an SSL context from " + dir, e);
        }
    }

    private void make() {
        try {
            // A fresh set each run: keytool will not overwrite a key pair, and nothing old may linger.
            try (var old = Files.list(dir)) {
                for (Path file : (Iterable<Path>) old::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            // Key pairs and requests side by side; then the CA signs, also side by side.
            inParallel(
                    () -> keytool("-genkeypair", "-keystore", p12("ca"), "-alias", "ca", "-dname",
                            "CN=gcs-flush test CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign"),
                    () -> request("server", "CN=localhost"),
                    () -> request("client", "CN=gcs-flush test client"));
            inParallel(
                    () -> keytool("-exportcert", "-rfc", "-keystore", p12("ca"), "-alias", "ca",
                            "-file", caPem.toString()),
                    () -> sign("server", serverPem, "serverAuth", "dns:localhost,ip:127.0.0.1"),
                    () -> sign("server", localhostOnlyPem, "serverAuth", "dns:localhost"),
                    () -> sign("client", dir.resolve("client.pem"), "clientAuth", null));
            withChain("server", serverPem);
            withChain("client", dir.resolve("client.pem"));
            writePrivateKey("server", serverKey);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("gcs-flush-test-ca", readCertificates(caPem).get(0));
            store(trust, truststoreP12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the test certificates in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test certificates in " + dir, e);
        }
    }

    /** A key pair in {@code <name>.p12} (self-signed for now), and its certificate request {@code <name>.csr}. */
    private void request(String name, String dname) {
        keytool("-genkeypair", "-keystore", p12(name), "-alias", name, "-dname", dname);
        keytool("-certreq", "-keystore", p12(name), "-alias", name, "-file", dir.resolve(name + ".csr").toString());
    }

    /** The CA signs {@code <name>.csr} into {@code pem}, for that use and those subject alternative names. */
    private void sign(String name, Path pem, String extendedUsage, String san) {
        List<String> args = new ArrayList<>(List.of("-gencert", "-rfc", "-keystore", p12("ca"), "-alias", "ca",
                "-infile", dir.resolve(name + ".csr").toString(), "-outfile", pem.toString(),
                "-ext", "ku:c=digitalSignature", "-ext", "eku=" + extendedUsage));
        if (san != null) {
            args.addAll(List.of("-ext", "san=" + san));
        }
        keytool(args.toArray(new String[0]));
    }

    /** The signed certificate and the CA's replace the self-signed one beside the key in {@code <name>.p12}. */
    private void withChain(String name, Path pem) throws IOException, GeneralSecurityException {
        KeyStore store = load(dir.resolve(p12(name)));
        Key key = store.getKey(name, STORE_PASSWORD.toCharArray());
        List<Certificate> chain = new ArrayList<>(readCertificates(pem));
        chain.addAll(readCertificates(caPem));
        store.setKeyEntry(name, key, STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
        store(store, dir.resolve(p12(name)));
    }

    /** Runs the tasks on threads of their own (not the common pool, which may have one thread on a small machine). */
    private static void inParallel(Runnable... tasks) {
        ExecutorService threads = Executors.newFixedThreadPool(tasks.length);
        try {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (Runnable task : tasks) {
                running.add(CompletableFuture.runAsync(task, threads));
            }
            CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0])).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        } finally {
            threads.shutdown();
        }
    }

    /** The key of {@code <name>.p12} as a PKCS#8 PEM file, as redis-server (OpenSSL) reads it. */
    private void writePrivateKey(String name, Path file) throws IOException, GeneralSecurityException {
        Key key = load(dir.resolve(p12(name))).getKey(name, STORE_PASSWORD.toCharArray());
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
    }

    private static String p12(String name) {
        return name + ".p12";
    }

    /** Runs the JDK's keytool in {@link #dir}, with the store password; new keys are EC P-256, valid a few days. */
    private void keytool(String... args) {
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString(),
                // keytool is a short-lived JVM: start it fast.
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        if (args[0].equals("-genkeypair") || args[0].equals("-gencert")) {
            command.addAll(List.of("-validity", String.valueOf(VALIDITY_DAYS)));
        }
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1"));
        }
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        return KeyStore.getInstance(file.toFile(), STORE_PASSWORD.toCharArray());
    }

    private static void store(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        try (var out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
    }

    private static List<Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(pem)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }
}
