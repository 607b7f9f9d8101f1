package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Create, get, list, replace, JSON merge patch and delete through the fabric8 client, built in and custom. */
class CrudTest {
    private static SandboxCluster sandbox;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        sandbox = SandboxCluster.start();
        client = sandbox.client();
        SampleApp.install(client);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void builtInTypeLifecycle() {
        Deployment created = client.resource(new DeploymentBuilder()
                .withNewMetadata().withName("crud").withNamespace("default").addToLabels("tier", "one").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "crud").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "crud").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        assertNotNull(created.getMetadata().getUid());
        assertNotNull(created.getMetadata().getResourceVersion());

        assertEquals(409, assertThrows(KubernetesClientException.class,
                () -> client.resource(created).create()).getCode());

        Deployment replaced = client.apps().deployments().inNamespace("default").withName("crud")
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(3).endSpec().build());
        assertEquals(3, replaced.getSpec().getReplicas());
        assertNotEquals(created.getMetadata().getResourceVersion(), replaced.getMetadata().getResourceVersion());

        Deployment updated = client.apps().deployments().inNamespace("default").resource(
                new DeploymentBuilder(replaced).editMetadata().addToLabels("tier", "two").endMetadata().build())
                .update();
        assertEquals("two", updated.getMetadata().getLabels().get("tier"));

        client.apps().deployments().inNamespace("default").withName("crud")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}");
        Deployment patched = client.apps().deployments().inNamespace("default").withName("crud").get();
        assertEquals("b", patched.getMetadata().getAnnotations().get("a"));
        assertEquals(3, patched.getSpec().getReplicas());

        assertEquals(List.of("crud"), client.apps().deployments().inAnyNamespace().withLabel("tier", "two").list()
                .getItems().stream().map(d -> d.getMetadata().getName()).toList());
        assertTrue(client.apps().deployments().inAnyNamespace().withLabel("tier", "one").list().getItems().isEmpty());

        assertEquals(1, client.apps().deployments().inNamespace("default").withName("crud").delete().size());
        assertNull(client.apps().deployments().inNamespace("default").withName("crud").get());
    }

    @Test
    void customResourceLifecycle() {
        ResourceDefinitionContext widgets = SampleApp.widgetContext();
        GenericKubernetesResource created = client.genericKubernetesResources(widgets).inNamespace("demo")
                .resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("demo.lifeboat.io/v1").withKind("Widget")
                        .withNewMetadata().withName("delta").withNamespace("demo").endMetadata()
                        .withAdditionalProperties(Map.of("spec", Map.of("colour", "red")))
                        .build())
                .create();
        assertNotNull(created.getMetadata().getUid());

        client.genericKubernetesResources(widgets).inNamespace("demo").withName("delta")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"size\":7}}");
        GenericKubernetesResource patched = client.genericKubernetesResources(widgets).inNamespace("demo")
                .withName("delta").get();
        assertEquals(Map.of("colour", "red", "size", 7), patched.getAdditionalProperties().get("spec"));

        GenericKubernetesResource replaced = client.genericKubernetesResources(widgets).inNamespace("demo")
                .resource(new GenericKubernetesResourceBuilder(patched)
                        .withAdditionalProperties(Map.of("spec", Map.of("colour", "black"))).build())
                .update();
        assertEquals(Map.of("colour", "black"), replaced.getAdditionalProperties().get("spec"));
        assertEquals(3, client.genericKubernetesResources(widgets).inNamespace("demo").list().getItems().size());

        client.genericKubernetesResources(widgets).inNamespace("demo").withName("delta").delete();
        assertNull(client.genericKubernetesResources(widgets).inNamespace("demo").withName("delta").get());
    }

    @Test
    void watchesStillWork() throws Exception {
        CountDownLatch added = new CountDownLatch(1);
        client.resource(new NamespaceBuilder().withNewMetadata().withName("watched").endMetadata().build()).create();
        try (Watch watch = client.configMaps().inNamespace("watched").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                if (action == Action.ADDED && resource.getMetadata().getName().equals("seen")) {
                    added.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.resource(new ConfigMapBuilder().withNewMetadata().withName("seen").withNamespace("watched")
                    .endMetadata().build()).create();
            assertTrue(added.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void strategicMergePatchIsAKnownGap() {
        KubernetesClientException thrown = assertThrows(KubernetesClientException.class,
                () -> client.configMaps().inNamespace("demo").withName("web-config")
                        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"data\":{\"x\":\"y\"}}"));
        assertEquals(415, thrown.getCode());
    }
}
