package io.lifeboat.sandbox.kube;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sandbox's latency and in-flight limit, seen from plain HTTPS clients and kubectl (no timing is asserted). */
class ServerLoadTest {

    @Test
    void byDefaultThereIsNoLatencyAndNoLimit() {
        try (SandboxCluster sandbox = SandboxCluster.start()) {
            assertEquals(Duration.ZERO, sandbox.load().latency());
            assertEquals(0, sandbox.load().maxInFlight());
            List<RawApi.Answer> answers = concurrently(sandbox, 8, "/api/v1/namespaces/default/configmaps");
            answers.forEach(a -> assertEquals(200, a.status(), a.body().toString()));
            assertEquals(0, sandbox.load().throttledCount());
        }
    }

    @Test
    void withLatencyConcurrentRequestsAreInFlightTogether() {
        try (SandboxCluster sandbox = SandboxCluster.builder().latency(Duration.ofMillis(300)).start()) {
            List<RawApi.Answer> answers = concurrently(sandbox, 8, "/api/v1/namespaces/default/configmaps");

            answers.forEach(a -> assertEquals(200, a.status(), a.body().toString()));
            assertEquals("ConfigMapList", answers.get(0).body().path("kind").asText());
            int peak = sandbox.load().peakInFlight();
            assertTrue(peak > 1, "the latency holds no lock and no thread, so requests overlap; peak " + peak);
            assertEquals(0, sandbox.load().throttledCount());
            assertEquals(0, sandbox.load().inFlight(), "every answered request has left");
        }
    }

    @Test
    void beyondTheLimitARequestIsAnswered429WithRetryAfter() throws Exception {
        try (SandboxCluster sandbox = SandboxCluster.builder().latency(Duration.ofSeconds(3)).maxInFlight(1).start()) {
            RawApi api = new RawApi(sandbox.url(), sandbox.token());
            CompletableFuture<RawApi.Answer> slow = CompletableFuture.supplyAsync(
                    () -> api.get("/api/v1/namespaces/default/secrets"));
            awaitInFlight(sandbox, 1);

            RawApi.Answer refused = api.get("/api/v1/namespaces/default/configmaps");
            assertEquals(429, refused.status());
            assertEquals("1", refused.header("Retry-After"));
            assertEquals("Status", refused.body().path("kind").asText());
            assertEquals("TooManyRequests", refused.body().path("reason").asText());
            assertEquals(429, refused.body().path("code").asInt());
            assertEquals(1, refused.body().path("details").path("retryAfterSeconds").asInt());
            assertEquals(1, sandbox.load().inFlight(), "the first request was still being served");
            assertEquals(200, api.get("/version").status(), "/version is not held to the limit (only delayed)");

            assertEquals(200, slow.get().status());
            assertEquals(200, api.get("/api/v1/namespaces/default/configmaps").status(), "the slot is free again");
            assertEquals(1, sandbox.load().throttledCount());
            assertEquals(1, sandbox.load().peakInFlight());
        }
    }

    @Test
    void aBurstBeyondTheLimitIsPartlyRefused() {
        try (SandboxCluster sandbox = SandboxCluster.builder().latency(Duration.ofMillis(500)).maxInFlight(2).start()) {
            List<RawApi.Answer> answers = concurrently(sandbox, 10, "/api/v1/namespaces/default/configmaps");

            long refused = answers.stream().filter(a -> a.status() == 429).count();
            long served = answers.stream().filter(a -> a.status() == 200).count();
            assertEquals(answers.size(), refused + served, "only 200 and 429 answers");
            assertTrue(refused > 0, "ten requests at once, two slots");
            assertTrue(served >= 1);
            answers.stream().filter(a -> a.status() == 429).forEach(a -> {
                assertEquals("1", a.header("Retry-After"));
                assertEquals("TooManyRequests", a.body().path("reason").asText());
            });
            assertEquals(refused, sandbox.load().throttledCount());
            assertTrue(sandbox.load().peakInFlight() <= 2, "peak " + sandbox.load().peakInFlight());
        }
    }

    @Test
    void kubectlListsThroughTheLatency(@TempDir Path folder) throws IOException {
        Kubectl.requireInstalled();
        try (SandboxCluster sandbox = SandboxCluster.builder().latency(Duration.ofMillis(5)).start()) {
            SampleApp.install(sandbox.client());
            Path kubeconfig = sandbox.kubeconfigFile(folder.resolve("kubeconfig.yaml"));
            Kubectl kubectl = new Kubectl(kubeconfig, Files.createDirectories(folder.resolve("kubectl-cache")));

            String out = kubectl.run("get", "configmaps", "-A", "-o", "name").assertSuccess().stdout();

            assertTrue(out.contains("configmap/"), out);
            assertTrue(sandbox.load().admittedCount() > 0);
        }
    }

    /** Sends {@code count} GETs at once, from as many threads released together. */
    private static List<RawApi.Answer> concurrently(SandboxCluster sandbox, int count, String path) {
        RawApi api = new RawApi(sandbox.url(), sandbox.token());
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RawApi.Answer>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(threads.submit(() -> {
                    start.await();
                    return api.get(path);
                }));
            }
            start.countDown();
            List<RawApi.Answer> answers = new ArrayList<>();
            for (Future<RawApi.Answer> answer : sent) {
                answers.add(answer.get());
            }
            return answers;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void awaitInFlight(SandboxCluster sandbox, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (sandbox.load().inFlight() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no request came in flight");
            }
            Thread.sleep(5);
        }
    }
}
