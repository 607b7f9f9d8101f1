package io.lifeboat.sandbox.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool, for local HTTPS servers
 * (s3proxy, Azurite, token endpoints). It is its own CA: trust {@link #certificatePem()} to accept it.
 */
public final class SelfSignedCertificate {
    public static final String PASSWORD = "sandbox-pass";
    private final Path keyStore;
    private final Path certificatePem;
    private final Path privateKeyPem;

    private SelfSignedCertificate(Path keyStore, Path certificatePem, Path privateKeyPem) {
        this.keyStore = keyStore;
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
    }

    /** Creates keystore.p12, cert.pem and key.pem in the folder. */
    public static SelfSignedCertificate create(Path folder) {
        try {
            Files.createDirectories(folder);
            Path p12 = folder.resolve("keystore.p12");
            Files.deleteIfExists(p12);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "sandbox", "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "30", "-dname", "CN=127.0.0.1",
                    "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "bc:c",
                    "-keystore", p12.toString(), "-storetype", "PKCS12",
                    "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = load(p12);
            Certificate certificate = store.getCertificate("sandbox");
            PrivateKey key = (PrivateKey) store.getKey("sandbox", PASSWORD.toCharArray());
            Path certPem = folder.resolve("cert.pem");
            Path keyPem = folder.resolve("key.pem");
            Files.writeString(certPem, pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
            return new SelfSignedCertificate(p12, certPem, keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path p12) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** PKCS12 keystore holding the key and certificate, password {@link #PASSWORD}. */
    public Path keyStore() {
        return keyStore;
    }

    public Path certificatePemFile() {
        return certificatePem;
    }

    public Path privateKeyPemFile() {
        return privateKeyPem;
    }

    public String certificatePem() {
        try {
            return Files.readString(certificatePem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An SSLContext that trusts this certificate only. */
    public SSLContext trustingContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("sandbox", load(keyStore).getCertificate("sandbox"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
