package io.lifeboat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.VeleroBackupFiles;
import io.lifeboat.backup.VeleroBackupSync;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationService;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups Velero wrote into a location, found by the sync, then listed, described and restored through the API; and
 * what Velero's own sync would refuse, skipped and reported.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class VeleroSyncApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PREFIX = "velero-sync";
    static SandboxCluster target;

    @Inject
    LocationService locations;
    @Inject
    ObjectStoreFactory stores;
    @Inject
    io.lifeboat.app.function.ValidateLocationFunction validateLocation;

    @BeforeAll
    static void start() {
        target = SandboxCluster.builder().name("velero-target").start();
    }

    @AfterAll
    static void stop() {
        target.close();
    }

    static ObjectNode object(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    /** The objects as an API server returned them to Velero: server-owned fields and status included. */
    static VeleroBackupFiles nightly(String name) throws Exception {
        return VeleroBackupFiles.backup(name)
                .item("namespaces", "v1", object("""
                        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","uid":"6d1c","resourceVersion":"101",
                         "creationTimestamp":"2026-11-01T10:00:00Z","labels":{"kubernetes.io/metadata.name":"shop"}},
                         "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}"""))
                .item("configmaps", "v1", object("""
                        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"shop","uid":"77aa",
                         "resourceVersion":"240","creationTimestamp":"2026-11-01T10:00:05Z"},"data":{"currency":"EUR"}}"""))
                .item("deployments.apps", "v1", object("""
                        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"cart","namespace":"shop","uid":"9f31",
                         "resourceVersion":"377","generation":2,"creationTimestamp":"2026-11-01T10:00:07Z"},
                         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"cart"}},"template":{"metadata":
                         {"labels":{"app":"cart"}},"spec":{"containers":[{"name":"cart","image":"cart:1.0"}]}}},
                         "status":{"replicas":1,"readyReplicas":1}}"""));
    }

    void put(ObjectStore store, Map<String, byte[]> files) {
        files.forEach((key, content) -> store.put(PREFIX + "/" + key, content));
    }

    @Test
    void aBackupVeleroWroteIsSyncedListedDescribedAndRestored() throws Exception {
        ApiFixtures.addLocalLocation("harbour", "velero", PREFIX).body("status.phase", equalTo("Available"));
        ApiFixtures.addCluster("harbour", "target", target.kubeconfigYaml());

        Location stored = locations.get("harbour", "velero");
        Map<String, byte[]> files = nightly("velero-nightly").files();
        byte[] hugeDocument = ("{\"kind\":\"Backup\",\"apiVersion\":\"velero.io/v1\",\"pad\":\""
                + "x".repeat(VeleroBackupSync.MAX_DOCUMENT_BYTES) + "\",").getBytes(StandardCharsets.UTF_8);
        List<String> before;
        try (ObjectStore store = stores.open(stored)) {
            put(store, files);
            put(store, nightly("renamed").documentName("someone-else").files());
            put(store, nightly("not-run-yet").phase("New").files());
            store.put(PREFIX + "/backups/huge/velero-backup.json", hugeDocument);
            before = store.list(PREFIX + "/");
        }

        Map<String, Object> report = given().post("/v1/projects/harbour/locations/velero/sync").then().statusCode(200)
                .body("location", equalTo("velero"))
                .body("imported", equalTo(List.of("velero-nightly")))
                .body("skipped.find { it.name == 'renamed' }.reason", containsString("metadata.name"))
                .body("skipped.find { it.name == 'not-run-yet' }.reason", containsString("'New'"))
                .body("skipped.find { it.name == 'huge' }.reason", containsString("larger than"))
                .extract().jsonPath().getMap("");
        assertEquals(3, ((List<?>) report.get("skipped")).size(), report.toString());
        for (String refused : List.of("renamed", "not-run-yet", "huge")) {
            given().get("/v1/projects/harbour/backups/" + refused).then().statusCode(404);
        }
        try (ObjectStore store = stores.open(stored)) {
            assertEquals(before, store.list(PREFIX + "/"), "the sync writes nothing into the bucket");
        }

        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(files.get("backups/velero-nightly/velero-nightly.tar.gz")));
        given().get("/v1/projects/harbour/backups").then().statusCode(200)
                .body("items.find { it.name == 'velero-nightly' }.status.origin", equalTo("velero"));
        given().get("/v1/projects/harbour/backups/velero-nightly").then().statusCode(200)
                .body("status.origin", equalTo("velero"))
                .body("spec.cluster", nullValue())
                .body("spec.location", equalTo("velero"))
                .body("status.phase", equalTo("Completed"))
                .body("status.progress.itemsBackedUp", equalTo(3))
                .body("status.archiveSha256", equalTo(sha256))
                .body("spec.expiresAt", equalTo("2026-12-30T02:00:00Z"));
        given().get("/v1/projects/harbour/backups/velero-nightly/resources").then().statusCode(200)
                .body("'apps/v1/Deployment'", hasItem("shop/cart"))
                .body("'v1/ConfigMap'", hasItem("shop/settings"));
        given().post("/v1/projects/harbour/locations/velero/sync").then().statusCode(200)
                .body("imported", equalTo(List.of()))
                .body("alreadyKnown", equalTo(1));

        given().contentType(ContentType.JSON)
                .body("{\"name\":\"from-velero\",\"backup\":\"velero-nightly\",\"targetCluster\":\"target\"}")
                .post("/v1/projects/harbour/restores").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/harbour/restores/from-velero");
        assertEquals("Completed", done.phase(), done.toString());
        var restored = target.client();
        assertEquals("EUR", restored.configMaps().inNamespace("shop").withName("settings").get().getData().get("currency"));
        assertNotNull(restored.apps().deployments().inNamespace("shop").withName("cart").get());
        assertNotNull(restored.namespaces().withName("shop").get());

        // the tarball changed after the import: the restore refuses it, and applies nothing
        try (ObjectStore store = stores.open(stored)) {
            store.put(PREFIX + "/backups/velero-nightly/velero-nightly.tar.gz", nightly("velero-nightly")
                    .item("configmaps", "v1", object("""
                            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"planted","namespace":"shop"}}"""))
                    .tarball());
        }
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"tampered\",\"backup\":\"velero-nightly\",\"targetCluster\":\"target\"}")
                .post("/v1/projects/harbour/restores").then().statusCode(202);
        ApiRecord refused = ApiRecord.awaitPhase("/v1/projects/harbour/restores/tampered");
        assertEquals("Failed", refused.phase(), refused.toString());
        assertTrue(refused.toString().contains("changed or damaged"), refused.toString());
        assertEquals(null, restored.configMaps().inNamespace("shop").withName("planted").get());

        // an explicit delete removes it, record and objects
        given().delete("/v1/projects/harbour/backups/velero-nightly").then().statusCode(204);
        given().get("/v1/projects/harbour/backups/velero-nightly").then().statusCode(404);
        try (ObjectStore store = stores.open(stored)) {
            assertEquals(List.of(), store.list(PREFIX + "/backups/velero-nightly/"));
        }
    }

    /** The validation (on demand here; every 5 minutes in AWS) syncs an Available location after validating it. */
    @Test
    void validatingALocationImportsTheBackupsVeleroWroteThere() throws Exception {
        ApiFixtures.addLocalLocation("harbour", "velero-weekly", "velero-validate")
                .body("status.phase", equalTo("Available"));
        given().get("/v1/projects/harbour/backups").then().statusCode(200).body("items.name", not(hasItem("weekly-1")));
        try (ObjectStore store = stores.open(locations.get("harbour", "velero-weekly"))) {
            nightly("weekly-1").files().forEach((key, content) -> store.put("velero-validate/" + key, content));
        }
        given().post("/v1/projects/harbour/locations/velero-weekly/validate").then().statusCode(200)
                .body("status.phase", equalTo("Available"))
                .body("sync", nullValue()); // the answer is the location; the import shows in the backups
        given().get("/v1/projects/harbour/backups/weekly-1").then().statusCode(200).body("status.origin", equalTo("velero"));

        // the scheduled run (an EventBridge event names no location) validates and syncs every location
        try (ObjectStore store = stores.open(locations.get("harbour", "velero-weekly"))) {
            nightly("weekly-2").files().forEach((key, content) -> store.put("velero-validate/" + key, content));
        }
        var all = validateLocation.validateLocation(new io.lifeboat.app.function.ValidateLocationFunction
                .ValidateLocationRequest());
        assertEquals("all", all.validated());
        assertTrue(all.imported() >= 1, all.toString());
        given().get("/v1/projects/harbour/backups/weekly-2").then().statusCode(200).body("status.origin", equalTo("velero"))
                .body("status.phase", equalTo("Completed"));
    }
}
