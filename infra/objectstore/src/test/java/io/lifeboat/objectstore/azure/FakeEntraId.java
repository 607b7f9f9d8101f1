package io.lifeboat.objectstore.azure;

import io.lifeboat.objectstore.HttpStubs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.lifeboat.sandbox.tls.SelfSignedCertificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for Entra ID's token endpoint ({authority}/{tenant}/oauth2/v2.0/token) over HTTPS on loopback. It
 * answers the client-credentials grant of its one app registration with a JWT-shaped access token that Azurite's
 * basic OAuth mode accepts (Microsoft issuer, storage audience, valid nbf/iat/exp; the signature is not checked),
 * and refuses other secrets as Entra ID does: 401 invalid_client with AADSTS7000215.
 */
final class FakeEntraId implements AutoCloseable {
    private final HttpsServer server;
    private final String tenantId;
    private final String clientId;
    private final String clientSecret;
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The audience of the tokens it hands out; a test changes it to have the blob service refuse them. */
    volatile String audience = "https://storage.azure.com";

    FakeEntraId(SelfSignedCertificate certificate, String tenantId, String clientId, String clientSecret)
            throws IOException, GeneralSecurityException {
        this.tenantId = tenantId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(certificate)));
        server.createContext("/", this::handle);
        server.start();
    }

    String authorityHost() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    static SSLContext serverContext(SelfSignedCertificate certificate)
            throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificate.keyStore())) {
            keys.load(in, SelfSignedCertificate.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, SelfSignedCertificate.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path);
        if (!exchange.getRequestMethod().equals("POST") || !path.equals("/" + tenantId + "/oauth2/v2.0/token")) {
            HttpStubs.sendJson(exchange, 404, "{\"error\":\"not_found\",\"error_description\":\"not served by this fake\"}");
            return;
        }
        Map<String, String> form = HttpStubs.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            HttpStubs.sendJson(exchange, 400, entraError("unsupported_grant_type", 70003, "AADSTS70003: The app requested an "
                    + "unsupported grant type."));
        } else if (!clientId.equals(form.get("client_id"))) {
            HttpStubs.sendJson(exchange, 400, entraError("unauthorized_client", 700016, "AADSTS700016: Application with "
                    + "identifier was not found in the directory."));
        } else if (!clientSecret.equals(form.get("client_secret"))) {
            HttpStubs.sendJson(exchange, 401, entraError("invalid_client", 7000215, "AADSTS7000215: Invalid client secret "
                    + "provided. Ensure the secret being sent in the request is the client secret value, not the "
                    + "client secret ID, for a secret added to app '" + clientId + "'."));
        } else {
            HttpStubs.sendJson(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                    + "\"access_token\":\"" + accessToken() + "\"}");
        }
    }

    private String accessToken() {
        long now = Instant.now().getEpochSecond();
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"lifeboat-test\"}";
        String claims = "{\"aud\":\"" + audience + "\",\"iss\":\"https://sts.windows.net/" + tenantId
                + "/\",\"iat\":" + (now - 60) + ",\"nbf\":" + (now - 60) + ",\"exp\":" + (now + 3600)
                + ",\"appid\":\"" + clientId + "\",\"tid\":\"" + tenantId + "\",\"ver\":\"1.0\"}";
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString("not-checked-by-azurite".getBytes(StandardCharsets.UTF_8));
    }

    private static String entraError(String error, int code, String description) {
        return "{\"error\":\"" + error + "\",\"error_description\":\"" + description + " Trace ID: 0000 Correlation"
                + " ID: 0000 Timestamp: " + Instant.now() + "\",\"error_codes\":[" + code + "],\"timestamp\":\""
                + Instant.now() + "\",\"trace_id\":\"0000\",\"correlation_id\":\"0000\","
                + "\"error_uri\":\"https://login.microsoftonline.com/error?code=" + code + "\"}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
