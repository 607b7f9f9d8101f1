package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The API, as the command line uses it: JSON in and out over the JDK's HttpClient, every path under
 * {@code /v1/projects/{project}/}, the bearer token on every request when there is one. An error answer becomes an
 * {@link ApiError} with the API's message and field; a server that cannot be reached, a {@link CliException} saying
 * how to start local mode. Files (logs, archives) are streamed, never held whole.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

    private final Connection connection;
    private final HttpClient http;

    ApiClient(Connection connection) {
        this.connection = connection;
        // HTTP/1.1: the JDK would otherwise ask a plain-http server to upgrade to h2c, and local mode checks the Host
        // header, which an HTTP/2 request does not carry (it has :authority instead)
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Connection connection() {
        return connection;
    }

    /** The path of the project's collection or record from its segments, each one percent-encoded. */
    static String path(String... segments) {
        return Arrays.stream(segments).map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    JsonNode get(String path) {
        return json(send(request(path).GET(), path));
    }

    JsonNode post(String path, JsonNode body) {
        HttpRequest.Builder request = request(path);
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        return json(send(request, path));
    }

    /** DELETE; the answer's record when there is one (a backup left Deleting), else null (204). */
    JsonNode delete(String path) {
        HttpResponse<InputStream> answer = send(request(path).DELETE(), path);
        return answer.statusCode() == 204 ? drain(answer) : json(answer);
    }

    /** Every item of a list, following {@code nextToken} page after page; {@code query} is e.g. {@code cluster=a}. */
    ArrayNode list(String path, String query) {
        ArrayNode items = JSON.createArrayNode();
        String token = null;
        do {
            StringBuilder url = new StringBuilder(path).append("?limit=1000");
            if (query != null) {
                url.append('&').append(query);
            }
            if (token != null) {
                url.append("&nextToken=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
            }
            JsonNode page = get(url.toString());
            page.path("items").forEach(items::add);
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);
        return items;
    }

    /** A text file of the API (a log), copied to {@code out} as it arrives. */
    void copyText(String path, Writer out) {
        HttpResponse<InputStream> answer = send(request(path).setHeader("Accept", "text/plain, */*").GET(), path);
        try (Reader in = new InputStreamReader(answer.body(), StandardCharsets.UTF_8)) {
            in.transferTo(out);
            out.flush();
        } catch (IOException e) {
            throw new CliException("the answer to GET " + path + " broke off: " + e.getMessage());
        }
    }

    /** A binary file of the API (an archive), copied to {@code out} as it arrives; the bytes copied. */
    long copyBytes(String path, OutputStream out) throws IOException {
        HttpResponse<InputStream> answer = send(request(path).setHeader("Accept", "application/gzip, */*").GET(), path, null);
        try (InputStream in = answer.body()) {
            return in.transferTo(out);
        }
    }

    private HttpRequest.Builder request(String path) {
        URI uri = URI.create(connection.server() + "/v1/projects/" + path(connection.project()) + "/" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json")
                .header("User-Agent", "lifeboat-cli/" + Lifeboat.version());
        if (connection.token() != null) {
            request.header("Authorization", "Bearer " + connection.token());
        }
        return request;
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder request, String path) {
        return send(request, path, CALL_TIMEOUT);
    }

    /** Sends, and turns an error answer into an ApiError; {@code timeout} null for a download of any length. */
    private HttpResponse<InputStream> send(HttpRequest.Builder request, String path, Duration timeout) {
        if (timeout != null) {
            request.timeout(timeout);
        }
        HttpRequest built = request.build();
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new CliException("cannot reach Lifeboat at " + connection.server() + ": no answer to the connection"
                    + " within 10 s");
        } catch (ConnectException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw new CliException(built.method() + " " + path + ": no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException | InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (IOException e) {
            throw new CliException("cannot reach Lifeboat at " + connection.server() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (answer.statusCode() >= 400) {
            throw error(answer);
        }
        if (answer.statusCode() >= 300) {
            drain(answer);
            throw new CliException(built.method() + " " + built.uri() + " answered " + answer.statusCode()
                    + " (a redirect, not followed): is --server the API's address?");
        }
        return answer;
    }

    /** Connection refused: nothing listens there. Says how to start local mode, the usual reason. */
    private CliException unreachable() {
        return new CliException("cannot reach Lifeboat at " + connection.server() + ": connection refused.\n"
                + "Nothing is listening there. To run Lifeboat locally, from the checkout:\n"
                + "  ./mvnw -B -q -DskipTests package && java -jar functions/local/target/quarkus-app/quarkus-run.jar\n"
                + "or point --server (or `lifeboat config set server URL`) at your Lifeboat API.");
    }

    private static ApiError error(HttpResponse<InputStream> answer) {
        int status = answer.statusCode();
        byte[] body;
        try (InputStream in = answer.body()) {
            body = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.hasNonNull("message")) {
                return new ApiError(status, error.path("code").asText(null),
                        error.hasNonNull("field") ? error.get("field").asText() : null, error.get("message").asText());
            }
        } catch (IOException notJson) {
            // described below by its status alone
        }
        String reason = switch (status) {
            case 401 -> "not authenticated: set LIFEBOAT_TOKEN or --token-file";
            case 403 -> "forbidden: the token does not grant this project";
            case 404 -> "no such path: is --server the Lifeboat API?";
            default -> "the server answered HTTP " + status;
        };
        return new ApiError(status, null, null, reason);
    }

    private static JsonNode json(HttpResponse<InputStream> answer) {
        try (InputStream in = answer.body()) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new CliException("the answer of " + answer.request().uri() + " is not JSON: " + e.getMessage());
        }
    }

    private static JsonNode drain(HttpResponse<InputStream> answer) {
        try (InputStream in = answer.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // nothing more to read
        }
        return null;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
