package io.lifeboat.kube;

import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.sandbox.kube.SandboxCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With fabric8's own retries off for raw requests, ApiCalls retries a 5xx as the client's configuration says
 * (KubeClients: twice), no more.
 */
class ServerErrorRetriesTest {
    private static final ResourceType SECRETS = new ResourceType("", "v1", "secrets", "Secret", true, Set.of("list"));
    private static final String PATH = "/api/v1/namespaces/default/secrets";
    private static SandboxCluster sandbox;

    @BeforeAll
    static void start() {
        sandbox = SandboxCluster.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void clear() {
        sandbox.faults().clear().resetCounts();
    }

    private static KubeClusterSession session() {
        return new KubeClusterSession(KubeClients.defaults().connect(sandbox.kubeconfigYaml(), null), 10_000);
    }

    @Test
    void twoFailedListsAreRetriedAway() {
        sandbox.faults().failLists("secrets", 2);
        try (KubeClusterSession session = session()) {
            ClusterSession.Page page = session.list(SECRETS, "default", null, 100);
            assertTrue(page.items().isEmpty());
        }
        assertEquals(3, sandbox.faults().requestCount(PATH), "one attempt and two retries");
        assertEquals(2, sandbox.faults().injectedCount());
    }

    @Test
    void aThirdFailureReachesTheCallerAsRetryable() {
        sandbox.faults().failListsAlways("secrets");
        try (KubeClusterSession session = session()) {
            ClusterSession.SourceException failed = assertThrows(ClusterSession.SourceException.class,
                    () -> session.list(SECRETS, "default", null, 100));
            assertTrue(failed.retryable());
            assertTrue(failed.getMessage().contains("HTTP 500"), failed.getMessage());
        }
        assertEquals(3, sandbox.faults().requestCount(PATH), "fabric8 does not retry on top: 3 attempts, not 9");
    }
}
