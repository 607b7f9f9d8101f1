package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoSandboxesTest {

    @Test
    void twoSandboxesInOneJvmAreIndependent() {
        try (SandboxCluster a = SandboxCluster.builder().name("cluster-a").start();
             SandboxCluster b = SandboxCluster.builder().name("cluster-b").start()) {
            assertNotEquals(a.url(), b.url());
            assertNotEquals(a.token(), b.token());
            assertTrue(a.kubeconfigYaml().contains("current-context: cluster-a"));
            assertTrue(b.kubeconfigYaml().contains("current-context: cluster-b"));

            a.client().resource(new ConfigMapBuilder().withNewMetadata().withName("only-in-a")
                    .withNamespace("default").endMetadata().build()).create();
            SampleApp.install(b.client());

            assertNotNull(a.client().configMaps().inNamespace("default").withName("only-in-a").get());
            assertNull(b.client().configMaps().inNamespace("default").withName("only-in-a").get());
            assertNull(a.client().apps().deployments().inNamespace(SampleApp.NAMESPACE).withName("web").get());
            assertTrue(a.client().getApiGroups().getGroups().stream()
                    .noneMatch(g -> g.getName().equals(SampleApp.WIDGET_GROUP)), "discovery is per sandbox");
            assertTrue(b.client().getApiGroups().getGroups().stream()
                    .anyMatch(g -> g.getName().equals(SampleApp.WIDGET_GROUP)));

            a.faults().failListsAlways("configmaps");
            assertEquals(401, new RawApi(b.url(), a.token()).get("/api/v1/configmaps").status());
            assertEquals(200, new RawApi(b.url(), b.token()).get("/api/v1/configmaps").status());
            assertEquals(2, b.faults().requestCount("/api/v1/configmaps"), "the refused request counts too");
            assertEquals(0, b.faults().injectedCount(), "faults are per sandbox");

            a.close();
            assertEquals(2, b.client().apps().deployments().inNamespace(SampleApp.NAMESPACE).list().getItems()
                    .size(), "b works on after a closed");
        }
    }
}
