package io.lifeboat.objectstore.gcs;

import io.lifeboat.objectstore.HttpStubs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for Google's OAuth2 token endpoint and for the list call of the GCS JSON API, over plain HTTP on
 * loopback. The token endpoint checks the JWT assertion's RS256 signature against the one registered public key
 * and answers like Google: an access token, or 400 invalid_grant. The storage side knows one bucket of named
 * objects (served in pages), refuses bucket {@link #FORBIDDEN_BUCKET} with 403 and answers 404 notFound for any
 * other; it demands the issued access token.
 * It is test scaffolding of ours, not a GCS server: it proves the client's calls and our error mapping, not GCS.
 */
final class FakeGoogleApis implements AutoCloseable {
    static final String ACCESS_TOKEN = "ya29.lifeboat-test-token";
    static final String FORBIDDEN_BUCKET = "someone-elses-bucket";

    private final HttpServer server;
    private final PublicKey registeredKey;
    private final String bucket;
    private final List<String> objectNames;
    final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    final List<URI> storageRequests = new CopyOnWriteArrayList<>();

    FakeGoogleApis(PublicKey registeredKey, String bucket, List<String> objectNames) throws IOException {
        this.registeredKey = registeredKey;
        this.bucket = bucket;
        this.objectNames = objectNames.stream().sorted().toList();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/storage/v1/b/", this::storage);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String tokenUri() {
        return url() + "/token";
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = HttpStubs.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        tokenRequests.add(form.getOrDefault("grant_type", ""));
        String assertion = form.get("assertion");
        if (assertion != null && signedByRegisteredKey(assertion)) {
            HttpStubs.sendJson(exchange, 200, "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
        } else {
            HttpStubs.sendJson(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
        }
    }

    private boolean signedByRegisteredKey(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(registeredKey);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private void storage(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        storageRequests.add(uri);
        if (!("Bearer " + ACCESS_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            HttpStubs.sendJson(exchange, 401, error(401, "Invalid Credentials", "authError"));
            return;
        }
        String[] path = uri.getPath().split("/");
        // /storage/v1/b/{bucket}/o
        if (!exchange.getRequestMethod().equals("GET") || path.length != 6 || !path[5].equals("o")) {
            HttpStubs.sendJson(exchange, 501, error(501, "not served by this fake", "notImplemented"));
            return;
        }
        if (path[4].equals(FORBIDDEN_BUCKET)) {
            HttpStubs.sendJson(exchange, 403, error(403, "lifeboat@lifeboat-test.iam.gserviceaccount.com does not have "
                    + "storage.objects.list access to the Google Cloud Storage bucket. Permission 'storage.objects.list'"
                    + " denied on resource (or it may not exist).", "forbidden"));
            return;
        }
        if (!path[4].equals(bucket)) {
            HttpStubs.sendJson(exchange, 404, error(404, "The specified bucket does not exist.", "notFound"));
            return;
        }
        Map<String, String> query = HttpStubs.form(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        String prefix = query.getOrDefault("prefix", "");
        int maxResults = Integer.parseInt(query.getOrDefault("maxResults", "1000"));
        int start = Integer.parseInt(query.getOrDefault("pageToken", "0"));
        List<String> matching = objectNames.stream().filter(n -> n.startsWith(prefix)).toList();
        int end = Math.min(matching.size(), start + maxResults);
        List<String> items = new ArrayList<>();
        for (String name : matching.subList(Math.min(start, end), end)) {
            items.add("{\"kind\":\"storage#object\",\"bucket\":\"" + bucket + "\",\"name\":\"" + name + "\"}");
        }
        String next = end < matching.size() ? ",\"nextPageToken\":\"" + end + "\"" : "";
        HttpStubs.sendJson(exchange, 200, "{\"kind\":\"storage#objects\",\"items\":[" + String.join(",", items) + "]" + next + "}");
    }

    private static String error(int code, String message, String reason) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"errors\":[{\"message\":\""
                + message + "\",\"domain\":\"global\",\"reason\":\"" + reason + "\"}]}}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
