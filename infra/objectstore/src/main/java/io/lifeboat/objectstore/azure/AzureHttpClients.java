package io.lifeboat.objectstore.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.outbound.CheckedNetty;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP clients (Netty, azure-core's default) for Azure Blob and Entra ID, with timeouts that make a wrong location
 * fail in seconds. One client serves many stores: make it once and share it.
 */
public final class AzureHttpClients {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    private AzureHttpClients() {
    }

    /** Trusts the JVM's certificate authorities; connects only to addresses {@code outbound} allows. */
    public static HttpClient standard(OutboundPolicy outbound) {
        return withTimeouts(new NettyAsyncHttpClientBuilder(
                CheckedNetty.apply(reactor.netty.http.client.HttpClient.create(), outbound)));
    }

    /**
     * Trusts only the certificates of this PEM (a private CA, or a self-signed test server), for this client alone:
     * the JVM's defaults are left as they are.
     */
    public static HttpClient trustingOnly(String caCertificatePem, OutboundPolicy outbound) {
        SslContext tls;
        try {
            tls = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(new ByteArrayInputStream(caCertificatePem.getBytes(StandardCharsets.US_ASCII)))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new StoreException("CertificateError", "the CA certificate is not a readable PEM certificate", e);
        }
        reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create()
                .secure(spec -> spec.sslContext(tls));
        netty = CheckedNetty.apply(netty, outbound);
        return withTimeouts(new NettyAsyncHttpClientBuilder(netty));
    }

    private static HttpClient withTimeouts(NettyAsyncHttpClientBuilder builder) {
        return builder.connectTimeout(CONNECT_TIMEOUT)
                .writeTimeout(IO_TIMEOUT)
                .responseTimeout(IO_TIMEOUT)
                .readTimeout(IO_TIMEOUT)
                .build();
    }
}
