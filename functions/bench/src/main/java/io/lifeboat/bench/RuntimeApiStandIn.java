package io.lifeboat.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API on loopback, for one function process: it hands the first {@code GET …/invocation/next} one
 * event, notes when each step arrived (the first /next ends the init; the response or error posted ends the first
 * invocation), and holds every later /next open until it is closed, as Lambda does while no event is waiting. With
 * SnapStart's init type the runtime asks {@code GET …/restore/next} after its beforeCheckpoint hooks; it is answered at
 * once, since no snapshot is taken here.
 */
final class RuntimeApiStandIn implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime";
    private static final String REQUEST_ID = "8f5a1f8e-0000-4000-8000-000000000001";

    /** What the function did, in nanoTime; 0 for a step that did not happen. */
    record Outcome(long firstNext, long restoreNext, long answered, boolean error, String body) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final String event;
    private final CountDownLatch done = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile long firstNext;
    private volatile long restoreNext;
    private volatile long answered;
    private volatile boolean error;
    private volatile String body;
    private boolean served;

    private RuntimeApiStandIn(HttpServer server, ExecutorService threads, String event) {
        this.server = server;
        this.threads = threads;
        this.event = event;
    }

    /** Listens on a free loopback port; {@code event} is the one invocation's payload. */
    static RuntimeApiStandIn serving(String event) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        });
        RuntimeApiStandIn api = new RuntimeApiStandIn(server, pool, event);
        server.createContext("/", api::answer);
        server.setExecutor(pool);
        server.start();
        return api;
    }

    /** The value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Waits for the first invocation's answer (or an init error); null when none came in time or the process ended. */
    Outcome await(Process process, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!done.await(200, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                return null;
            }
        }
        return new Outcome(firstNext, restoreNext, answered, error, body);
    }

    private void answer(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] received = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("GET") && path.equals(BASE + "/invocation/next")) {
                next(exchange, now);
            } else if (exchange.getRequestMethod().equals("GET") && path.equals(BASE + "/restore/next")) {
                restoreNext = now;
                exchange.sendResponseHeaders(200, -1);
            } else if (path.equals(BASE + "/invocation/" + REQUEST_ID + "/response")) {
                finish(now, false, received);
                exchange.sendResponseHeaders(202, -1);
            } else if (path.equals(BASE + "/invocation/" + REQUEST_ID + "/error") || path.equals(BASE + "/init/error")
                    || path.equals(BASE + "/restore/error")) {
                finish(now, true, (path + ": ").getBytes(StandardCharsets.UTF_8), received);
                exchange.sendResponseHeaders(202, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void next(HttpExchange exchange, long now) throws IOException, InterruptedException {
        synchronized (this) {
            if (served) {
                closing.await(); // no more events: the process waits here until the benchmark ends it
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            served = true;
            firstNext = now;
        }
        byte[] payload = event.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", REQUEST_ID);
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + 900_000));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:123456789012:function:lifeboat-coldstart:live");
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000001;Sampled=0");
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, payload.length);
        exchange.getResponseBody().write(payload);
    }

    private void finish(long now, boolean failed, byte[]... parts) {
        StringBuilder text = new StringBuilder();
        for (byte[] part : parts) {
            text.append(new String(part, StandardCharsets.UTF_8));
        }
        synchronized (this) {
            if (answered != 0) {
                return;
            }
            answered = now;
            error = failed;
            body = text.toString();
        }
        done.countDown();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
