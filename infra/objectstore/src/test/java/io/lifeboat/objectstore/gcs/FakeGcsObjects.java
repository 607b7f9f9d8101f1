package io.lifeboat.objectstore.gcs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lifeboat.objectstore.HttpStubs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the parts of the GCS JSON API an upload uses, over plain HTTP on loopback: a resumable upload
 * (start, chunks acknowledged with 308, the last one answered with the object), an object's metadata, and its
 * deletion. Like GCS, it gives each object the CRC32C of the bytes it stored. With {@link #corruptStores}, it
 * stores one byte changed, as a fault on the way would. It remembers the {@code x-goog-hash} the client sent with
 * the last chunk. Test scaffolding of ours, not a GCS server: it proves the client's calls and the upload's check,
 * not GCS.
 */
final class FakeGcsObjects implements AutoCloseable {
    private static final Pattern OBJECT = Pattern.compile("/storage/v1/b/([^/]+)/o/(.+)");
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpServer server;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    final List<String> finalHashes = new CopyOnWriteArrayList<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    volatile boolean corruptStores;

    private record Session(String bucket, String name, ByteArrayOutputStream bytes) {
    }

    FakeGcsObjects() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/upload/storage/v1/b/", this::startUpload);
        server.createContext("/upload/session/", this::chunk);
        server.createContext("/storage/v1/b/", this::object);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    byte[] stored(String bucket, String name) {
        return objects.get(bucket + "/" + name);
    }

    private void startUpload(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher name = NAME.matcher(body);
        Map<String, String> query = HttpStubs.form(exchange.getRequestURI().getRawQuery());
        String objectName = name.find() ? name.group(1) : query.get("name");
        String id = "s" + ids.incrementAndGet();
        sessions.put(id, new Session(path[5], objectName, new ByteArrayOutputStream()));
        exchange.getResponseHeaders().add("Location", url() + "/upload/session/" + id);
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    private void chunk(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/upload/session/".length());
        Session session = sessions.get(id);
        byte[] body = exchange.getRequestBody().readAllBytes();
        session.bytes().write(body);
        String range = exchange.getRequestHeaders().getFirst("Content-Range");
        if (range != null && range.endsWith("/*")) {
            exchange.getResponseHeaders().add("Range", "bytes=0-" + (session.bytes().size() - 1));
            exchange.sendResponseHeaders(308, -1);
            exchange.close();
            return;
        }
        finalHashes.add(String.valueOf(exchange.getRequestHeaders().getFirst("x-goog-hash")));
        byte[] stored = session.bytes().toByteArray();
        if (corruptStores && stored.length > 0) {
            stored[stored.length / 2] ^= 0x20;
        }
        objects.put(session.bucket() + "/" + session.name(), stored);
        sessions.remove(id);
        HttpStubs.sendJson(exchange, 200, metadata(session.bucket(), session.name(), stored));
    }

    private void object(HttpExchange exchange) throws IOException {
        Matcher m = OBJECT.matcher(exchange.getRequestURI().getRawPath());
        if (!m.matches()) {
            HttpStubs.sendJson(exchange, 501, "{\"error\":{\"code\":501,\"message\":\"not served by this fake\"}}");
            return;
        }
        String key = m.group(1) + "/" + URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        byte[] stored = objects.get(key);
        if (stored == null) {
            HttpStubs.sendJson(exchange, 404, "{\"error\":{\"code\":404,\"message\":\"No such object\","
                    + "\"errors\":[{\"reason\":\"notFound\"}]}}");
            return;
        }
        if (exchange.getRequestMethod().equals("DELETE")) {
            objects.remove(key);
            deleted.add(key);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        HttpStubs.sendJson(exchange, 200, metadata(m.group(1), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8), stored));
    }

    private static String metadata(String bucket, String name, byte[] stored) {
        return "{\"kind\":\"storage#object\",\"bucket\":\"" + bucket + "\",\"name\":\"" + name + "\",\"generation\":\"1\","
                + "\"size\":\"" + stored.length + "\",\"crc32c\":\"" + Crc32cStorage.crc32c(stored) + "\"}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
