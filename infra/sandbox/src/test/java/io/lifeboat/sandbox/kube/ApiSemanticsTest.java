package io.lifeboat.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answers kube-apiserver gives, which the sandbox's own store follows: namespace lifecycle, names, optimistic
 * concurrency, generation, selectors, patches, finalizers and cascades. Each case sends raw HTTP and reads the
 * Status the sandbox answers, as a client would.
 */
class ApiSemanticsTest {
    private static final String MERGE = "application/merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";
    private static SandboxCluster sandbox;
    private static RawApi api;

    @BeforeAll
    static void start() {
        sandbox = SandboxCluster.start();
        api = new RawApi(sandbox.url(), sandbox.token());
        create("/api/v1/namespaces", "{\"metadata\":{\"name\":\"shop\"}}");
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static RawApi.Answer create(String collection, String body) {
        return api.send("POST", collection, "application/json", body);
    }

    private static String configMap(String name, String labels) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{"
                + labels + "}},\"data\":{\"k\":\"v\"}}";
    }

    @Test
    void anObjectInANamespaceThatDoesNotExistIsRefusedLikeNamespaceLifecycleDoes() {
        RawApi.Answer refused = create("/api/v1/namespaces/nowhere/configmaps", configMap("a", ""));
        assertEquals(404, refused.status());
        assertEquals("namespaces \"nowhere\" not found", refused.body().path("message").asText());
    }

    @Test
    void theServerOwnsUidTimesAndVersionsAndChecksNamesAndNamespaces() {
        RawApi.Answer created = create("/api/v1/namespaces/shop/configmaps", configMap("owned", ""));
        assertEquals(201, created.status());
        JsonNode metadata = created.body().path("metadata");
        assertFalse(metadata.path("uid").asText().isEmpty());
        assertFalse(metadata.path("creationTimestamp").asText().isEmpty());
        assertEquals("shop", metadata.path("namespace").asText());

        assertEquals(409, create("/api/v1/namespaces/shop/configmaps", configMap("owned", "")).status());
        assertEquals("AlreadyExists", create("/api/v1/namespaces/shop/configmaps", configMap("owned", ""))
                .body().path("reason").asText());
        assertEquals(422, create("/api/v1/namespaces/shop/configmaps", configMap("Not_A_Name", "")).status());
        assertEquals(400, create("/api/v1/namespaces/shop/configmaps",
                "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}").status());
        assertEquals(400, create("/api/v1/namespaces/shop/configmaps",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"y\"}}").status());
        assertEquals(405, create("/api/v1/configmaps", configMap("z", "")).status(),
                "a namespaced type is created in a namespace");

        RawApi.Answer generated = create("/api/v1/namespaces/shop/configmaps",
                "{\"metadata\":{\"generateName\":\"gen-\"}}");
        assertEquals(201, generated.status());
        assertTrue(generated.body().path("metadata").path("name").asText().matches("gen-[a-z0-9]{5}"));
    }

    @Test
    void anUpdateFromAStaleResourceVersionIsAConflictAndANoOpKeepsTheVersion() {
        JsonNode created = create("/apis/apps/v1/namespaces/shop/deployments", "{\"kind\":\"Deployment\","
                + "\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":1}}").body();
        String version = created.path("metadata").path("resourceVersion").asText();
        assertEquals(1, created.path("metadata").path("generation").asInt());

        RawApi.Answer scaled = api.send("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web", MERGE,
                "{\"spec\":{\"replicas\":3}}");
        assertEquals(200, scaled.status());
        assertEquals(2, scaled.body().path("metadata").path("generation").asInt(), "the spec changed");
        assertNotEquals(version, scaled.body().path("metadata").path("resourceVersion").asText());

        RawApi.Answer labelled = api.send("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web", MERGE,
                "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        assertEquals(2, labelled.body().path("metadata").path("generation").asInt(), "metadata is not the spec");

        String stale = created.deepCopy().toString();
        RawApi.Answer conflict = api.send("PUT", "/apis/apps/v1/namespaces/shop/deployments/web", "application/json", stale);
        assertEquals(409, conflict.status());
        assertEquals("Conflict", conflict.body().path("reason").asText());

        String current = labelled.body().toString();
        RawApi.Answer same = api.send("PUT", "/apis/apps/v1/namespaces/shop/deployments/web", "application/json", current);
        assertEquals(200, same.status());
        assertEquals(labelled.body().path("metadata").path("resourceVersion").asText(),
                same.body().path("metadata").path("resourceVersion").asText(), "nothing changed, no new version");
        assertEquals(404, api.send("PUT", "/apis/apps/v1/namespaces/shop/deployments/gone", "application/json",
                "{\"metadata\":{\"name\":\"gone\"}}").status());
    }

    @Test
    void patchesFollowTheirRfcsAndStrategicMergeIsRefused() {
        create("/api/v1/namespaces/shop/configmaps", "{\"metadata\":{\"name\":\"patched\",\"labels\":{\"x\":\"1\","
                + "\"y\":\"2\"}},\"data\":{\"a\":\"1\"}}");
        RawApi.Answer merged = api.send("PATCH", "/api/v1/namespaces/shop/configmaps/patched", MERGE,
                "{\"metadata\":{\"labels\":{\"x\":null}},\"data\":{\"b\":\"2\"}}");
        assertEquals(200, merged.status());
        assertFalse(merged.body().path("metadata").path("labels").has("x"), "null removes a member (RFC 7386)");
        assertEquals("2", merged.body().path("data").path("b").asText());
        assertEquals("1", merged.body().path("data").path("a").asText());

        RawApi.Answer patched = api.send("PATCH", "/api/v1/namespaces/shop/configmaps/patched", JSON_PATCH,
                "[{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"9\"}]");
        assertEquals("9", patched.body().path("data").path("a").asText());
        assertEquals(422, api.send("PATCH", "/api/v1/namespaces/shop/configmaps/patched", JSON_PATCH,
                "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"0\"}]").status());
        assertEquals(415, api.send("PATCH", "/api/v1/namespaces/shop/configmaps/patched",
                "application/strategic-merge-patch+json", "{}").status());
    }

    @Test
    void labelSelectorsOfEveryFormAndFieldSelectorsOnNameAndNamespace() {
        create("/api/v1/namespaces", "{\"metadata\":{\"name\":\"sel\"}}");
        create("/api/v1/namespaces/sel/configmaps", configMap("one", "\"tier\":\"web\",\"env\":\"prod\""));
        create("/api/v1/namespaces/sel/configmaps", configMap("two", "\"tier\":\"db\",\"env\":\"prod\""));
        create("/api/v1/namespaces/sel/configmaps", configMap("three", "\"tier\":\"cache\""));
        assertEquals(List.of("one", "two"), names("labelSelector=env%3Dprod"));
        assertEquals(List.of("three", "two"), names("labelSelector=tier%21%3Dweb"));
        assertEquals(List.of("one", "three"), names("labelSelector=tier%20in%20(web,cache)"));
        assertEquals(List.of("two"), names("labelSelector=tier%20notin%20(web,cache)"));
        assertEquals(List.of("three"), names("labelSelector=%21env"));
        assertEquals(List.of("one", "two"), names("labelSelector=env,tier"));
        assertEquals(List.of("two"), names("fieldSelector=metadata.name%3Dtwo"));
        assertEquals(400, api.get("/api/v1/namespaces/sel/configmaps?fieldSelector=data.k%3Dv").status());
        assertEquals(400, api.get("/api/v1/namespaces/sel/configmaps?labelSelector=tier%20in%20web").status());
    }

    private static List<String> names(String query) {
        RawApi.Answer answer = api.get("/api/v1/namespaces/sel/configmaps?" + query);
        assertEquals(200, answer.status(), answer.body().toString());
        List<String> names = new ArrayList<>();
        answer.body().path("items").forEach(item -> names.add(item.path("metadata").path("name").asText()));
        return names;
    }

    @Test
    void finalizersHoldAnObjectAndDeletingANamespaceDeletesWhatItHolds() {
        create("/api/v1/namespaces", "{\"metadata\":{\"name\":\"doomed\"}}");
        create("/api/v1/namespaces/doomed/configmaps", configMap("inside", ""));
        create("/api/v1/namespaces/doomed/secrets", "{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"x/y\"]}}");

        RawApi.Answer marked = api.send("DELETE", "/api/v1/namespaces/doomed/secrets/held", null, null);
        assertEquals(200, marked.status());
        assertFalse(marked.body().path("metadata").path("deletionTimestamp").asText().isEmpty());
        assertEquals(200, api.get("/api/v1/namespaces/doomed/secrets/held").status(), "held by its finalizer");
        api.send("PATCH", "/api/v1/namespaces/doomed/secrets/held", MERGE, "{\"metadata\":{\"finalizers\":null}}");
        assertEquals(404, api.get("/api/v1/namespaces/doomed/secrets/held").status(), "gone with its last finalizer");

        assertEquals(200, api.send("DELETE", "/api/v1/namespaces/doomed", null, null).status());
        assertEquals(404, api.get("/api/v1/namespaces/doomed/configmaps/inside").status());
        assertEquals(404, create("/api/v1/namespaces/doomed/configmaps", configMap("late", "")).status());
    }

    @Test
    void aCustomTypeIsServedWithItsDefinitionAndItsStatusIsASubresource() {
        create("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "{\"metadata\":{\"name\":"
                + "\"gadgets.demo.io\"},\"spec\":{\"group\":\"demo.io\",\"scope\":\"Namespaced\",\"names\":{\"plural\":"
                + "\"gadgets\",\"singular\":\"gadget\",\"kind\":\"Gadget\"},\"versions\":[{\"name\":\"v1\",\"served\":"
                + "true,\"storage\":true,\"subresources\":{\"status\":{}}}]}}");
        RawApi.Answer created = create("/apis/demo.io/v1/namespaces/shop/gadgets",
                "{\"kind\":\"Gadget\",\"metadata\":{\"name\":\"g\"},\"spec\":{\"a\":1},\"status\":{\"ready\":true}}");
        assertEquals(201, created.status(), created.body().toString());
        assertFalse(created.body().has("status"), "status is ignored on create when it is a subresource");
        RawApi.Answer status = api.send("PATCH", "/apis/demo.io/v1/namespaces/shop/gadgets/g/status", MERGE,
                "{\"status\":{\"ready\":true},\"spec\":{\"a\":2}}");
        assertEquals(200, status.status(), status.body().toString());
        assertTrue(status.body().path("status").path("ready").asBoolean());
        assertEquals(1, status.body().path("spec").path("a").asInt(), "/status changes status alone");

        assertEquals(200, api.send("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.demo.io",
                null, null).status());
        assertEquals(404, api.get("/apis/demo.io/v1/namespaces/shop/gadgets/g").status(), "no longer served");
        assertEquals(404, create("/apis/demo.io/v1/namespaces/shop/gadgets", "{\"metadata\":{\"name\":\"h\"}}").status());
    }

    @Test
    void aTypeTheServerDoesNotServeIsNotFound() {
        assertEquals(404, create("/apis/nothing.io/v1/namespaces/shop/things", "{\"metadata\":{\"name\":\"t\"}}").status());
        assertEquals(404, api.get("/api/v1/namespaces/shop/pods/p/exec").status());
    }
}
