package io.lifeboat.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.discovery.Discovery;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session against a sandbox that sheds load with 429 and Retry-After: its requests wait and go through. */
class ThrottledRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceType CONFIGMAPS = new ResourceType("", "v1", "configmaps", "ConfigMap", true,
            Set.of("create", "get", "list"));
    private static final String NAMESPACE = "throttled";

    @Test
    void concurrentCreatesAndListsAllSucceedThroughThe429s() throws Exception {
        try (SandboxCluster sandbox = SandboxCluster.builder().latency(Duration.ofMillis(50)).maxInFlight(2).start();
             KubeClusterSession session = new KubeClusterSession(
                     KubeClients.defaults().connect(sandbox.kubeconfigYaml(), null), 60_000)) {
            sandbox.createNamespace(NAMESPACE);
            int objects = 20;
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> creates = new ArrayList<>();
                for (int i = 0; i < objects; i++) {
                    String name = "cm-" + i;
                    creates.add(threads.submit(() -> session.create(CONFIGMAPS, configMap(name))));
                }
                for (Future<?> create : creates) {
                    create.get();
                }
                List<Future<ClusterSession.Page>> lists = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    lists.add(threads.submit(() -> session.list(CONFIGMAPS, NAMESPACE, null, 500)));
                }
                for (Future<ClusterSession.Page> list : lists) {
                    assertEquals(objects, list.get().items().size());
                }
            } finally {
                threads.shutdownNow();
            }
            long refused = sandbox.load().throttledCount();
            assertTrue(refused > 0, "eight clients at once, two slots: the sandbox must have refused some");
            assertTrue(sandbox.load().peakInFlight() <= 2);
            assertEquals(refused, session.throttledRetries(),
                    "every 429 was waited out and sent again once by ApiCalls, none by fabric8 on its own");
        }
    }

    /** Discovery asks its groups in parallel; under a limit of one, most are refused at first. */
    @Test
    void discoveryReadsEveryGroupThroughThe429s() {
        try (SandboxCluster sandbox = SandboxCluster.builder().latency(Duration.ofMillis(20)).maxInFlight(1).start()) {
            SampleApp.install(sandbox.client());
            sandbox.load().resetCounts();
            try (KubeClusterSession session = new KubeClusterSession(
                    KubeClients.defaults().connect(sandbox.kubeconfigYaml(), null), 60_000)) {
                Discovery discovery = session.discover();

                assertEquals(Map.of(), discovery.unreadableGroupVersions());
                assertTrue(discovery.types().stream().anyMatch(t -> t.groupResource().equals("deployments.apps")));
                assertTrue(sandbox.load().throttledCount() > 0, "four discovery threads, one slot");
                assertEquals(sandbox.load().throttledCount(), session.throttledRetries());
            }
        }
    }

    @Test
    void a429ThatOutlastsTheTimeoutReachesTheCaller() throws Exception {
        try (SandboxCluster sandbox = SandboxCluster.builder().latency(Duration.ofSeconds(5)).maxInFlight(1).start();
             KubernetesClient holder = sandbox.newClient();
             KubeClusterSession session = new KubeClusterSession(
                     KubeClients.defaults().connect(sandbox.kubeconfigYaml(), null), 1_500)) {
            CompletableFuture<?> slow = CompletableFuture.runAsync(
                    () -> holder.configMaps().inNamespace(NAMESPACE).list());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sandbox.load().inFlight() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, sandbox.load().inFlight(), "the slow list holds the only slot");

            ClusterSession.Rejected refused = assertThrows(ClusterSession.Rejected.class,
                    () -> session.get(CONFIGMAPS, NAMESPACE, "any"));

            assertEquals(429, refused.status());
            assertTrue(refused.getMessage().contains("Too many requests"), refused.getMessage());
            assertEquals(sandbox.load().throttledCount() - 1, session.throttledRetries(),
                    "each 429 but the last was waited out; the last one is the answer");
            slow.get();
        }
    }

    @Test
    void retryAfterIsWholeSecondsCappedWithADefault() {
        assertEquals(1_000, ApiCalls.retryAfterMillis(null));
        assertEquals(1_000, ApiCalls.retryAfterMillis("soon"));
        assertEquals(1_000, ApiCalls.retryAfterMillis("Wed, 21 Oct 2026 07:28:00 GMT"));
        assertEquals(1_000, ApiCalls.retryAfterMillis("-3"));
        assertEquals(0, ApiCalls.retryAfterMillis("0"));
        assertEquals(3_000, ApiCalls.retryAfterMillis(" 3 "));
        assertEquals(ApiCalls.MAX_RETRY_AFTER_SECONDS * 1_000L, ApiCalls.retryAfterMillis("3600"));
    }

    private static ObjectNode configMap(String name) {
        ObjectNode item = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        item.putObject("metadata").put("name", name).put("namespace", NAMESPACE);
        item.putObject("data").put("key", name);
        return item;
    }
}
