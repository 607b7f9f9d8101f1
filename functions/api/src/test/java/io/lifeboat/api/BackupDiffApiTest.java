package io.lifeboat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lifeboat.archive.Layout;
import io.lifeboat.location.LocationService;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two backups of a sandbox taken before and after changes, compared through the API. */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class BackupDiffApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String P = "/v1/projects/diff";
    static SandboxCluster cluster;
    static boolean registered;

    @Inject
    LocationService locations;
    @Inject
    ObjectStoreFactory stores;
    @Inject
    io.lifeboat.backup.BackupRepository backupRecords;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.builder().name("diffed").start();
        SampleApp.install(cluster.client());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static void backup(String name) throws InterruptedException {
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"cluster\":\"prod\",\"location\":\"store\","
                + "\"namespaces\":[\"demo\"]}").post(P + "/backups").then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase(P + "/backups/" + name).phase());
    }

    @BeforeEach
    void register() throws Exception {
        if (registered) {
            return;
        }
        registered = true;
        ApiFixtures.addLocalLocation("diff", "store", "diff");
        ApiFixtures.addCluster("diff", "prod", cluster.kubeconfigYaml());
        backup("monday");
        KubernetesClient client = cluster.client();
        client.configMaps().inNamespace("demo").withName("web-config")
                .edit(cm -> { cm.getData().put("theme", "dark"); return cm; });
        client.configMaps().inNamespace("demo").resource(new ConfigMapBuilder().withNewMetadata().withName("feature-flags")
                .withNamespace("demo").endMetadata().addToData("beta", "on").build()).create();
        client.secrets().inNamespace("demo").withName(SampleApp.SECRET).delete();
        client.configMaps().inNamespace("demo").withName("api-config") // a new resourceVersion, no change
                .edit(cm -> { cm.getMetadata().setAnnotations(cm.getMetadata().getAnnotations()); return cm; });
        backup("tuesday");
    }

    @Test
    void whatChangedBetweenTwoBackupsPerTypeWithJsonPatches() throws Exception {
        JsonNode diff = JSON.readTree(given().get(P + "/backups/monday/diff/tuesday").then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString());
        assertEquals("monday", diff.path("from").asText());
        assertEquals("tuesday", diff.path("to").asText());
        assertEquals(1, diff.path("summary").path("added").asInt(), diff.toString());
        assertEquals(1, diff.path("summary").path("removed").asInt(), diff.toString());
        assertEquals(1, diff.path("summary").path("changed").asInt(), diff.toString());
        assertTrue(diff.path("summary").path("unchanged").asInt() >= 10, diff.toString());
        assertEquals(0, diff.path("patchesOmitted").asInt());
        JsonNode configMaps = type(diff, "configmaps");
        assertEquals(JSON.readTree("[\"demo/feature-flags\"]"), configMaps.path("added"));
        assertEquals("demo/web-config", configMaps.path("changed").path(0).path("name").asText());
        assertEquals(JSON.readTree("[{\"op\":\"add\",\"path\":\"/data/theme\",\"value\":\"dark\"}]"),
                configMaps.path("changed").path(0).path("patch"));
        assertEquals(JSON.readTree("[\"demo/" + SampleApp.SECRET + "\"]"), type(diff, "secrets").path("removed"));

        JsonNode backwards = JSON.readTree(given().get(P + "/backups/tuesday/diff/monday").then().statusCode(200)
                .extract().asString());
        assertEquals(JSON.readTree("[\"demo/feature-flags\"]"), type(backwards, "configmaps").path("removed"));
        assertEquals(JSON.readTree("[{\"op\":\"remove\",\"path\":\"/data/theme\"}]"),
                type(backwards, "configmaps").path("changed").path(0).path("patch"));
    }

    static JsonNode type(JsonNode diff, String resource) {
        for (JsonNode type : diff.path("types")) {
            if (type.path("resource").asText().equals(resource)) {
                return type;
            }
        }
        throw new AssertionError("no " + resource + " in " + diff);
    }

    @Test
    void unknownUnfinishedAndChangedArchivesAreRefused() throws Exception {
        given().get(P + "/backups/monday/diff/nope").then().statusCode(404).body("error.code", equalTo("NotFound"));
        given().get(P + "/backups/Not_A_Name/diff/monday").then().statusCode(400).body("error.field", equalTo("name"));
        backupRecords.create(io.lifeboat.backup.Backup.requested("diff", "wednesday", "prod", "store", List.of(), null,
                false, Instant.now(), Instant.now().plusSeconds(3600)));
        given().get(P + "/backups/monday/diff/wednesday").then().statusCode(409).body("error.field", equalTo("other"));

        backup("thursday");
        try (ObjectStore store = stores.open(locations.get("diff", "store"))) {
            store.put(Layout.backupObject("diff", "thursday", Layout.BackupFile.TARBALL),
                    store.get(Layout.backupObject("diff", "monday", Layout.BackupFile.TARBALL)));
        }
        Map<String, Object> error = given().get(P + "/backups/monday/diff/thursday").then().statusCode(422)
                .body("error.code", equalTo("UnreadableArchive")).extract().jsonPath().getMap("error");
        assertTrue(error.get("message").toString().contains("it was changed or damaged after the backup"), error.toString());
    }
}
