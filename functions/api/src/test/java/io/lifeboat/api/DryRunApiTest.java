package io.lifeboat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dry runs of restores through the API, against sandbox API servers that count every request by method: a dry run
 * sends reads only, its plan is downloaded, and the restore that follows it does what it said.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class DryRunApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String P = "/v1/projects/dry";
    static SandboxCluster source;
    static SandboxCluster empty;
    static boolean registered;

    @BeforeAll
    static void start() {
        source = SandboxCluster.builder().name("dry-a").start();
        SampleApp.install(source.client());
        empty = SandboxCluster.builder().name("dry-b").start();
    }

    @AfterAll
    static void stop() {
        source.close();
        empty.close();
    }

    @BeforeEach
    void register() throws Exception {
        if (registered) {
            return;
        }
        registered = true;
        ApiFixtures.addLocalLocation("dry", "store", "dry");
        for (SandboxCluster cluster : List.of(source, empty)) {
            ApiFixtures.addCluster("dry", cluster.name(), cluster.kubeconfigYaml());
        }
        given().contentType(ContentType.JSON).body("{\"name\":\"demo\",\"cluster\":\"dry-a\",\"location\":\"store\","
                + "\"namespaces\":[\"demo\"]}").post(P + "/backups").then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase(P + "/backups/demo").phase());
    }

    /** The plan, downloaded; each item keyed by "resource [namespace/]name". */
    static Map<String, JsonNode> plan(String restore) throws Exception {
        JsonNode plan = JSON.readTree(given().get(P + "/restores/" + restore + "/plan").then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString());
        Map<String, JsonNode> items = new HashMap<>();
        for (JsonNode item : plan.path("items")) {
            items.put(item.path("resource").asText() + " " + (item.has("namespace") ? item.path("namespace").asText() + "/" : "")
                    + item.path("name").asText(), item);
        }
        items.put("summary", plan.path("summary"));
        return items;
    }

    static void assertOnlyReads(SandboxCluster cluster, String what) {
        Map<String, Long> methods = cluster.faults().requestCountsByMethod();
        assertTrue(methods.containsKey("GET"), what + ": it read the target: " + methods);
        assertEquals(Set.of("GET"), methods.keySet(), what + ": no write request at all: " + methods);
    }

    @Test
    void aDryRunIntoAnEmptyClusterSendsOnlyReadsAndPlansToCreateEverything() throws Exception {
        empty.faults().resetCounts();
        given().contentType(ContentType.JSON).body("""
                {"name":"dry-b","backup":"demo","targetCluster":"dry-b","dryRun":true}""")
                .post(P + "/restores").then().statusCode(202).body("spec.dryRun", equalTo(true));
        ApiRecord done = ApiRecord.awaitPhase(P + "/restores/dry-b");
        assertEquals("Completed", done.phase(), done.toString());
        assertOnlyReads(empty, "a dry run into an empty cluster");
        assertNull(empty.client().namespaces().withName("demo").get(), "nothing was created");

        @SuppressWarnings("unchecked")
        Map<String, Number> plan = (Map<String, Number>) done.status("plan");
        @SuppressWarnings("unchecked")
        Map<String, Number> counts = (Map<String, Number>) done.status("counts");
        assertTrue(plan.get("create").intValue() >= 10, done.toString());
        assertEquals(plan.get("create").intValue(), counts.get("created").intValue());
        Map<String, JsonNode> items = plan("dry-b");
        assertEquals("create", items.get("configmaps demo/web-config").path("action").asText());
        assertEquals("create", items.get("namespaces demo").path("action").asText());
        assertEquals(plan.get("create").longValue(), items.get("summary").path("create").asLong());
        assertTrue(given().get(P + "/restores/dry-b/logs").then().statusCode(200).extract().asString()
                .contains("a dry run: nothing is written to cluster dry-b"));
    }

    /**
     * Into the source itself, where a ConfigMap changed since the backup: the dry run finds everything else identical
     * and the changed one a conflict, with the patch that would undo the change; the restore that follows counts and
     * warns exactly as the dry run said.
     */
    @Test
    void aDryRunOverLiveObjectsShowsTheirPatchesAndTheRestoreThatFollowsAgrees() throws Exception {
        source.client().configMaps().inNamespace("demo").withName("web-config")
                .edit(cm -> { cm.getData().put("changed", "yes"); return cm; });
        source.faults().resetCounts();
        String body = """
                {"name":"%s","backup":"demo","targetCluster":"dry-a","namespaces":["demo"],"includeClusterResources":false,
                 "dryRun":%s}""";
        given().contentType(ContentType.JSON).body(body.formatted("dry-a", true)).post(P + "/restores").then().statusCode(202);
        ApiRecord dry = ApiRecord.awaitPhase(P + "/restores/dry-a");
        assertEquals("Completed", dry.phase(), dry.toString());
        assertOnlyReads(source, "a dry run over live objects");
        assertEquals("yes", source.client().configMaps().inNamespace("demo").withName("web-config").get().getData().get("changed"));

        Map<String, JsonNode> items = plan("dry-a");
        JsonNode changed = items.get("configmaps demo/web-config");
        assertEquals("conflict", changed.path("action").asText(), changed.toString());
        assertEquals(JSON.readTree("[{\"op\":\"remove\",\"path\":\"/data/changed\"}]"), changed.path("patch"));
        assertEquals("identical", items.get("configmaps demo/api-config").path("action").asText());
        List<String> conflicts = items.entrySet().stream().filter(e -> e.getValue().path("action").asText().equals("conflict"))
                .map(Map.Entry::getKey).sorted().toList();
        // as a restore would make them, the NodePort service loses its node port and the claim its volumeName (its
        // volume, reclaim policy Delete and no snapshot, is provisioned anew): they differ from the live ones too
        assertEquals(List.of("configmaps demo/web-config", "persistentvolumeclaims demo/data", "services demo/web"),
                conflicts, items.toString());
        assertEquals(JSON.readTree("[{\"op\":\"remove\",\"path\":\"/spec/ports/0/nodePort\"}]"),
                items.get("services demo/web").path("patch"));
        assertEquals(3, dry.status("warnings"));

        given().contentType(ContentType.JSON).body(body.formatted("real-a", false)).post(P + "/restores").then().statusCode(202);
        ApiRecord real = ApiRecord.awaitPhase(P + "/restores/real-a");
        assertEquals(real.status("counts"), dry.status("counts"), "the restore does what its dry run said");
        assertEquals(real.status("warnings"), dry.status("warnings"));
        assertEquals(real.status("errors"), dry.status("errors"));
    }

    @Test
    void badRequests() throws Exception {
        given().contentType(ContentType.JSON).body("{\"backup\":\"demo\",\"targetCluster\":\"dry-b\",\"dryRun\":\"yes\"}")
                .post(P + "/restores").then().statusCode(400).body("error.field", equalTo("dryRun"));
        given().contentType(ContentType.JSON).body("{\"name\":\"not-dry\",\"backup\":\"demo\",\"targetCluster\":\"dry-b\","
                + "\"namespaces\":[\"nothing-here\"]}").post(P + "/restores").then().statusCode(202);
        ApiRecord.awaitPhase(P + "/restores/not-dry");
        given().get(P + "/restores/not-dry/plan").then().statusCode(409).body("error.field", equalTo("name"));
        given().get(P + "/restores/nope/plan").then().statusCode(404);
    }
}
