package io.lifeboat.disks.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * An HTTP server on loopback that records every request and answers it by a handler a test gives: the stand-in for a
 * cloud's API, speaking its protocol to the real client.
 */
public final class Recorder implements AutoCloseable {
    /** A request as it arrived. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        /** The form body's fields, or the query's (EC2's Query protocol; a token request). */
        public Map<String, String> form() {
            return decode(body);
        }

        public Map<String, String> queryParameters() {
            return decode(query);
        }

        private static Map<String, String> decode(String text) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (text == null || text.isEmpty()) {
                return fields;
            }
            for (String pair : text.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.put(key, value);
            }
            return fields;
        }
    }

    /** An answer: status, content type, body and extra headers. */
    public record Answer(int status, String contentType, String body, Map<String, String> headers) {
        public static Answer json(int status, String body) {
            return new Answer(status, "application/json", body, Map.of());
        }

        public static Answer xml(int status, String body) {
            return new Answer(status, "text/xml;charset=UTF-8", body, Map.of());
        }
    }

    @FunctionalInterface
    public interface Handler {
        Answer answer(Request request);
    }

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "recorder");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Request> requests = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    public Recorder(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> handle(exchange, handler));
        server.setExecutor(threads);
        server.start();
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
        synchronized (requests) {
            requests.add(request);
        }
        Answer answer;
        try {
            answer = handler.answer(request);
        } catch (RuntimeException | AssertionError e) {
            synchronized (requests) {
                refusals.add(request.method() + " " + request.path() + ": " + e.getMessage());
            }
            answer = new Answer(599, "text/plain", "recorder refused the request: " + e.getMessage(), Map.of());
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** What the handler refused (a request that broke the protocol's rules); none in a good run. */
    public List<String> refusals() {
        synchronized (requests) {
            return List.copyOf(refusals);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
