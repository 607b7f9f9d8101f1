package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class SampleAppTest {

    @Test
    void installsEveryObjectAndCanRunTwice() {
        try (SandboxCluster sandbox = SandboxCluster.start()) {
            KubernetesClient client = sandbox.client();
            SampleApp.install(client);
            SampleApp.install(client);
            String ns = SampleApp.NAMESPACE;

            assertEquals(names(SampleApp.DEPLOYMENTS), names(client.apps().deployments().inNamespace(ns).list()
                    .getItems().stream().map(d -> d.getMetadata().getName()).toList()));
            assertEquals(names(SampleApp.CONFIG_MAPS), names(client.configMaps().inNamespace(ns).list().getItems()
                    .stream().map(c -> c.getMetadata().getName()).toList()));
            assertEquals(1, client.secrets().inNamespace(ns).list().getItems().size());
            assertEquals(1, client.serviceAccounts().inNamespace(ns).list().getItems().size());
            assertNotNull(client.rbac().roles().inNamespace(ns).withName(SampleApp.ROLE).get());
            assertNotNull(client.rbac().roleBindings().inNamespace(ns).withName(SampleApp.ROLE_BINDING).get());
            assertNotNull(client.rbac().clusterRoles().withName(SampleApp.CLUSTER_ROLE).get());

            Service web = client.services().inNamespace(ns).withName("web").get();
            assertEquals("NodePort", web.getSpec().getType());
            assertEquals(SampleApp.NODE_PORT, web.getSpec().getPorts().get(0).getNodePort());
            assertEquals(2, client.services().inNamespace(ns).list().getItems().size());

            StorageClass gp2 = client.storage().v1().storageClasses().withName(SampleApp.STORAGE_CLASS).get();
            assertEquals(SampleApp.CSI_DRIVER, gp2.getProvisioner());

            PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(ns)
                    .withName(SampleApp.PERSISTENT_VOLUME_CLAIM).get();
            PersistentVolume volume = client.persistentVolumes().withName(SampleApp.PERSISTENT_VOLUME).get();
            assertEquals(SampleApp.PERSISTENT_VOLUME, claim.getSpec().getVolumeName());
            assertEquals("Bound", claim.getStatus().getPhase());
            assertEquals(SampleApp.PERSISTENT_VOLUME_CLAIM, volume.getSpec().getClaimRef().getName());
            assertEquals(ns, volume.getSpec().getClaimRef().getNamespace());
            assertEquals(claim.getMetadata().getUid(), volume.getSpec().getClaimRef().getUid());
            assertEquals("Bound", volume.getStatus().getPhase());
            assertEquals(SampleApp.CSI_DRIVER, volume.getSpec().getCsi().getDriver());
            assertEquals(SampleApp.STORAGE_CLASS, volume.getSpec().getStorageClassName());

            assertNotNull(client.apiextensions().v1().customResourceDefinitions().withName(SampleApp.WIDGET_CRD).get());
            List<GenericKubernetesResource> widgets = client.genericKubernetesResources(SampleApp.widgetContext())
                    .inNamespace(ns).list().getItems();
            assertEquals(names(SampleApp.WIDGETS), names(widgets.stream().map(w -> w.getMetadata().getName())
                    .toList()));
            assertFalse(client.genericKubernetesResources("demo.lifeboat.io/v1", "Widget").inNamespace(ns).list()
                    .getItems().isEmpty(), "found through discovery too");
        }
    }

    /** A real API server never records a namespace on a cluster-scoped object, however it was written. */
    @Test
    void clusterScopedObjectsCarryNoNamespace() throws Exception {
        try (SandboxCluster sandbox = SandboxCluster.start()) {
            SampleApp.install(sandbox.client());
            RawApi api = new RawApi(sandbox.url(), sandbox.token());
            for (String path : List.of("/api/v1/persistentvolumes/" + SampleApp.PERSISTENT_VOLUME, "/api/v1/persistentvolumes",
                    "/apis/storage.k8s.io/v1/storageclasses", "/apis/rbac.authorization.k8s.io/v1/clusterroles")) {
                com.fasterxml.jackson.databind.JsonNode body = api.get(path).body();
                for (com.fasterxml.jackson.databind.JsonNode object : body.has("items") ? body.get("items") : List.of(body)) {
                    assertFalse(object.path("metadata").has("namespace"), path + ": " + object);
                }
            }
        }
    }

    private static List<String> names(List<String> names) {
        return names.stream().sorted().toList();
    }
}
