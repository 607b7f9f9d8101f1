package io.lifeboat.local;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a web page in the user's browser could send to local mode, sent byte for byte to the real HTTP server on
 * loopback: a rebound DNS name in Host, a cross-origin POST, a form POST. Each is a 403 in the API's error shape.
 */
@QuarkusTest
@QuarkusTestResource(LocalPorts.class)
class LoopbackGuardTest {
    static final String VALIDATE = "/v1/projects/default/locations/local/validate";
    static final String PAUSE = "/v1/projects/default/schedules/nightly/pause";

    record Answer(int status, String body) {
    }

    /** One HTTP/1.1 request written on a socket to 127.0.0.1, so that every header is exactly as given. */
    static Answer send(String method, String path, String host, String... headers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            if (host != null) {
                request.append("Host: ").append(host).append("\r\n");
            }
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            boolean hasBody = method.equals("POST");
            request.append(hasBody ? "Content-Length: 2\r\n" : "").append("Connection: close\r\n\r\n")
                    .append(hasBody ? "{}" : "");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyStart = response.indexOf("\r\n\r\n");
            return new Answer(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
        }
    }

    static String local() {
        return "127.0.0.1:" + RestAssured.port;
    }

    static void assertForbidden(Answer answer, String field) {
        assertEquals(403, answer.status(), answer.body());
        assertTrue(answer.body().contains("\"code\":\"Forbidden\""), answer.body());
        assertTrue(answer.body().contains("\"field\":\"" + field + "\""), answer.body());
    }

    @Test
    void theLocalApiAnswersLoopbackNamesOnItsPort() throws IOException {
        for (String host : new String[]{"127.0.0.1:" + RestAssured.port, "localhost:" + RestAssured.port,
                "LOCALHOST:" + RestAssured.port, "[::1]:" + RestAssured.port}) {
            assertEquals(200, send("GET", "/v1/projects/default/locations/local", host).status(), host);
        }
        Answer validated = send("POST", VALIDATE, local(), "Content-Type: application/json",
                "Origin: http://localhost:" + RestAssured.port);
        assertEquals(200, validated.status(), validated.body());
        assertEquals(404, send("POST", PAUSE, local(), "Content-Type: application/json").status(),
                "a write from the API's own origin reaches the resource");
    }

    @ParameterizedTest
    @ValueSource(strings = {"attacker.example", "attacker.example:PORT", "127.0.0.1.nip.io:PORT", "localhost.:PORT",
            "127.0.0.1:1", "127.0.0.2:PORT", "0.0.0.0:PORT", "[::ffff:127.0.0.1]:PORT", "localhost"})
    void aRequestForAnotherHostIsRefused(String host) throws IOException {
        String value = host.replace("PORT", String.valueOf(RestAssured.port));
        assertForbidden(send("GET", "/v1/projects/default/locations/local", value), "Host");
        assertForbidden(send("POST", VALIDATE, value, "Content-Type: application/json"), "Host");
    }

    /** The console, its settings and /q answer the same Host check as the API; loopback names get them. */
    @ParameterizedTest
    @ValueSource(strings = {"/", "/index.html", "/console-config.json", "/q/health/live", "/q/openapi"})
    void everyOtherPathChecksHostToo(String path) throws IOException {
        assertForbidden(send("GET", path, "attacker.example"), "Host");
        assertForbidden(send("GET", path, "127.0.0.1.nip.io:" + RestAssured.port), "Host");
        assertEquals(200, send("GET", path, local()).status(), path);
    }

    /**
     * The JDK's HttpClient upgrades a plain-HTTP request to HTTP/2 (h2c) by default; HTTP/2 names the server in
     * {@code :authority} and sends no Host, and the local API still answers it.
     */
    @Test
    void anHttp2RequestNamesItsHostInItsAuthority() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> first = null;
        for (int i = 0; i < 2; i++) { // the first request upgrades the connection, the second is HTTP/2 from the start
            first = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + local()
                    + "/v1/projects/default/locations/local")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, first.statusCode(), first.body());
        }
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, first.version(), "the connection was upgraded to HTTP/2");
    }

    @Test
    void aRequestWithoutHostIsRefused() throws IOException {
        int status = send("GET", "/v1/projects/default/locations", null).status();
        assertTrue(status == 400 || status == 403, "answered " + status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://attacker.example", "null", "http://127.0.0.1:1", "https://localhost:PORT",
            "http://localhost:PORT.attacker.example"})
    void aCrossOriginWriteIsRefused(String origin) throws IOException {
        String value = "Origin: " + origin.replace("PORT", String.valueOf(RestAssured.port));
        assertForbidden(send("POST", VALIDATE, local(), "Content-Type: application/json", value), "Origin");
        assertForbidden(send("POST", PAUSE, local(), "Content-Type: application/json", value), "Origin");
    }

    @Test
    void aCrossSiteFetchIsRefused() throws IOException {
        assertForbidden(send("POST", VALIDATE, local(), "Content-Type: application/json", "Sec-Fetch-Site: cross-site"),
                "Origin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "text/plain;charset=UTF-8", "Text/Plain"})
    void aFormPostIsRefused(String type) throws IOException {
        assertForbidden(send("POST", VALIDATE, local(), "Content-Type: " + type), "Content-Type");
        assertForbidden(send("POST", PAUSE, local(), "Content-Type: " + type), "Content-Type");
    }

    @Test
    void loopbackNamesAreMatchedExactly() {
        assertTrue(LoopbackGuard.isLocal("[::1]:8080", 8080));
        assertTrue(LoopbackGuard.isLocal("localhost", 80));
        assertFalse(LoopbackGuard.isLocal("[::1]", 8080));
        assertFalse(LoopbackGuard.isLocal("127.0.0.1:08080", 8080));
    }
}
