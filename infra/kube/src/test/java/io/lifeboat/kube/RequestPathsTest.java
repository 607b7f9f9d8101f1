package io.lifeboat.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.sandbox.kube.SandboxCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names from an archive in request paths: each is one encoded segment, and reaches no other path nor a query. */
class RequestPathsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceType CONFIGMAPS = new ResourceType("", "v1", "configmaps", "ConfigMap", true, Set.of());
    static SandboxCluster sandbox;

    @BeforeAll
    static void start() {
        sandbox = SandboxCluster.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void everySegmentIsPercentEncoded() {
        assertEquals("api/v1/namespaces/shop/configmaps/settings", ApiCalls.path(CONFIGMAPS, "shop", "settings"));
        assertEquals("api/v1/namespaces/shop/configmaps/..%2F..%2Fapi%2Fv1%2Fsecrets",
                ApiCalls.path(CONFIGMAPS, "shop", "../../api/v1/secrets"));
        assertEquals("api/v1/namespaces/shop/configmaps/a%3Fwatch%3Dtrue", ApiCalls.path(CONFIGMAPS, "shop", "a?watch=true"));
        assertEquals("api/v1/namespaces/shop/configmaps/a%23b", ApiCalls.path(CONFIGMAPS, "shop", "a#b"));
        assertEquals("api/v1/namespaces/shop/configmaps/a%252Fb", ApiCalls.path(CONFIGMAPS, "shop", "a%2Fb"));
        assertEquals("api/v1/namespaces/kube-system%2Fsecrets/configmaps", ApiCalls.path(CONFIGMAPS, "kube-system/secrets", null));
        assertEquals("api/v1/namespaces/shop/configmaps/caf%C3%A9%20%0A", ApiCalls.path(CONFIGMAPS, "shop", "café \n"));
        assertEquals("apis/rbac.authorization.k8s.io/v1/clusterroles/system:controller:job-controller",
                ApiCalls.path(new ResourceType("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, Set.of()),
                        null, "system:controller:job-controller"));
        for (String unsafe : List.of("", ".", "..")) {
            assertThrows(IllegalArgumentException.class, () -> ApiCalls.path(CONFIGMAPS, "shop", unsafe), unsafe);
            assertThrows(IllegalArgumentException.class, () -> ApiCalls.path(CONFIGMAPS, unsafe, "x"), unsafe);
        }
    }

    /** Against the sandbox, which records every request path as it arrived. */
    @Test
    void hostileNamesReachOnlyTheirOwnPath() {
        try (KubeClusterSession target = new KubeClusterSession(sandbox.newClient(), 10_000)) {
            ResourceType configMaps = target.type("configmaps").orElseThrow();
            sandbox.faults().resetCounts();
            for (String name : List.of("../../../api/v1/namespaces/kube-system/secrets/x", "a?b", "a#b", "a%2Fb")) {
                assertTrue(target.get(configMaps, "default", name).isEmpty(), name);
                ObjectNode item = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
                item.putObject("metadata").put("name", name).put("namespace", "default");
                ObjectNode live = item.deepCopy();
                ((ObjectNode) live.get("metadata")).put("resourceVersion", "1");
                try {
                    target.update(configMaps, item, live);
                } catch (ClusterSession.Rejected refused) {
                    // the sandbox has no such object; what matters is the path it was asked at
                }
            }
            ClusterSession.Rejected dots = assertThrows(ClusterSession.Rejected.class, () -> target.get(configMaps, "default", ".."));
            assertEquals(400, dots.status());
            Map<String, Long> paths = sandbox.faults().requestCounts();
            assertEquals(Set.of(
                    "/api/v1/namespaces/default/configmaps/..%2F..%2F..%2Fapi%2Fv1%2Fnamespaces%2Fkube-system%2Fsecrets%2Fx",
                    "/api/v1/namespaces/default/configmaps/a%3Fb",
                    "/api/v1/namespaces/default/configmaps/a%23b",
                    "/api/v1/namespaces/default/configmaps/a%252Fb"), paths.keySet(), paths.toString());
            paths.values().forEach(count -> assertEquals(2L, count, paths.toString())); // one GET and one PUT each
        }
    }
}
