package io.lifeboat.sandbox.kube;

import io.lifeboat.sandbox.tls.SelfSignedCertificate;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.PfxOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The sandbox's HTTPS front on 127.0.0.1, on its own Vert.x: requests are read on the event loop, answered by a pool
 * of worker threads ({@link SandboxDispatcher}, which the store lets run side by side), and sent after the latency by
 * a timer that holds no thread. A request beyond the in-flight limit is answered at once with 429. Watches stream
 * the store's changes as WatchEvents, over a WebSocket (fabric8's clients) or a chunked HTTP answer (kubectl).
 */
final class SandboxHttpServer implements AutoCloseable {
    /** Threads that compute answers; the latency does not hold them, so a few serve many requests in flight. */
    private static final int WORKERS = 8;
    private static final Map<String, String> FORWARDED = Map.of("authorization", "Authorization", "accept", "Accept",
            "content-type", "Content-Type");

    private final SandboxDispatcher dispatcher;
    private final ServerLoad load;
    private final Vertx vertx;
    private final HttpServer server;
    private final ExecutorService workers;

    private SandboxHttpServer(SandboxDispatcher dispatcher, ServerLoad load, int port) {
        this.dispatcher = dispatcher;
        this.load = load;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        this.workers = Executors.newFixedThreadPool(WORKERS, runnable -> {
            Thread thread = new Thread(runnable, "sandbox-api-worker");
            thread.setDaemon(true);
            return thread;
        });
        SelfSignedCertificate certificate = Certificate.INSTANCE;
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(certificate.keyStore().toString())
                        .setPassword(SelfSignedCertificate.PASSWORD))
                .setHandle100ContinueAutomatically(true)
                .setMaxWebSocketFrameSize(64 * 1024 * 1024).setMaxWebSocketMessageSize(64 * 1024 * 1024);
        this.server = vertx.createHttpServer(options).requestHandler(this::received);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the sandbox API server could not start: " + e, e);
        }
    }

    /** Starts the server on the port (0: a free one). */
    static SandboxHttpServer start(SandboxDispatcher dispatcher, ServerLoad load, int port) {
        return new SandboxHttpServer(dispatcher, load, port);
    }

    int port() {
        return server.actualPort();
    }

    private void received(HttpServerRequest http) {
        RequestPath path = RequestPath.parse(http.uri());
        dispatcher.received(http.method().name(), path);
        Map<String, String> headers = new HashMap<>();
        FORWARDED.forEach((lower, name) -> {
            String value = http.getHeader(name);
            if (value != null) {
                headers.put(lower, value);
            }
        });
        if (http.method().name().equals("GET") && path.isWatch()) {
            watch(http, new ApiRequest("GET", http.uri(), headers, null), path);
            return;
        }
        http.body().onSuccess(body -> answer(http, new ApiRequest(http.method().name(), http.uri(), headers,
                body.getBytes()), path));
    }

    private void answer(HttpServerRequest http, ApiRequest request, RequestPath path) {
        Optional<ApiResponse> unauthenticated = dispatcher.refuseUnauthenticated(request, path);
        if (unauthenticated.isPresent()) {
            sendLater(http, unauthenticated.get(), false);
            return;
        }
        boolean limited = SandboxDispatcher.limited(path);
        if (limited && !load.enter()) {
            send(http, Responses.tooManyRequests(ServerLoad.RETRY_AFTER_SECONDS));
            return;
        }
        Context context = vertx.getOrCreateContext();
        try {
            workers.execute(() -> {
                ApiResponse response = dispatcher.dispatch(request);
                context.runOnContext(v -> sendLater(http, response, limited));
            });
        } catch (RuntimeException closing) {
            if (limited) {
                load.leave();
            }
            http.connection().close();
        }
    }

    /** Sends the answer once the latency has passed, and only then counts the request out of flight. */
    private void sendLater(HttpServerRequest http, ApiResponse response, boolean limited) {
        long latency = load.latency().toMillis();
        if (latency <= 0) {
            if (limited) {
                load.leave();
            }
            send(http, response);
            return;
        }
        vertx.setTimer(latency, id -> {
            if (limited) {
                load.leave();
            }
            send(http, response);
        });
    }

    private static void send(HttpServerRequest http, ApiResponse response) {
        HttpServerResponse out = http.response();
        if (out.closed() || out.ended()) {
            return;
        }
        out.setStatusCode(response.code());
        response.headers().forEach(out::putHeader);
        out.end(Buffer.buffer(response.body()));
    }

    /**
     * A watch: the objects there are now as ADDED events (unless the client asked to start after a resourceVersion),
     * then every change the filter keeps, until the client goes or {@code timeoutSeconds} pass.
     */
    private void watch(HttpServerRequest http, ApiRequest request, RequestPath path) {
        Optional<ApiResponse> unauthenticated = dispatcher.refuseUnauthenticated(request, path);
        if (unauthenticated.isPresent()) {
            send(http, unauthenticated.get());
            return;
        }
        ObjectRequests.Target target;
        Predicate<StoredObjects.Change> filter;
        try {
            target = dispatcher.watchTarget(path);
            filter = dispatcher.objects().watchFilter(target);
        } catch (ObjectRequests.Refused refused) {
            send(http, refused.response());
            return;
        } catch (Selectors.Invalid invalid) {
            send(http, Responses.badRequest(invalid.getMessage()));
            return;
        }
        String from = path.queryParameter("resourceVersion");
        boolean replay = from == null || from.isEmpty() || from.equals("0");
        ObjectRequests.Target watched = target;
        Predicate<StoredObjects.Change> kept = filter;
        if ("websocket".equalsIgnoreCase(http.getHeader(HttpHeaders.UPGRADE))) {
            http.toWebSocket().onSuccess(socket -> stream(watched, kept, replay, path, socket::writeTextMessage,
                    socket::close, socket::closeHandler));
            return;
        }
        HttpServerResponse out = http.response().setChunked(true).setStatusCode(200)
                .putHeader("Content-Type", Responses.JSON);
        stream(watched, kept, replay, path, event -> out.write(event + "\n"), out::end,
                handler -> out.closeHandler(v -> handler.handle(null)));
    }

    private void stream(ObjectRequests.Target target, Predicate<StoredObjects.Change> filter, boolean replay,
                        RequestPath path, Consumer<String> write, Runnable end,
                        Consumer<io.vertx.core.Handler<Void>> onClose) {
        Context context = vertx.getOrCreateContext();
        AtomicBoolean open = new AtomicBoolean(true);
        StoredObjects.Watcher watcher = new StoredObjects.Watcher() {
            @Override
            public StoredObjects.TypeKey type() {
                return target.key();
            }

            @Override
            public void changed(StoredObjects.Change change) {
                if (open.get() && filter.test(change)) {
                    String event = "{\"type\":\"" + change.kind() + "\",\"object\":" + change.object().json() + "}";
                    context.runOnContext(v -> {
                        if (open.get()) {
                            write.accept(event);
                        }
                    });
                }
            }
        };
        StoredObjects store = dispatcher.store();
        Runnable stop = () -> {
            if (open.compareAndSet(true, false)) {
                store.unwatch(watcher);
                end.run();
            }
        };
        onClose.accept(v -> {
            open.set(false);
            store.unwatch(watcher);
        });
        store.watch(watcher);
        if (replay) {
            List<String> existing = dispatcher.objects().list(target);
            existing.forEach(json -> write.accept("{\"type\":\"ADDED\",\"object\":" + json + "}"));
        }
        String timeout = path.queryParameter("timeoutSeconds");
        if (timeout != null && timeout.matches("\\d{1,6}") && Long.parseLong(timeout) > 0) {
            vertx.setTimer(TimeUnit.SECONDS.toMillis(Long.parseLong(timeout)), id -> stop.run());
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing is best effort: the port is released with the process at the latest
        }
    }

    /** One certificate for every sandbox of the process: keytool takes about a second to make one. */
    private static final class Certificate {
        static final SelfSignedCertificate INSTANCE = create();

        private static SelfSignedCertificate create() {
            try {
                Path folder = Files.createTempDirectory("lifeboat-sandbox-tls");
                folder.toFile().deleteOnExit();
                SelfSignedCertificate certificate = SelfSignedCertificate.create(folder);
                for (String file : List.of("keystore.p12", "cert.pem", "key.pem")) {
                    folder.resolve(file).toFile().deleteOnExit();
                }
                return certificate;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
