package io.lifeboat.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListPagingTest {
    private static final int CONFIG_MAPS = 1_200;
    private static final int NAMESPACES = 6;
    private static final long PAGE = 500;

    private static SandboxCluster sandbox;
    private static KubernetesClient client;
    private static Set<String> created;

    @BeforeAll
    static void fill() throws Exception {
        sandbox = SandboxCluster.start();
        client = sandbox.client();
        created = new HashSet<>();
        for (int i = 0; i < NAMESPACES; i++) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName("paging-" + i).endMetadata().build())
                    .create();
        }
        client.resource(new NamespaceBuilder().withNewMetadata().withName("paging-snapshot").endMetadata().build())
                .create();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < CONFIG_MAPS; i++) {
                String namespace = "paging-" + (i % NAMESPACES);
                String name = String.format("cm-%04d", i);
                created.add(namespace + "/" + name);
                ConfigMap configMap = new ConfigMapBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                        .addToData("index", Integer.toString(i))
                        .build();
                writes.add(pool.submit(() -> client.resource(configMap).create()));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void fabric8ClientReadsEverythingInThreePages() {
        int snapshotsBefore = sandbox.openListSnapshots();
        List<ConfigMapList> pages = new ArrayList<>();
        String token = null;
        do {
            ConfigMapList page = client.configMaps().inAnyNamespace()
                    .list(new ListOptionsBuilder().withLimit(PAGE).withContinue(token).build());
            pages.add(page);
            token = page.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());

        assertEquals(3, pages.size());
        assertEquals(List.of(500, 500, 200), pages.stream().map(p -> p.getItems().size()).toList());
        assertEquals(700L, pages.get(0).getMetadata().getRemainingItemCount());
        assertEquals(200L, pages.get(1).getMetadata().getRemainingItemCount());
        assertNull(pages.get(2).getMetadata().getRemainingItemCount());
        List<String> keys = pages.stream().flatMap(p -> p.getItems().stream())
                .map(cm -> cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName())
                .toList();
        assertEquals(CONFIG_MAPS, keys.size());
        assertEquals(created, new HashSet<>(keys), "every object exactly once");
        assertEquals(keys.stream().sorted().toList(), keys, "ordered by namespace and name, like a real server");
        assertEquals(snapshotsBefore, sandbox.openListSnapshots(), "a fully read snapshot is dropped");
    }

    @Test
    void rawHttpReadsEverythingInThreePages() {
        RawApi api = new RawApi(sandbox.url(), sandbox.token());
        Set<String> seen = new HashSet<>();
        int pages = 0;
        String token = null;
        do {
            String query = "/api/v1/configmaps?limit=" + PAGE + (token == null ? "" : "&continue=" + token);
            RawApi.Answer answer = api.get(query);
            assertEquals(200, answer.status(), answer.body()::toString);
            JsonNode list = answer.body();
            assertEquals("ConfigMapList", list.path("kind").asText());
            assertEquals("v1", list.path("apiVersion").asText());
            assertFalse(list.path("metadata").path("resourceVersion").asText().isEmpty());
            for (JsonNode item : list.path("items")) {
                assertTrue(seen.add(item.path("metadata").path("namespace").asText() + "/"
                        + item.path("metadata").path("name").asText()), "no duplicates");
            }
            token = list.path("metadata").path("continue").asText(null);
            pages++;
        } while (token != null && !token.isEmpty());
        assertEquals(3, pages);
        assertEquals(created, seen);
    }

    @Test
    void namespacedListsPageToo() {
        String namespace = "paging-0";
        int expected = (int) created.stream().filter(key -> key.startsWith(namespace + "/")).count();
        ConfigMapList first = client.configMaps().inNamespace(namespace)
                .list(new ListOptionsBuilder().withLimit(150L).build());
        assertEquals(150, first.getItems().size());
        assertNotNull(first.getMetadata().getContinue());
        ConfigMapList rest = client.configMaps().inNamespace(namespace)
                .list(new ListOptionsBuilder().withLimit(150L).withContinue(first.getMetadata().getContinue()).build());
        assertEquals(expected - 150, rest.getItems().size());
        assertTrue(rest.getMetadata().getContinue() == null || rest.getMetadata().getContinue().isEmpty());
        assertTrue(rest.getItems().stream().allMatch(cm -> namespace.equals(cm.getMetadata().getNamespace())));
    }

    @Test
    void laterPagesComeFromTheSnapshotOfTheFirst() {
        // Secrets, so that the ConfigMap counts of the other tests stay as they are.
        String namespace = "paging-snapshot";
        IntStream.range(0, 6).forEach(i -> client.resource(secret(namespace, "before-" + i)).create());
        SecretList first = client.secrets().inNamespace(namespace).list(new ListOptionsBuilder().withLimit(3L).build());
        client.resource(secret(namespace, "after")).create();
        client.secrets().inNamespace(namespace).withName("before-4").delete();
        SecretList second = client.secrets().inNamespace(namespace)
                .list(new ListOptionsBuilder().withLimit(3L).withContinue(first.getMetadata().getContinue()).build());
        List<String> names = second.getItems().stream().map(s -> s.getMetadata().getName())
                .collect(Collectors.toList());
        assertEquals(List.of("before-3", "before-4", "before-5"), names);
        assertEquals(6, client.secrets().inNamespace(namespace).list().getItems().size());
    }

    private static Secret secret(String namespace, String name) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToStringData("key", name).build();
    }

    @Test
    void unknownContinueTokenAnswersGone() {
        RawApi.Answer answer = new RawApi(sandbox.url(), sandbox.token())
                .get("/api/v1/configmaps?limit=500&continue=bm90LWEtdG9rZW46NQ");
        assertEquals(410, answer.status());
        assertEquals("Status", answer.body().path("kind").asText());
        assertEquals("Expired", answer.body().path("reason").asText());
        assertEquals(410, answer.body().path("code").asInt());

        KubernetesClientException thrown = assertThrows(KubernetesClientException.class,
                () -> client.configMaps().inAnyNamespace()
                        .list(new ListOptionsBuilder().withLimit(PAGE).withContinue("garbage").build()));
        assertEquals(410, thrown.getCode());
    }

    @Test
    void aTokenContinuesOnlyTheListItCameFrom() {
        RawApi api = new RawApi(sandbox.url(), sandbox.token());
        String token = api.get("/api/v1/namespaces/paging-1/configmaps?limit=10").body()
                .path("metadata").path("continue").asText();
        RawApi.Answer other = api.get("/api/v1/namespaces/paging-2/configmaps?limit=10&continue=" + token);
        assertEquals(400, other.status());
        assertEquals("BadRequest", other.body().path("reason").asText());
    }

    @Test
    void unusedSnapshotsExpire() throws InterruptedException {
        try (SandboxCluster shortLived = SandboxCluster.builder().continueTimeToLive(Duration.ofMillis(200)).start()) {
            KubernetesClient c = shortLived.client();
            IntStream.range(0, 3).forEach(i -> c.resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("cm-" + i).withNamespace("default").endMetadata().build()).create());
            ConfigMapList first = c.configMaps().inNamespace("default")
                    .list(new ListOptionsBuilder().withLimit(1L).build());
            assertEquals(1, shortLived.openListSnapshots());
            Thread.sleep(400);
            KubernetesClientException thrown = assertThrows(KubernetesClientException.class,
                    () -> c.configMaps().inNamespace("default").list(new ListOptionsBuilder().withLimit(1L)
                            .withContinue(first.getMetadata().getContinue()).build()));
            assertEquals(410, thrown.getCode());
            assertEquals(0, shortLived.openListSnapshots());
        }
    }

    @Test
    void unlimitedListReturnsEverythingAtOnce() {
        ConfigMapList all = client.configMaps().inAnyNamespace().list();
        assertTrue(all.getItems().size() >= CONFIG_MAPS);
        assertTrue(all.getMetadata().getContinue() == null || all.getMetadata().getContinue().isEmpty());
    }
}
