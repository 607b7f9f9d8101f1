package io.lifeboat.objectstore.gcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lifeboat.objectstore.HttpStubs;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.StoredVersion;
import io.lifeboat.objectstore.Upload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Object retention on GCS, checked by the requests the real google-cloud-storage client sends over its JSON API (no
 * GCS server can be had here): a locked object's metadata, in its multipart or resumable upload, carries
 * {@code retention: {mode, retainUntilTime}}; the validation reads the bucket's {@code objectRetention}; deleting
 * lists every generation with its retention and deletes one by its generation. A loopback stand-in answers as the JSON
 * API does and keeps every request (method, path and query, body).
 */
class GcsObjectRetentionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant UNTIL = Instant.parse("2027-01-05T06:30:00Z");

    record Request(String method, String path, String query, byte[] body) {
        /** The body as text; the client gzips a multipart upload's body (Content-Encoding: gzip). */
        String text() {
            if (body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
                try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                        new java.io.ByteArrayInputStream(body))) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The object metadata sent: the first JSON object in the body (alone, or the first part of a multipart). */
        JsonNode metadata() throws IOException {
            java.util.regex.Matcher start = java.util.regex.Pattern.compile("\\{\\s*\"").matcher(text());
            if (!start.find()) {
                throw new AssertionError("no JSON object in " + text());
            }
            return JSON.readTree(JSON.getFactory().createParser(text().substring(start.start())));
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream session = new ByteArrayOutputStream();
    private volatile Function<Request, String> answer = request -> null;
    private HttpServer server;
    private Storage storage;
    private GcsObjectStore store;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        storage = StorageOptions.http().setHost(url).setProjectId("lifeboat-test")
                .setCredentials(NoCredentials.getInstance()).build().getService();
        store = new GcsObjectStore(storage, "locked");
    }

    @AfterEach
    void stop() throws Exception {
        storage.close();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                String.valueOf(exchange.getRequestURI().getQuery()), exchange.getRequestBody().readAllBytes());
        requests.add(request);
        String custom = answer.apply(request);
        if (custom != null) {
            HttpStubs.sendJson(exchange, custom.startsWith("{\"error\"") ? 403 : 200, custom);
        } else if (request.method().equals("POST") && request.query().contains("uploadType=resumable")) {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort()
                    + "/upload/session/1");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        } else if (request.path().startsWith("/upload/session/")) {
            session.write(request.body());
            HttpStubs.sendJson(exchange, 200, object("b/b-results.gz", session.toByteArray()));
        } else if (request.method().equals("POST")) { // a multipart upload: the metadata, then the bytes
            HttpStubs.sendJson(exchange, 200, object("b/lifeboat-encryption.json", new byte[0]));
        } else if (request.method().equals("GET") && request.path().startsWith("/storage/v1/b/locked/o/")) {
            HttpStubs.sendJson(exchange, 200, object("b/b-results.gz", session.toByteArray()));
        } else if (request.method().equals("DELETE")) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        } else {
            HttpStubs.sendJson(exchange, 404, "{\"error\":{\"code\":404,\"message\":\"Not Found\"}}");
        }
    }

    private static String object(String name, byte[] stored) {
        return "{\"kind\":\"storage#object\",\"bucket\":\"locked\",\"name\":\"" + name + "\",\"generation\":\"7\","
                + "\"size\":\"" + stored.length + "\",\"crc32c\":\"" + Crc32cStorage.crc32c(stored) + "\","
                + "\"retention\":{\"mode\":\"Unlocked\",\"retainUntilTime\":\"2027-01-05T06:30:00.000Z\"}}";
    }

    private static void assertRetention(JsonNode metadata, String mode) {
        JsonNode retention = metadata.get("retention");
        assertEquals(mode, retention.get("mode").asText(), metadata.toString());
        assertEquals(UNTIL, Instant.parse(retention.get("retainUntilTime").asText()), metadata.toString());
    }

    @Test
    void aLockedObjectIsCreatedWithItsRetention() throws IOException {
        store.put("b/lifeboat-encryption.json", "{}".getBytes(StandardCharsets.UTF_8),
                new Retention(Retention.Mode.GOVERNANCE, UNTIL));

        Request create = requests.get(0);
        assertEquals("POST", create.method());
        assertEquals("/upload/storage/v1/b/locked/o", create.path());
        assertRetention(create.metadata(), "Unlocked");
        assertEquals("b/lifeboat-encryption.json", create.metadata().get("name").asText());
    }

    @Test
    void aLockedResumableUploadStartsWithItsRetentionInComplianceMode() throws IOException {
        byte[] content = "some results".getBytes(StandardCharsets.UTF_8);
        Upload upload = store.upload("b/b-results.gz", new Retention(Retention.Mode.COMPLIANCE, UNTIL));
        upload.write(content, 0, content.length);
        upload.commit();

        Request start = requests.get(0);
        assertEquals("POST", start.method());
        assertTrue(start.query().contains("uploadType=resumable"), start.query());
        assertRetention(start.metadata(), "Locked");
        assertTrue(upload.verifiedByStore(), "the CRC32C check still holds");
    }

    @Test
    void aPlainUploadSendsNoRetention() throws IOException {
        Upload upload = store.upload("b/b-logs.gz", null);
        upload.write(new byte[]{1}, 0, 1);
        upload.commit();
        assertFalse(requests.get(0).metadata().has("retention"), requests.get(0).text());
    }

    @Test
    void theValidationReadsTheBucketsObjectRetention() {
        answer = request -> request.path().equals("/storage/v1/b/locked")
                ? "{\"kind\":\"storage#bucket\",\"name\":\"locked\",\"objectRetention\":{\"mode\":\"Enabled\"}}" : null;
        store.checkRetention();
        assertEquals("GET", requests.get(0).method());
        assertTrue(requests.get(0).query().matches(".*fields=[^&]*objectRetention.*"), requests.get(0).query());

        answer = request -> "{\"kind\":\"storage#bucket\",\"name\":\"locked\"}";
        StoreException refused = assertThrows(StoreException.class, store::checkRetention);
        assertEquals(ObjectStore.IMMUTABILITY_NOT_ENABLED, refused.reason());
        assertTrue(refused.getMessage().contains("bucket locked does not have object retention enabled"), refused.getMessage());
    }

    @Test
    void generationsComeWithTheirRetentionAndAreDeletedByGeneration() {
        answer = request -> request.method().equals("GET") && request.path().equals("/storage/v1/b/locked/o") ? """
                {"kind":"storage#objects","items":[
                  {"kind":"storage#object","bucket":"locked","name":"b/b.tar.gz","generation":"5"},
                  {"kind":"storage#object","bucket":"locked","name":"b/b.tar.gz","generation":"7",
                   "retention":{"mode":"Unlocked","retainUntilTime":"2027-01-05T06:30:00.000Z"}}]}""" : null;

        List<StoredVersion> versions = store.versions("b/");

        assertEquals(List.of(new StoredVersion("b/b.tar.gz", "5", null), new StoredVersion("b/b.tar.gz", "7", UNTIL)),
                versions);
        assertTrue(requests.get(0).query().contains("versions=true") && requests.get(0).query().contains("prefix=b/"),
                requests.get(0).query());

        requests.clear();
        store.deleteVersion(versions.get(0));
        assertEquals("DELETE", requests.get(0).method());
        assertEquals("/storage/v1/b/locked/o/b/b.tar.gz", requests.get(0).path());
        assertTrue(requests.get(0).query().contains("generation=5"), requests.get(0).query());
        assertFalse(requests.get(0).query().contains("overrideUnlockedRetention"), "a retention is never overridden");
    }

    @Test
    void aRefusedDeleteOfARetainedGenerationIsAStoreFailure() {
        answer = request -> request.method().equals("DELETE")
                ? "{\"error\":{\"code\":403,\"message\":\"Object is under retention\",\"errors\":[{\"reason\":\"retentionPolicyNotMet\"}]}}"
                : null;
        StoreException refused = assertThrows(StoreException.class,
                () -> store.deleteVersion(new StoredVersion("b/b.tar.gz", "7", UNTIL)));
        assertTrue(refused.getMessage().contains("generation 7"), refused.getMessage());
    }
}
