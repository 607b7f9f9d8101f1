package io.lifeboat.objectstore.minio;

import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.objectstore.outbound.CheckedDns;
import io.lifeboat.objectstore.outbound.CheckedSockets;
import io.lifeboat.location.LocationField;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import okhttp3.OkHttpClient;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;

/** Builds the MinIO client of a {@code minio} location, trusting its CA certificate when it has one. */
public final class MinioClients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private MinioClients() {
    }

    /**
     * Two clients on one connection pool: the plain one for whole calls, and the asynchronous one, whose single S3
     * calls (UploadPart and the rest) {@link MinioUpload} uses to see each part's ETag. Closing the plain one closes
     * the pool.
     */
    public record Clients(MinioClient client, MinioAsyncClient parts) {
    }

    /** Connects only to addresses {@code outbound} allows, and follows no redirect. */
    public static Clients create(Location location, OutboundPolicy outbound) {
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(CALL_TIMEOUT)
                .writeTimeout(CALL_TIMEOUT)
                .retryOnConnectionFailure(false)
                .proxy(java.net.Proxy.NO_PROXY)
                .dns(new CheckedDns(outbound))
                .socketFactory(new CheckedSockets(outbound))
                .followRedirects(false)
                .followSslRedirects(false);
        String ca = location.field(LocationField.CA_CERTIFICATE);
        if (ca != null) {
            X509TrustManager trust = trusting(ca);
            http.sslSocketFactory(sslContext(trust).getSocketFactory(), trust);
        }
        OkHttpClient pool = http.build();
        MinioClient client = MinioClient.builder()
                .endpoint(location.field(LocationField.S3_URL))
                .region(location.field(LocationField.REGION))
                .credentials(location.field(LocationField.ACCESS_KEY_ID), location.field(LocationField.SECRET_ACCESS_KEY))
                .httpClient(pool, true)
                .build();
        MinioAsyncClient parts = MinioAsyncClient.builder()
                .endpoint(location.field(LocationField.S3_URL))
                .region(location.field(LocationField.REGION))
                .credentials(location.field(LocationField.ACCESS_KEY_ID), location.field(LocationField.SECRET_ACCESS_KEY))
                .httpClient(pool, false)
                .build();
        if (!location.flag(LocationField.FORCE_PATH_STYLE)) {
            client.enableVirtualStyleEndpoint();
            parts.enableVirtualStyleEndpoint();
        }
        return new Clients(client, parts);
    }

    private static X509TrustManager trusting(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager available");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the CA certificate could not be loaded", e);
        }
    }

    private static SSLContext sslContext(X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[]{trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
