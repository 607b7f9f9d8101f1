package io.lifeboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stand-in for the Lambda service on loopback: it answers every Invoke after a fixed delay (202 for an Event
 * invocation, 200 with an empty body for a synchronous one) and counts each payload's {@code project/name}, so that
 * a benchmark can tell how many distinct backups were started and how many were started more than once.
 */
final class LambdaRecorder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads;
    private final long delayMillis;
    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    private LambdaRecorder(HttpServer server, ExecutorService threads, long delayMillis) {
        this.server = server;
        this.threads = threads;
        this.delayMillis = delayMillis;
    }

    /** Listens on a free loopback port, answering up to {@code threads} invocations at once. */
    static LambdaRecorder start(long delayMillis, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lambda-recorder");
            t.setDaemon(true);
            return t;
        });
        LambdaRecorder recorder = new LambdaRecorder(server, pool, delayMillis);
        server.createContext("/", recorder::answer);
        server.setExecutor(pool);
        server.start();
        return recorder;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode payload = JSON.readTree(body);
            String key = payload.path("project").asText() + "/" + payload.path("name").asText();
            invocations.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            total.increment();
            Thread.sleep(delayMillis);
            boolean event = "Event".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"));
            if (event) {
                exchange.sendResponseHeaders(202, -1);
            } else {
                byte[] answer = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Invocations received so far, duplicates included. */
    long total() {
        return total.sum();
    }

    /** Distinct backups of {@code project} invoked. */
    long distinct(String project) {
        return invocations.keySet().stream().filter(k -> k.startsWith(project + "/")).count();
    }

    /** Invocations beyond the first of each backup of {@code project}: 0 when each was started once. */
    long duplicates(String project) {
        return invocations.entrySet().stream().filter(e -> e.getKey().startsWith(project + "/"))
                .mapToLong(e -> e.getValue().get() - 1L).sum();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
