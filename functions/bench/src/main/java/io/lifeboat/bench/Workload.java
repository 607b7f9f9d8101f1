package io.lifeboat.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/** The objects every benchmark uses: 20 namespaces, then N/2 ConfigMaps and N/2 Secrets of about 1 KiB each. */
final class Workload {
    static final int NAMESPACES = 20;

    private Workload() {
    }

    /** The 20 namespaces first, then the ConfigMaps and Secrets, the same for the same N (a fixed seed). */
    static List<HasMetadata> objects(int n) {
        List<HasMetadata> objects = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            objects.add(new NamespaceBuilder().withNewMetadata().withName("ns-" + i).endMetadata().build());
        }
        Random random = new Random(42);
        for (int i = 0; i < n; i++) {
            String namespace = "ns-" + (i % NAMESPACES);
            byte[] payload = new byte[768];
            random.nextBytes(payload);
            String value = Base64.getEncoder().encodeToString(payload);
            objects.add(i % 2 == 0
                    ? new ConfigMapBuilder().withNewMetadata().withName("config-" + i).withNamespace(namespace)
                    .withLabels(Map.of("app", "bench", "tier", "t" + (i % 7))).endMetadata()
                    .withData(Map.of("settings.properties", value)).build()
                    : new SecretBuilder().withNewMetadata().withName("secret-" + i).withNamespace(namespace)
                    .withLabels(Map.of("app", "bench")).endMetadata().withType("Opaque")
                    .withData(Map.of("token", value)).build());
        }
        return objects;
    }

    /**
     * Creates the namespaces, then the rest, through a light asynchronous client (bodies serialised before the clock
     * starts, {@code inFlight} requests at once on pooled keep-alive connections), so that what is measured is the
     * sandbox's own ceiling, not a heavy client's; returns the seconds the rest took. Fails if any create is refused.
     */
    static double create(SandboxCluster sandbox, List<HasMetadata> objects, int inFlight) throws Exception {
        List<String[]> requests = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object.getKind().equals("Namespace")) {
                sandbox.createNamespace(object.getMetadata().getName());
            } else {
                String collection = "/api/v1/namespaces/" + object.getMetadata().getNamespace() + "/"
                        + (object.getKind().equals("ConfigMap") ? "configmaps" : "secrets");
                requests.add(new String[]{collection, Serialization.asJson(object)});
            }
        }
        Vertx vertx = Vertx.vertx();
        try {
            URI url = URI.create(sandbox.url());
            HttpClient http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
                    .setVerifyHost(false).setDefaultHost(url.getHost()).setDefaultPort(url.getPort()).setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(inFlight));
            Semaphore permits = new Semaphore(inFlight);
            CountDownLatch done = new CountDownLatch(requests.size());
            AtomicReference<String> failure = new AtomicReference<>();
            long start = System.nanoTime();
            for (String[] request : requests) {
                permits.acquire();
                http.request(HttpMethod.POST, request[0])
                        .compose(r -> r.putHeader("Authorization", "Bearer " + sandbox.token())
                                .putHeader("Content-Type", "application/json").send(Buffer.buffer(request[1]))
                                .compose(answer -> answer.body().map(body -> answer.statusCode() == 201 ? null
                                        : answer.statusCode() + " " + body)))
                        .onComplete(result -> {
                            if (result.failed()) {
                                failure.compareAndSet(null, String.valueOf(result.cause()));
                            } else if (result.result() != null) {
                                failure.compareAndSet(null, result.result());
                            }
                            permits.release();
                            done.countDown();
                        });
            }
            done.await();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw new IllegalStateException("loading the sandbox failed: " + failure.get());
            }
            return seconds;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
