package io.lifeboat.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;

/** Plain HTTPS requests to a sandbox, as a client other than fabric8 and kubectl would send them. */
final class RawApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, JsonNode body, HttpHeaders headers) {
        /** The first value of a header, or null. */
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final HttpClient http;
    private final String url;
    private final String token;

    RawApi(String url, String token) {
        this.url = url;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .sslContext(trustAll())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    Answer get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url + pathAndQuery)).GET(), token);
    }

    Answer getWithToken(String pathAndQuery, String otherToken) {
        return send(HttpRequest.newBuilder(URI.create(url + pathAndQuery)).GET(), otherToken);
    }

    /** Any method, with a JSON body (null for none) of the content type given. */
    Answer send(String method, String pathAndQuery, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + pathAndQuery)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, token);
    }

    private Answer send(HttpRequest.Builder request, String bearer) {
        request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode json = body.isEmpty() || !(body.startsWith("{") || body.startsWith("["))
                    ? JSON.getNodeFactory().textNode(body) : JSON.readTree(body);
            return new Answer(response.statusCode(), json, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Accepts any certificate and host. It must be an X509ExtendedTrustManager: the JDK wraps a plain
     * X509TrustManager in one that still checks the host name, which the sandbox's certificate does not carry.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** The sandbox's certificate is not verified, as its kubeconfig says. */
    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
