package io.lifeboat.sandbox.azurite;

import io.lifeboat.sandbox.ChildProcess;
import io.lifeboat.sandbox.Ports;
import io.lifeboat.sandbox.tls.SelfSignedCertificate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Azurite's blob service, run as a child process on 127.0.0.1 with blobs in memory. It serves as the Azure Blob
 * endpoint of tests and of local mode. Azurite is installed with npm on first use (see {@link AzuriteInstallation}).
 * In HTTPS mode it also accepts bearer tokens ({@code --oauth basic}: a JWT with a Microsoft issuer, a storage
 * audience and a valid lifetime; the signature is not checked).
 */
public final class AzuriteServer implements AutoCloseable {
    /** The well-known development account every Azurite serves. */
    public static final String ACCOUNT_NAME = "devstoreaccount1";
    /** The well-known development account key (public, documented by Microsoft; not a secret). */
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final ChildProcess process;
    private final int port;
    private final SelfSignedCertificate certificate;

    private AzuriteServer(ChildProcess process, int port, SelfSignedCertificate certificate) {
        this.process = process;
        this.port = port;
        this.certificate = certificate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Plain HTTP, shared-key access only, in a temporary work folder. */
    public static AzuriteServer start() {
        return builder().start();
    }

    public int port() {
        return port;
    }

    public boolean https() {
        return certificate != null;
    }

    /** The blob endpoint of the development account, path style: {@code http(s)://127.0.0.1:P/devstoreaccount1}. */
    public String blobEndpoint() {
        return (https() ? "https" : "http") + "://127.0.0.1:" + port + "/" + ACCOUNT_NAME;
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=" + (https() ? "https" : "http") + ";AccountName=" + ACCOUNT_NAME
                + ";AccountKey=" + ACCOUNT_KEY + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    /** The certificate Azurite serves in HTTPS mode; trust it with {@link SelfSignedCertificate#trustingContext()}. */
    public SelfSignedCertificate certificate() {
        if (certificate == null) {
            throw new IllegalStateException("this Azurite serves plain HTTP");
        }
        return certificate;
    }

    public boolean alive() {
        return process.alive();
    }

    /** Kills Azurite and its child processes. */
    @Override
    public void close() {
        process.close();
    }

    public static final class Builder {
        private int port;
        private Path workFolder;
        private Path tlsFolder;
        private Path installFolder;
        private Duration startTimeout = Duration.ofSeconds(60);

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where the log goes; a temporary folder when not set. */
        public Builder workFolder(Path folder) {
            this.workFolder = folder;
            return this;
        }

        /** Serve HTTPS with a self-signed certificate made in this folder, and accept OAuth bearer tokens. */
        public Builder withHttpsAndOAuth(Path folder) {
            this.tlsFolder = folder;
            return this;
        }

        /** Install and run Azurite from this folder instead of the tools folder. */
        public Builder installFolder(Path folder) {
            this.installFolder = folder;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public AzuriteServer start() {
            AzuriteInstallation installation = installFolder != null
                    ? AzuriteInstallation.ensure(installFolder) : AzuriteInstallation.ensure();
            try {
                Path work = workFolder != null ? workFolder : Files.createTempDirectory("azurite");
                Files.createDirectories(work);
                int blobPort = port != 0 ? port : Ports.free();
                List<String> command = new ArrayList<>(List.of(installation.blobLauncher().toString(),
                        "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(blobPort),
                        "--inMemoryPersistence", "--silent",
                        "--skipApiVersionCheck", "--disableTelemetry", "--loose"));
                SelfSignedCertificate certificate = null;
                if (tlsFolder != null) {
                    certificate = SelfSignedCertificate.create(tlsFolder);
                    command.addAll(List.of("--oauth", "basic",
                            "--cert", certificate.certificatePemFile().toString(),
                            "--key", certificate.privateKeyPemFile().toString()));
                }
                ChildProcess process = ChildProcess.start("azurite", command, work.resolve("azurite.log"),
                        blobPort, startTimeout);
                return new AzuriteServer(process, blobPort, certificate);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
