package io.lifeboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a function reaches in AWS besides DynamoDB, on loopback: Lambda's Invoke (202 for an Event invocation, as when
 * tick-schedules starts run-backup) and EventBridge's PutEvents (every entry accepted, as when a run ends). The function
 * processes get it as AWS_ENDPOINT_URL, so that every AWS client without an endpoint of its own comes here; any other
 * request is answered 400 and kept, so that the benchmark can say that nothing it did not expect was asked.
 */
final class AwsStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicInteger invocations = new AtomicInteger();
    private final AtomicInteger events = new AtomicInteger();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();

    private AwsStandIn(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static AwsStandIn start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "aws-stand-in");
            t.setDaemon(true);
            return t;
        });
        AwsStandIn standIn = new AwsStandIn(server, pool);
        server.createContext("/", standIn::answer);
        server.setExecutor(pool);
        server.start();
        return standIn;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int invocations() {
        return invocations.get();
    }

    int events() {
        return events.get();
    }

    /** Requests that were neither an Invoke nor a PutEvents: method, path and target. */
    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (path.startsWith("/2015-03-31/functions/") && path.endsWith("/invocations")) {
                invocations.incrementAndGet();
                if ("Event".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"))) {
                    exchange.sendResponseHeaders(202, -1);
                } else {
                    send(exchange, "application/json", "{}");
                }
            } else if ("AWSEvents.PutEvents".equals(target)) {
                JsonNode request = JSON.readTree(body);
                int entries = request.path("Entries").size();
                events.addAndGet(entries);
                StringBuilder answer = new StringBuilder("{\"FailedEntryCount\":0,\"Entries\":[");
                for (int i = 0; i < entries; i++) {
                    answer.append(i == 0 ? "" : ",").append("{\"EventId\":\"bench-").append(i).append("\"}");
                }
                send(exchange, "application/x-amz-json-1.1", answer.append("]}").toString());
            } else {
                unexpected.add(exchange.getRequestMethod() + " " + path + (target == null ? "" : " " + target));
                exchange.sendResponseHeaders(400, -1);
            }
        }
    }

    private static void send(HttpExchange exchange, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
