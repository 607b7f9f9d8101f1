package io.lifeboat.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscoveryTest {
    private static SandboxCluster sandbox;
    private static KubernetesClient client;
    private static RawApi api;

    @BeforeAll
    static void start() {
        sandbox = SandboxCluster.start();
        client = sandbox.client();
        api = new RawApi(sandbox.url(), sandbox.token());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void versionLooksLikeAKubernetes132Server() {
        VersionInfo version = client.getKubernetesVersion();
        assertEquals("1", version.getMajor());
        assertEquals("32", version.getMinor());
        assertEquals("v1.32.0-lifeboat-sandbox", version.getGitVersion());
        assertEquals("linux/amd64", version.getPlatform());
        assertEquals(200, new RawApi(sandbox.url(), null).get("/version").status(), "public, as on a real server");
    }

    @Test
    void coreGroupListsItsResources() {
        JsonNode versions = api.get("/api").body();
        assertEquals("APIVersions", versions.path("kind").asText());
        assertEquals("v1", versions.path("versions").path(0).asText());

        APIResourceList core = client.getApiResources("v1");
        Map<String, APIResource> byName = core.getResources().stream()
                .collect(Collectors.toMap(APIResource::getName, r -> r));
        for (String name : List.of("namespaces", "configmaps", "secrets", "services", "serviceaccounts",
                "persistentvolumes", "persistentvolumeclaims", "pods", "endpoints", "events", "nodes",
                "limitranges", "resourcequotas", "replicationcontrollers")) {
            assertTrue(byName.containsKey(name), name);
        }
        assertEquals(List.of("ns"), byName.get("namespaces").getShortNames());
        assertFalse(byName.get("namespaces").getNamespaced());
        assertTrue(byName.get("configmaps").getNamespaced());
        assertEquals("ConfigMap", byName.get("configmaps").getKind());
        assertEquals("configmap", byName.get("configmaps").getSingularName());
        assertEquals(BuiltInResources.ALL_VERBS, byName.get("configmaps").getVerbs());
        assertEquals(List.of("get"), byName.get("pods/log").getVerbs());
    }

    @Test
    void everyBuiltInGroupIsAnnouncedWithItsPreferredVersion() {
        Map<String, APIGroup> groups = client.getApiGroups().getGroups().stream()
                .collect(Collectors.toMap(APIGroup::getName, g -> g));
        Map<String, String> expected = Map.ofEntries(
                Map.entry("apps", "v1"), Map.entry("batch", "v1"), Map.entry("rbac.authorization.k8s.io", "v1"),
                Map.entry("storage.k8s.io", "v1"), Map.entry("networking.k8s.io", "v1"), Map.entry("policy", "v1"),
                Map.entry("apiextensions.k8s.io", "v1"), Map.entry("scheduling.k8s.io", "v1"),
                Map.entry("coordination.k8s.io", "v1"), Map.entry("events.k8s.io", "v1"),
                Map.entry("snapshot.storage.k8s.io", "v1"), Map.entry("autoscaling", "v2"),
                Map.entry("discovery.k8s.io", "v1"));
        assertEquals(expected.keySet(), groups.keySet());
        expected.forEach((group, version) -> {
            assertEquals(group + "/" + version, groups.get(group).getPreferredVersion().getGroupVersion());
            APIResourceList resources = client.getApiResources(group + "/" + version);
            assertNotNull(resources, group);
            assertFalse(resources.getResources().isEmpty(), group);
        });
        assertEquals(404, api.get("/apis/apps/v1beta1").status());
        assertEquals(404, api.get("/apis/no.such.group/v1").status());
    }

    @Test
    void theTableHasOneRowPerResourceAndCompleteRows() {
        Set<String> keys = new HashSet<>();
        for (ApiResourceType type : BuiltInResources.all()) {
            assertTrue(keys.add(type.groupVersion() + "/" + type.plural()), "duplicate " + type);
            assertFalse(type.kind().isEmpty(), type.toString());
            assertFalse(type.verbs().isEmpty(), type.toString());
            if (!type.isSubresource()) {
                assertFalse(type.singular().isEmpty(), type.toString());
                assertTrue(type.verbs().contains("list"), type.toString());
            }
        }
        Map<String, ApiResourceType> byKey = BuiltInResources.all().stream()
                .collect(Collectors.toMap(t -> t.groupVersion() + "/" + t.plural(), t -> t));
        assertEquals(List.of("deploy"), byKey.get("apps/v1/deployments").shortNames());
        assertEquals(List.of("crd", "crds"), byKey.get("apiextensions.k8s.io/v1/customresourcedefinitions")
                .shortNames());
        assertFalse(byKey.get("storage.k8s.io/v1/storageclasses").namespaced());
        assertTrue(byKey.get("snapshot.storage.k8s.io/v1/volumesnapshots").namespaced());
    }

    @Test
    void aCustomResourceDefinitionShowsInDiscoveryWhileItExists() {
        String group = "discovery.lifeboat.io";
        assertNull(findGroup(group));
        assertEquals(404, api.get("/apis/" + group + "/v2").status());

        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .resource(new CustomResourceDefinitionBuilder()
                        .withNewMetadata().withName("things." + group).endMetadata()
                        .withNewSpec().withGroup(group).withScope("Namespaced")
                        .withNewNames().withKind("Thing").withPlural("things").withSingular("thing")
                        .withShortNames("th").endNames()
                        .addNewVersion().withName("v1").withServed(true).withStorage(false).endVersion()
                        .addNewVersion().withName("v2").withServed(true).withStorage(true)
                        .withNewSubresources().withNewStatus().endStatus().endSubresources().endVersion()
                        .endSpec().build())
                .create();

        APIGroup announced = findGroup(group);
        assertNotNull(announced);
        assertEquals(group + "/v2", announced.getPreferredVersion().getGroupVersion(), "the highest version");
        assertEquals(Set.of("v1", "v2"), announced.getVersions().stream().map(v -> v.getVersion())
                .collect(Collectors.toSet()));
        APIResourceList v2 = client.getApiResources(group + "/v2");
        APIResource things = v2.getResources().stream().filter(r -> r.getName().equals("things")).findFirst()
                .orElseThrow();
        assertEquals("Thing", things.getKind());
        assertTrue(things.getNamespaced());
        assertEquals(List.of("th"), things.getShortNames());
        assertEquals(BuiltInResources.ALL_VERBS, things.getVerbs());
        assertTrue(v2.getResources().stream().anyMatch(r -> r.getName().equals("things/status")));
        assertEquals(200, api.get("/apis/" + group + "/v1").status());
        assertEquals(group, api.get("/apis/" + group).body().path("name").asText());

        // The generic client finds the plural through discovery.
        client.genericKubernetesResources(group + "/v2", "Thing").inNamespace("default")
                .resource(new GenericKubernetesResourceBuilder().withApiVersion(group + "/v2").withKind("Thing")
                        .withNewMetadata().withName("one").withNamespace("default").endMetadata().build())
                .create();
        assertEquals(1, client.genericKubernetesResources(group + "/v2", "Thing").inNamespace("default").list()
                .getItems().size());

        client.apiextensions().v1().customResourceDefinitions().resource(crd).delete();
        assertNull(findGroup(group));
        assertEquals(404, api.get("/apis/" + group + "/v2").status());
    }

    /**
     * kube-apiserver orders a group's versions by Kubernetes version priority and prefers the first, whichever CRD
     * brought each version: an alpha-only CRD that sorts first by name does not make alpha the preferred version.
     */
    @Test
    void aGroupsVersionsFollowKubernetesPriorityAcrossItsCrds() {
        String group = "priority.lifeboat.io";
        List<CustomResourceDefinition> crds = List.of(
                crd("aardvarks", "Aardvark", group, "v1alpha1"),
                crd("badgers", "Badger", group, "v1beta1", "v1"),
                crd("cats", "Cat", group, "v1beta2"));
        crds.forEach(crd -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
        try {
            APIGroup announced = findGroup(group);
            assertNotNull(announced);
            assertEquals(List.of("v1", "v1beta2", "v1beta1", "v1alpha1"),
                    announced.getVersions().stream().map(v -> v.getVersion()).toList());
            assertEquals(group + "/v1", announced.getPreferredVersion().getGroupVersion());
        } finally {
            crds.forEach(crd -> client.apiextensions().v1().customResourceDefinitions().resource(crd).delete());
        }
    }

    /** Istio's real CRDs: networking.istio.io prefers v1, and still serves EnvoyFilter at v1alpha3 only. */
    @Test
    void istioGroupsAreAnnouncedAsKubeApiserverWould() throws Exception {
        List<io.fabric8.kubernetes.api.model.HasMetadata> loaded;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(
                java.nio.file.Path.of(System.getProperty("lifeboat.fixtures"), "istio", "crd-all.gen.yaml"))) {
            loaded = client.load(in).items();
        }
        try (SandboxCluster istio = SandboxCluster.start()) {
            loaded.forEach(crd -> istio.client().resource(crd).create());
            Map<String, APIGroup> groups = istio.client().getApiGroups().getGroups().stream()
                    .collect(Collectors.toMap(APIGroup::getName, g -> g));
            assertEquals(List.of("v1", "v1beta1", "v1alpha3"), groups.get("networking.istio.io").getVersions().stream()
                    .map(v -> v.getVersion()).toList());
            assertEquals("telemetry.istio.io/v1", groups.get("telemetry.istio.io").getPreferredVersion().getGroupVersion(),
                    "v1 outranks the stored v1alpha1");
            assertEquals("extensions.istio.io/v1alpha1", groups.get("extensions.istio.io").getPreferredVersion().getGroupVersion());
            assertTrue(istio.client().getApiResources("networking.istio.io/v1alpha3").getResources().stream()
                    .anyMatch(r -> r.getName().equals("envoyfilters")));
            assertFalse(istio.client().getApiResources("networking.istio.io/v1").getResources().stream()
                    .anyMatch(r -> r.getName().equals("envoyfilters")));
        }
    }

    private static CustomResourceDefinition crd(String plural, String kind, String group, String... versions) {
        var spec = new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames();
        for (int i = 0; i < versions.length; i++) {
            spec = spec.addNewVersion().withName(versions[i]).withServed(true).withStorage(i == 0).endVersion();
        }
        return spec.endSpec().build();
    }

    @Test
    void openApiIndexNamesEveryGroupVersion() {
        JsonNode paths = api.get("/openapi/v3").body().path("paths");
        assertTrue(paths.has("api/v1"));
        assertTrue(paths.has("apis/apps/v1"));
        String document = paths.path("apis/apps/v1").path("serverRelativeURL").asText();
        JsonNode apps = api.get(document).body();
        JsonNode patch = apps.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
                .path("patch");
        assertEquals("Deployment", patch.path("x-kubernetes-group-version-kind").path("kind").asText());
        assertEquals("fieldValidation", patch.path("parameters").path(0).path("name").asText());
    }

    private static APIGroup findGroup(String name) {
        return client.getApiGroups().getGroups().stream().filter(g -> g.getName().equals(name)).findFirst()
                .orElse(null);
    }
}
