package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FaultsTest {
    private static SandboxCluster sandbox;
    private static KubernetesClient client;
    private static RawApi api;

    @BeforeAll
    static void start() {
        sandbox = SandboxCluster.start();
        client = sandbox.client();
        api = new RawApi(sandbox.url(), sandbox.token());
        client.resource(new SecretBuilder().withNewMetadata().withName("s").withNamespace("default").endMetadata()
                .build()).create();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void clearFaults() {
        sandbox.faults().clear().resetCounts();
    }

    @Test
    void listsFailTheGivenNumberOfTimesThenSucceed() {
        sandbox.faults().failLists("secrets", 2);

        RawApi.Answer first = api.get("/api/v1/secrets?limit=500");
        assertEquals(500, first.status());
        assertEquals("Status", first.body().path("kind").asText());
        assertEquals("InternalError", first.body().path("reason").asText());
        assertEquals(500, api.get("/api/v1/namespaces/default/secrets").status());
        assertEquals(200, api.get("/api/v1/secrets?limit=500").status());
        assertEquals(2, sandbox.faults().injectedCount());

        assertEquals(200, api.get("/api/v1/configmaps").status(), "other resources are not affected");
        assertEquals(200, api.get("/api/v1/namespaces/default/secrets/s").status(), "a get is not a list");
    }

    @Test
    void theFabric8ClientRetriesAFewFailuresOnItsOwn() {
        sandbox.faults().failLists("secrets", 2);
        // With its default configuration the client retries answers of 500 with a back-off, so it never sees these.
        assertEquals(1, client.secrets().inNamespace("default").list().getItems().size());
        assertEquals(2, sandbox.faults().injectedCount());
    }

    @Test
    void aClientWithoutRetriesSeesTheFailure() {
        sandbox.faults().failListsAlways("/secrets");
        Config config = new ConfigBuilder(Config.fromKubeconfig(sandbox.kubeconfigYaml()))
                .withRequestRetryBackoffLimit(0)
                .build();
        try (KubernetesClient noRetries = new KubernetesClientBuilder().withConfig(config).build()) {
            KubernetesClientException thrown = assertThrows(KubernetesClientException.class,
                    () -> noRetries.secrets().inAnyNamespace().list());
            assertEquals(500, thrown.getCode());
            assertEquals(1, sandbox.faults().injectedCount());

            sandbox.faults().clear();
            assertEquals(1, noRetries.secrets().inNamespace("default").list().getItems().size());
        }
    }

    @Test
    void groupQualifiedNamesMatchOnlyThatGroup() {
        sandbox.faults().failListsAlways("apps/deployments");
        assertEquals(500, api.get("/apis/apps/v1/deployments").status());
        assertEquals(200, api.get("/api/v1/secrets").status());
    }

    @Test
    void requestsAreCountedPerPath() {
        api.get("/api/v1/namespaces/default/secrets");
        api.get("/api/v1/namespaces/default/secrets?limit=1");
        api.get("/api/v1/namespaces/default/secrets/s");
        assertEquals(2, sandbox.faults().requestCount("/api/v1/namespaces/default/secrets"));
        assertEquals(1, sandbox.faults().requestCount("/api/v1/namespaces/default/secrets/s"));
        assertEquals(0, sandbox.faults().requestCount("/api/v1/nothing"));
        assertEquals(2L, sandbox.faults().requestCounts().get("/api/v1/namespaces/default/secrets"));
        assertEquals(java.util.Map.of("GET", 3L), sandbox.faults().requestCountsByMethod());
    }

    @Test
    void requestsAreCountedPerMethodSoThatAReaderIsSeenToWriteNothing() {
        api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"counted\"}}");
        api.send("DELETE", "/api/v1/namespaces/default/configmaps/counted", "application/json", "{}");
        api.get("/api/v1/namespaces/default/configmaps");
        assertEquals(java.util.Map.of("DELETE", 1L, "GET", 1L, "POST", 1L), sandbox.faults().requestCountsByMethod());
        sandbox.faults().resetCounts();
        assertEquals(java.util.Map.of(), sandbox.faults().requestCountsByMethod());
    }

    @Test
    void requestsWithoutTheTokenAreRefused() {
        RawApi.Answer noToken = new RawApi(sandbox.url(), null).get("/api/v1/secrets");
        assertEquals(401, noToken.status());
        assertEquals("Unauthorized", noToken.body().path("reason").asText());
        assertEquals(401, api.getWithToken("/api/v1/secrets", "wrong").status());
    }
}
