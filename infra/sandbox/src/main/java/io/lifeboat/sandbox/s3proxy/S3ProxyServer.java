package io.lifeboat.sandbox.s3proxy;

import io.lifeboat.sandbox.ChildProcess;
import io.lifeboat.sandbox.Ports;
import io.lifeboat.sandbox.Tools;
import io.lifeboat.sandbox.tls.SelfSignedCertificate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * s3proxy, an S3-compatible server, run as a child process on loopback. It serves as the S3 and MinIO endpoint of
 * tests and of local mode. Objects live in memory, or under a folder when one is given.
 */
public final class S3ProxyServer implements AutoCloseable {
    private final ChildProcess process;
    private final int port;
    private final int securePort;
    private final String accessKey;
    private final String secretKey;
    private final SelfSignedCertificate certificate;

    private S3ProxyServer(ChildProcess process, int port, int securePort, String accessKey, String secretKey,
                          SelfSignedCertificate certificate) {
        this.process = process;
        this.port = port;
        this.securePort = securePort;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.certificate = certificate;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The HTTPS endpoint, when the server was built {@link Builder#withHttps(Path) with HTTPS}. */
    public String secureUrl() {
        if (certificate == null) {
            throw new IllegalStateException("this s3proxy serves plain HTTP only");
        }
        return "https://127.0.0.1:" + securePort;
    }

    public SelfSignedCertificate certificate() {
        return certificate;
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Stops the server as if it crashed: the next request fails. */
    @Override
    public void close() {
        process.close();
    }

    public static final class Builder {
        private int port;
        private String accessKey = "lifeboat-local";
        private String secretKey = "lifeboat-local-secret";
        private Path dataFolder;
        private Path tlsFolder;
        private Path workFolder;

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder credentials(String accessKey, String secretKey) {
            this.accessKey = accessKey;
            this.secretKey = secretKey;
            return this;
        }

        /** Keep objects under this folder (kept between runs); without it they live in memory. */
        public Builder dataFolder(Path folder) {
            this.dataFolder = folder;
            return this;
        }

        /** Also serve HTTPS with a self-signed certificate made in this folder. */
        public Builder withHttps(Path folder) {
            this.tlsFolder = folder;
            return this;
        }

        public S3ProxyServer start() {
            try {
                int httpPort = port != 0 ? port : Ports.free();
                Path work = workFolder != null ? Files.createDirectories(workFolder) : Files.createTempDirectory("s3proxy");
                Properties p = new Properties();
                p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + httpPort);
                p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
                p.setProperty("s3proxy.identity", accessKey);
                p.setProperty("s3proxy.credential", secretKey);
                if (dataFolder != null) {
                    Files.createDirectories(dataFolder);
                    p.setProperty("jclouds.provider", "filesystem-nio2");
                    p.setProperty("jclouds.filesystem.basedir", dataFolder.toAbsolutePath().toString());
                } else {
                    p.setProperty("jclouds.provider", "transient-nio2");
                }
                SelfSignedCertificate certificate = null;
                int httpsPort = 0;
                if (tlsFolder != null) {
                    certificate = SelfSignedCertificate.create(tlsFolder);
                    httpsPort = Ports.free();
                    p.setProperty("s3proxy.secure-endpoint", "https://127.0.0.1:" + httpsPort);
                    p.setProperty("s3proxy.keystore-path", certificate.keyStore().toString());
                    p.setProperty("s3proxy.keystore-password", SelfSignedCertificate.PASSWORD);
                }
                Path properties = work.resolve("s3proxy.properties");
                try (var out = Files.newOutputStream(properties)) {
                    p.store(out, "written by Lifeboat's sandbox");
                }
                List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                        "-jar", Tools.require("s3proxy.jar").toString(), "--properties", properties.toString()));
                ChildProcess process = ChildProcess.start("s3proxy", command, work.resolve("s3proxy.log"), httpPort,
                        Duration.ofSeconds(60));
                return new S3ProxyServer(process, httpPort, httpsPort, accessKey, secretKey, certificate);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Builder workFolder(Path folder) {
            this.workFolder = folder;
            return this;
        }

        private static String javaBinary() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
    }
}
