package io.lifeboat.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lifeboat.discovery.Discovery;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.sandbox.kube.SandboxCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery against a sandbox holding Istio's real CRDs: every kind at the version ServerPreferredResources picks. */
class KubeClusterSessionDiscoveryTest {
    private static SandboxCluster sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxCluster.start();
        KubernetesClient client = sandbox.client();
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("lifeboat.fixtures"), "istio", "crd-all.gen.yaml"))) {
            for (HasMetadata crd : client.load(in).items()) {
                client.resource(crd).create();
            }
        }
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static KubeClusterSession source() {
        return new KubeClusterSession(KubeClients.defaults().connect(sandbox.kubeconfigYaml(), null), 10_000);
    }

    @Test
    void kindsServedOnlyByOlderVersionsAreFoundAtThoseVersions() {
        Discovery discovery;
        try (KubeClusterSession source = source()) {
            discovery = source.discover();
        }
        assertTrue(discovery.unreadableGroupVersions().isEmpty(), discovery.unreadableGroupVersions().toString());
        Map<String, List<String>> versions = discovery.types().stream().filter(t -> !t.resource().contains("/"))
                .collect(Collectors.groupingBy(ResourceType::groupResource,
                        Collectors.mapping(ResourceType::version, Collectors.toList())));
        assertEquals(List.of("v1alpha3"), versions.get("envoyfilters.networking.istio.io"));
        assertEquals(List.of("v1beta1"), versions.get("proxyconfigs.networking.istio.io"));
        assertEquals(List.of("v1"), versions.get("virtualservices.networking.istio.io"));
        assertEquals(List.of("v1"), versions.get("telemetries.telemetry.istio.io"));
        assertEquals(List.of("v1alpha1"), versions.get("wasmplugins.extensions.istio.io"));
        assertEquals(List.of("v1"), versions.get("deployments.apps"));
        assertEquals(List.of("v2"), versions.get("horizontalpodautoscalers.autoscaling"), "each resource once");
    }

    @Test
    void aGroupVersionThatCannotBeReadIsReportedNotDropped() {
        sandbox.faults().failDiscoveryOf("networking.istio.io/v1alpha3");
        try (KubeClusterSession source = source()) {
            Discovery discovery = source.discover();
            assertTrue(discovery.unreadableGroupVersions().get("networking.istio.io/v1alpha3").contains("503"),
                    discovery.unreadableGroupVersions().toString());
            assertTrue(discovery.types().stream().anyMatch(t -> t.groupResource().equals("virtualservices.networking.istio.io")),
                    "the group's other versions are still read");
        } finally {
            sandbox.faults().clear();
        }
    }
}
