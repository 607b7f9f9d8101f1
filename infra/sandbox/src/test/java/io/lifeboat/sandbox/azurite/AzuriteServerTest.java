package io.lifeboat.sandbox.azurite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Azurite started from the project's own files: installed if missing, reachable, and gone after close. */
class AzuriteServerTest {
    @TempDir
    Path work;

    @Test
    void servesBlobApiOverHttpAndStopsOnClose() throws Exception {
        AzuriteServer azurite = AzuriteServer.builder().workFolder(work).start();
        int port = azurite.port();
        try (azurite) {
            assertEquals("http://127.0.0.1:" + port + "/devstoreaccount1", azurite.blobEndpoint());
            assertTrue(azurite.connectionString().contains("AccountName=devstoreaccount1;"));
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(azurite.blobEndpoint() + "?comp=list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            // No credentials: Azurite answers as Azure does, refusing the anonymous account listing.
            assertEquals(403, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Server").orElse("").startsWith("Azurite-Blob/3.37.0"),
                    response.headers().toString());
        }
        assertFalse(azurite.alive());
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            }
        });
    }

    @Test
    void httpsModeTrustsOnlyItsCertificateAndChecksBearerTokens() throws Exception {
        try (AzuriteServer azurite = AzuriteServer.builder().workFolder(work).withHttpsAndOAuth(work.resolve("tls"))
                .start()) {
            URI listContainers = URI.create(azurite.blobEndpoint() + "?comp=list");

            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(SSLHandshakeException.class, () -> untrusting.send(HttpRequest.newBuilder(listContainers)
                    .build(), HttpResponse.BodyHandlers.discarding()));

            HttpClient trusting = HttpClient.newBuilder().sslContext(azurite.certificate().trustingContext())
                    .connectTimeout(Duration.ofSeconds(5)).build();
            long now = Instant.now().getEpochSecond();
            String valid = jwt("https://sts.windows.net/tenant/", "https://storage.azure.com", now - 60, now + 3600);
            String foreignIssuer = jwt("https://issuer.example/", "https://storage.azure.com", now - 60, now + 3600);
            String expired = jwt("https://sts.windows.net/tenant/", "https://storage.azure.com", now - 7200, now - 3600);

            assertEquals(200, send(trusting, listContainers, valid).statusCode());
            HttpResponse<String> wrongIssuer = send(trusting, listContainers, foreignIssuer);
            // Azure answers a refused bearer token with 403 AuthenticationFailed, and so does Azurite.
            assertEquals(403, wrongIssuer.statusCode());
            assertTrue(wrongIssuer.body().contains("AuthenticationFailed"), wrongIssuer.body());
            assertTrue(wrongIssuer.body().contains("Invalid token issuer"), wrongIssuer.body());
            HttpResponse<String> tooLate = send(trusting, listContainers, expired);
            assertEquals(403, tooLate.statusCode());
            assertTrue(tooLate.body().contains("expired"), tooLate.body());
        }
    }

    private static HttpResponse<String> send(HttpClient client, URI uri, String token)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("x-ms-version", "2021-10-04").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An unsigned-looking JWT: Azurite's basic OAuth mode decodes it without checking the signature. */
    private static String jwt(String issuer, String audience, long notBefore, long expires) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"aud\":\"" + audience + "\",\"iss\":\"" + issuer + "\",\"iat\":" + notBefore
                + ",\"nbf\":" + notBefore + ",\"exp\":" + expires + "}";
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString("signature".getBytes(StandardCharsets.UTF_8));
    }
}
