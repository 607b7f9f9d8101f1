package io.lifeboat.api;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.dynamodb.DynamoWorkspaceRepository;
import io.lifeboat.dynamodb.Tables;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.restore.ExistingResourcePolicy;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreRepository;
import io.lifeboat.workspace.Workspace;
import io.lifeboat.workspace.WorkspaceRun;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every resource answers one shape, {name, project, createdAt, spec, status}, alone and in its list
 * ({items, nextToken?}); a phase is at status.phase, never at the top. The records are written through the
 * repositories (and the schedule and workspace through the API), so that no run is needed.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class ShapeApiTest {
    static final String P = "/v1/projects/shape";
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    static final List<String> SHAPE = List.of("name", "project", "createdAt", "spec", "status");
    static boolean written;

    @Inject
    LocationRepository locations;
    @Inject
    ClusterRepository clusters;
    @Inject
    BackupRepository backups;
    @Inject
    RestoreRepository restores;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Tables tables;

    @BeforeEach
    void write() {
        if (written) {
            return;
        }
        written = true;
        locations.create(new Location("shape", "store", Provider.MINIO, "backups", "shape", Map.of(
                LocationField.S3_URL, "http://127.0.0.1:9", LocationField.ACCESS_KEY_ID, "AKIASHAPE",
                LocationField.SECRET_ACCESS_KEY, "shape-secret-key"), LocationStatus.available(NOW), NOW));
        clusters.create(new Cluster("shape", "prod", "kubeconfig-secret", "ctx", "https://k", ClusterStatus.unknown(), NOW));
        backups.create(Backup.requested("shape", "nightly", "prod", "store", List.of("shop"), null, false, NOW,
                NOW.plus(1, ChronoUnit.DAYS)));
        restores.create(Restore.requested("shape", "back", "nightly", "prod", new Restore.Request(true, false, false,
                List.of(), Map.of(), Map.of(), ExistingResourcePolicy.update, Map.of(), List.of()), NOW));
        given().contentType(ContentType.JSON).body("""
                {"name":"weekly","cluster":"prod","location":"store","retentionDays":7,"schedule":{"preset":"weekly"}}""")
                .post(P + "/schedules").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"name\":\"fleet\",\"clusters\":[\"prod\"]}")
                .post(P + "/workspaces").then().statusCode(201);
        DynamoWorkspaceRepository runs = new DynamoWorkspaceRepository(dynamo, tables);
        runs.createRun(WorkspaceRun.ofBackup("shape", "fleet-nightly", "fleet", new WorkspaceRun.BackupSpec("store",
                NOW.plus(1, ChronoUnit.DAYS), false, null, List.of()),
                List.of(new WorkspaceRun.Child("prod", "nightly", null)), NOW));
        runs.createRun(WorkspaceRun.ofRestore("shape", "fleet-back", "fleet", new WorkspaceRun.RestoreSpec(
                "fleet-nightly", Map.of(), new Restore.Request(true, false, false, List.of(), Map.of(), Map.of(),
                        ExistingResourcePolicy.none, Map.of(), List.of())),
                List.of(new WorkspaceRun.Child("prod", "back", null)), NOW));
    }

    static Map<String, Object> get(String path) {
        return given().get(path).then().statusCode(200).extract().jsonPath().getMap("");
    }

    static void assertShape(Map<String, Object> record, String where) {
        assertEquals(java.util.Set.copyOf(SHAPE), record.keySet(), where + ": " + record);
        assertEquals("shape", record.get("project"), where);
        assertTrue(record.get("spec") instanceof Map<?, ?>, where);
        assertTrue(record.get("status") instanceof Map<?, ?>, where);
    }

    @Test
    void everyResourceAndEveryListHasTheOneShape() {
        Map<String, String> one = Map.of(
                "locations", "store", "clusters", "prod", "backups", "nightly", "restores", "back",
                "schedules", "weekly", "workspaces", "fleet", "workspaces/fleet/backups", "fleet-nightly",
                "workspaces/fleet/restores", "fleet-back");
        one.forEach((list, name) -> {
            Map<String, Object> record = get(P + "/" + list + "/" + name);
            assertShape(record, list);
            Map<String, Object> page = get(P + "/" + list);
            assertEquals(java.util.Set.of("items"), page.keySet(), list + ": the last page has no nextToken");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            assertFalse(items.isEmpty(), list);
            items.forEach(item -> assertShape(item, list + " item"));
            assertEquals(record, items.stream().filter(i -> i.get("name").equals(name)).findFirst().orElseThrow(),
                    list + ": the list shows what GET shows");
        });
    }

    @Test
    void phasesAreUnderStatusAndWhatWasAskedUnderSpec() {
        ApiRecord location = ApiRecord.get(P + "/locations/store");
        assertEquals("Available", location.phase());
        assertEquals("***", ((Map<?, ?>) location.spec("credentials")).get("secretAccessKey"));
        assertEquals("***", ((Map<?, ?>) location.spec("credentials")).get("accessKeyId"));
        assertFalse(location.json().toString().contains("shape-secret-key"));

        ApiRecord cluster = ApiRecord.get(P + "/clusters/prod");
        assertEquals("Unknown", cluster.status("health"));
        assertEquals("ctx", cluster.spec("context"));
        assertFalse(cluster.json().toString().contains("kubeconfig-secret"));

        ApiRecord backup = ApiRecord.get(P + "/backups/nightly");
        assertEquals("New", backup.phase());
        assertEquals("lifeboat", backup.status("origin"));
        assertEquals(List.of("shop"), backup.spec("namespaces"));
        assertNotNull(backup.spec("expiresAt"));
        assertFalse(backup.json().containsKey("phase"));

        ApiRecord restore = ApiRecord.get(P + "/restores/back");
        assertEquals("New", restore.phase());
        assertEquals("update", restore.spec("existingResourcePolicy"));
        assertEquals("nightly", restore.spec("backup"));

        ApiRecord schedule = ApiRecord.get(P + "/schedules/weekly");
        assertEquals("Active", schedule.phase());
        assertEquals(Map.of("preset", "weekly"), schedule.spec("schedule"));
        assertNotNull(schedule.status("nextRunAt"));

        ApiRecord workspace = ApiRecord.get(P + "/workspaces/fleet");
        assertEquals(List.of("prod"), workspace.spec("clusters"));
        assertEquals(Map.of(), workspace.json().get("status"), "a workspace observes nothing of its own");

        ApiRecord run = ApiRecord.get(P + "/workspaces/fleet/backups/fleet-nightly");
        assertEquals("InProgress", run.phase(), "its child is New");
        assertEquals("fleet", run.spec("workspace"));
        assertEquals("store", run.spec("location"));
        assertEquals(false, run.spec("includeDisks"));
        assertEquals(NOW.plus(1, ChronoUnit.DAYS).toString(), run.spec("expiresAt"));
        assertEquals(List.of(), run.spec("namespaces"));
        assertEquals(null, run.spec("workspaceBackup"), "a backup's spec holds no restore option");
        assertEquals(null, run.status("completedAt"), "it runs");
        ApiRecord back = ApiRecord.get(P + "/workspaces/fleet/restores/fleet-back");
        assertEquals("fleet-nightly", back.spec("workspaceBackup"));
        assertEquals("none", back.spec("existingResourcePolicy"));
        assertEquals(true, back.spec("includeClusterResources"));
        assertEquals(null, back.spec("location"));
        @SuppressWarnings("unchecked")
        Map<String, Object> child = ((List<Map<String, Object>>) run.status("children")).get(0);
        assertEquals(Map.of("cluster", "prod", "backup", "nightly", "phase", "New",
                "progress", Map.of("items", 0, "totalItems", 0)), child);
        @SuppressWarnings("unchecked")
        Map<String, Object> restoreChild = ((List<Map<String, Object>>) ApiRecord.get(
                P + "/workspaces/fleet/restores/fleet-back").status("children")).get(0);
        assertEquals("back", restoreChild.get("restore"));
    }
}
