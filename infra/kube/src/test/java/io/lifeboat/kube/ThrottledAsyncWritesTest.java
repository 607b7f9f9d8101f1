package io.lifeboat.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.sandbox.kube.SandboxCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session's asynchronous writes and lookups against a sandbox that answers after 50 ms and serves four requests
 * at once, answering 429 with Retry-After beyond that: one thread sends them all, the 429s are waited out on timers
 * and are no errors, and refusals come back as {@link ClusterSession.Rejected} with the server's status.
 */
class ThrottledAsyncWritesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceType CONFIGMAPS = new ResourceType("", "v1", "configmaps", "ConfigMap", true,
            Set.of("create", "get", "list", "update"));
    private static final String NAMESPACE = "async";

    private static SandboxCluster throttled() {
        return SandboxCluster.builder().latency(Duration.ofMillis(50)).maxInFlight(4).start();
    }

    private static KubeClusterSession session(SandboxCluster sandbox) {
        return new KubeClusterSession(KubeClients.defaults().connect(sandbox.kubeconfigYaml(), null), 60_000);
    }

    @Test
    void asyncCreatesSentTogetherWaitOutThe429sAndAllSucceed() throws Exception {
        try (SandboxCluster sandbox = throttled(); KubeClusterSession session = session(sandbox)) {
            sandbox.createNamespace(NAMESPACE);
            sandbox.load().resetCounts();
            int objects = 24;
            List<CompletableFuture<Void>> creates = new ArrayList<>();
            for (int i = 0; i < objects; i++) {
                creates.add(session.createAsync(CONFIGMAPS, configMap("cm-" + i)));
            }
            CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get(); // fails if any create failed

            assertEquals(objects, session.list(CONFIGMAPS, NAMESPACE, null, 500).items().size());
            assertTrue(session.throttledRetries() > 0, "24 creates sent at once, four places: some were refused");
            assertEquals(sandbox.load().throttledCount(), session.throttledRetries(),
                    "every 429 was waited out and sent again, none reached the caller");
            assertEquals(4, sandbox.load().peakInFlight(),
                    "this thread alone, without waiting for answers, filled the sandbox's four places");
        }
    }

    @Test
    void asyncLookupsAndUpdatesAnswerAndRefusalsCarryTheStatus() throws Exception {
        try (SandboxCluster sandbox = throttled(); KubeClusterSession session = session(sandbox)) {
            sandbox.createNamespace(NAMESPACE);
            session.createAsync(CONFIGMAPS, configMap("settings")).get();

            Optional<ObjectNode> live = session.getAsync(CONFIGMAPS, NAMESPACE, "settings").get();
            assertTrue(live.isPresent());
            assertEquals("settings", live.get().path("data").path("key").asText());
            assertFalse(session.getAsync(CONFIGMAPS, NAMESPACE, "absent").get().isPresent(), "404 is no object");

            ObjectNode changed = configMap("settings");
            changed.putObject("data").put("key", "changed");
            session.updateAsync(CONFIGMAPS, changed, live.get()).get();
            assertEquals("changed", session.get(CONFIGMAPS, NAMESPACE, "settings").orElseThrow()
                    .path("data").path("key").asText());

            assertEquals(409, refusal(session.createAsync(CONFIGMAPS, configMap("settings"))).status());
            assertEquals(409, refusal(session.updateAsync(CONFIGMAPS, changed, live.get())).status(),
                    "the resourceVersion it was read at is stale");
            ObjectNode elsewhere = configMap("lost");
            ((ObjectNode) elsewhere.get("metadata")).put("namespace", "missing");
            ClusterSession.Rejected noNamespace = refusal(session.createAsync(CONFIGMAPS, elsewhere));
            assertEquals(404, noNamespace.status());
            assertTrue(noNamespace.getMessage().contains("missing"), noNamespace.getMessage());
        }
    }

    @Test
    void anUnreachableServerIsARefusalWithoutAStatus() throws Exception {
        String kubeconfig;
        try (SandboxCluster sandbox = SandboxCluster.start()) {
            kubeconfig = sandbox.kubeconfigYaml();
        }
        try (KubeClusterSession session = new KubeClusterSession(KubeClients.defaults().connect(kubeconfig, null),
                5_000)) {
            ClusterSession.Rejected refused = refusal(session.createAsync(CONFIGMAPS, configMap("nowhere")));
            assertEquals(0, refused.status());
            assertTrue(refused.getMessage().contains("could not be reached"), refused.getMessage());
        }
    }

    /** The refusal a future fails with: a {@link ClusterSession.Rejected} itself, not wrapped. */
    private static ClusterSession.Rejected refusal(CompletableFuture<?> answer) {
        ExecutionException failed = assertThrows(ExecutionException.class, answer::get);
        return assertInstanceOf(ClusterSession.Rejected.class, failed.getCause());
    }

    private static ObjectNode configMap(String name) {
        ObjectNode item = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        item.putObject("metadata").put("name", name).put("namespace", NAMESPACE);
        item.putObject("data").put("key", name);
        return item;
    }
}
