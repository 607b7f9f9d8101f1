package io.lifeboat.disks.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.lifeboat.disk.DiskException;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.input.OutboundRefusedException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JSON over HTTPS with the JDK's client, for the clouds' REST APIs Lifeboat calls without their SDKs (Microsoft.Compute,
 * Compute Engine, and their token endpoints): no redirect is followed, every host is checked by the outbound policy
 * before a request, and throttling (429, and 503) is waited out a few times (its Retry-After, at most 5 s) before it is
 * a retryable {@link DiskException}. Bearer tokens and form secrets never appear in a message.
 */
public final class JsonHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 4;
    private static final long MOST_WAIT_MILLIS = 5_000;

    private final HttpClient client;
    private final OutboundPolicy outbound;

    public JsonHttp(OutboundPolicy outbound) {
        this.outbound = outbound;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** An answer: its status and JSON body (missing when empty or not JSON), and a header. */
    public record Response(int status, JsonNode body, Map<String, java.util.List<String>> headers) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    /** A JSON request ({@code body} null: none) with a bearer token. */
    public Response send(String method, URI uri, String bearer, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return exchange(uri, request.build());
    }

    /** A form POST (token endpoints). */
    public Response form(URI uri, Map<String, String> fields) {
        String form = fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return exchange(uri, HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private Response exchange(URI uri, HttpRequest request) {
        check(uri);
        String where = request.method() + " " + uri.getPath();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> answer;
            try {
                answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new DiskException("ConnectionFailed", true, where + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DiskException("Interrupted", false, where + ": interrupted", e);
            }
            Response response = new Response(answer.statusCode(), parse(answer.body()), answer.headers().map());
            boolean throttled = answer.statusCode() == 429 || answer.statusCode() == 503;
            if (!throttled || attempt == ATTEMPTS) {
                return response;
            }
            pause(response, attempt);
        }
    }

    private static void pause(Response response, int attempt) {
        long wait = 200L << (attempt - 1);
        String retryAfter = response.header("Retry-After");
        if (retryAfter != null) {
            try {
                wait = Long.parseLong(retryAfter.trim()) * 1000;
            } catch (NumberFormatException ignored) {
                // an HTTP date: keep the backoff
            }
        }
        try {
            Thread.sleep(Math.min(wait, MOST_WAIT_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DiskException("Interrupted", false, "interrupted while throttled", e);
        }
    }

    private void check(URI uri) {
        if (!"https".equals(uri.getScheme()) && !(outbound.allowsLoopback() && "http".equals(uri.getScheme()))) {
            throw new DiskException("RefusedEndpoint", false, uri.getScheme() + " is refused: only https");
        }
        try {
            outbound.resolve(uri.getHost());
        } catch (OutboundRefusedException e) {
            throw new DiskException("RefusedEndpoint", false, "host " + uri.getHost() + " is refused: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
