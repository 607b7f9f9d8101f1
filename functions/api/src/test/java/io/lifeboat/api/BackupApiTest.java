package io.lifeboat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lifeboat.archive.ArchiveReader;
import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationService;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.lifeboat.sandbox.kube.SnapshotController;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups through the API, of a sandbox cluster holding the Online Boutique release and the sample application,
 * into s3proxy. Lists are paged by 7 in tests (application.properties), so every type with more items uses continue.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class BackupApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The boutique and the sample application; no test changes what it holds. */
    static SandboxCluster sandbox;
    /** The sample application too, for the tests that add objects (snapshots, legacy volumes). */
    static SandboxCluster scratch;
    static int boutiqueObjects;

    @Inject
    LocationService locations;
    @Inject
    ObjectStoreFactory stores;
    @Inject
    io.lifeboat.app.function.RunBackupFunction runBackup;
    @Inject
    io.lifeboat.app.function.SweepExpiredFunction sweep;

    @BeforeAll
    static void startCluster() throws Exception {
        scratch = SandboxCluster.builder().name("scratch").start();
        SampleApp.install(scratch.client());
        sandbox = SandboxCluster.builder().name("boutique").start();
        KubernetesClient client = sandbox.client();
        SampleApp.install(client);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        Path fixture = Path.of(System.getProperty("lifeboat.fixtures"), "online-boutique.yaml");
        try (InputStream in = Files.newInputStream(fixture)) {
            for (HasMetadata item : client.load(in).items()) {
                item.getMetadata().setNamespace("shop");
                client.resource(item).create();
                boutiqueObjects++;
            }
        }
    }

    @AfterAll
    static void stopCluster() {
        sandbox.close();
        scratch.close();
    }

    static void register(String project) {
        register(project, sandbox);
    }

    /** Registers the cluster as "boutique", whichever sandbox it is, and the location "store" (on its own prefix). */
    static void register(String project, SandboxCluster cluster) {
        ApiFixtures.addLocalLocation(project, "store", "lifeboat/" + project).body("status.phase", equalTo("Available"));
        ApiFixtures.addCluster(project, "boutique", cluster.kubeconfigYaml()).body("status.health", equalTo("Healthy"));
    }

    static ApiRecord backUp(String project, String body) throws InterruptedException {
        String name = given().contentType(ContentType.JSON).body(body).post("/v1/projects/" + project + "/backups")
                .then().statusCode(202).body("status.phase", equalTo("New")).extract().path("name");
        return ApiRecord.awaitPhase("/v1/projects/" + project + "/backups/" + name);
    }

    Map<String, JsonNode> archive(String project, String name) throws Exception {
        Location location = locations.get(project, "store");
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        try (ObjectStore store = stores.open(location);
             InputStream in = store.download(Layout.backupObject(location.prefix(), name, BackupFile.TARBALL));
             ArchiveReader reader = new ArchiveReader(in, 4 << 20)) {
            for (ArchiveReader.Entry e; (e = reader.next()) != null; ) {
                entries.put(e.path(), e.path().startsWith("resources/") ? JSON.readTree(e.content()) : JSON.getNodeFactory().textNode(e.text()));
            }
        }
        return entries;
    }

    @Test
    void theBoutiqueAndTheSampleAppAreBackedUpInVeleroLayoutAndMatchTheServer() throws Exception {
        register("shop-a");
        sandbox.faults().resetCounts();
        ApiRecord done = backUp("shop-a", "{\"name\":\"full\",\"cluster\":\"boutique\",\"location\":\"store\"}");
        assertEquals("Completed", done.phase(), done.toString());

        Map<String, JsonNode> entries = archive("shop-a", "full");
        assertEquals("1.1.0\n", entries.get("metadata/version").asText());
        int items = 0;
        KubernetesClient client = sandbox.client();
        for (Map.Entry<String, JsonNode> entry : entries.entrySet()) {
            String path = entry.getKey();
            if (path.equals("metadata/version")) {
                continue;
            }
            Layout.ItemEntry item = Layout.parseItemEntry(path);
            assertTrue(item != null, "not a Velero item path: " + path);
            JsonNode object = entry.getValue();
            assertEquals(item.name(), object.path("metadata").path("name").asText(), path);
            if (item.clusterScoped()) {
                assertFalse(object.path("metadata").has("namespace"), path);
            } else {
                assertEquals(item.namespace(), object.path("metadata").path("namespace").asText(), path);
            }
            String apiVersion = object.path("apiVersion").asText();
            assertEquals(item.group(), apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "", path);
            if (item.preferredVersion() != null) {
                assertEquals(entries.get(Layout.itemEntry(item.resourceFolder(), item.namespace(), item.name())), object,
                        "the preferred-version copy equals the item: " + path);
                continue;
            }
            items++;
            GenericKubernetesResource live = item.clusterScoped()
                    ? client.genericKubernetesResources(apiVersion, object.path("kind").asText()).withName(item.name()).get()
                    : client.genericKubernetesResources(apiVersion, object.path("kind").asText()).inNamespace(item.namespace())
                    .withName(item.name()).get();
            assertEquals(JSON.readTree(Serialization.asJson(live)), object, "the archived object is the server's: " + path);
        }
        @SuppressWarnings("unchecked")
        Map<String, Number> progress = (Map<String, Number>) done.status("progress");
        assertEquals(items, progress.get("itemsBackedUp").intValue());
        assertEquals(items, progress.get("totalItems").intValue());
        // the boutique (12 deployments, 12 services, 11 service accounts) and its namespace, plus the sample app
        long namespaces = client.namespaces().list().getItems().size();
        assertEquals(boutiqueObjects + SampleApp.objectCount() + namespaces - 1, items, "the boutique, its namespace, the "
                + "sample application and the system namespaces");
        for (String expected : List.of("resources/deployments.apps/namespaces/shop/frontend.json",
                "resources/services/namespaces/shop/frontend-external.json",
                "resources/serviceaccounts/namespaces/shop/cartservice.json",
                "resources/secrets/namespaces/demo/" + SampleApp.SECRET + ".json",
                "resources/storageclasses.storage.k8s.io/cluster/gp2.json",
                "resources/persistentvolumes/cluster/" + SampleApp.PERSISTENT_VOLUME + ".json",
                "resources/persistentvolumeclaims/namespaces/demo/" + SampleApp.PERSISTENT_VOLUME_CLAIM + ".json",
                "resources/roles.rbac.authorization.k8s.io/namespaces/demo/" + SampleApp.ROLE + ".json",
                "resources/clusterroles.rbac.authorization.k8s.io/cluster/" + SampleApp.CLUSTER_ROLE + ".json",
                "resources/customresourcedefinitions.apiextensions.k8s.io/cluster/" + SampleApp.WIDGET_CRD + ".json",
                "resources/widgets.demo.lifeboat.io/namespaces/demo/alpha.json",
                "resources/widgets.demo.lifeboat.io/v1-preferredversion/namespaces/demo/beta.json")) {
            assertTrue(entries.containsKey(expected), expected);
        }
        // 12 deployments in pages of 7: the list was continued
        assertTrue(sandbox.faults().requestCount("/apis/apps/v1/deployments") >= 2,
                sandbox.faults().requestCounts().toString());

        given().get("/v1/projects/shop-a/backups/full/resources").then().statusCode(200)
                .body("'apps/v1/Deployment'", hasItem("shop/frontend"))
                .body("'v1/Namespace'", hasItem("shop"));
        given().get("/v1/projects/shop-a/backups?cluster=boutique").then().statusCode(200).body("items.name", hasItem("full"));
        String logs = given().get("/v1/projects/shop-a/backups/full/logs").then().statusCode(200).extract().asString();
        assertTrue(logs.contains("archive verified"), logs);
    }

    @Test
    void aNamespaceFilterWithoutClusterResourcesKeepsWhatTheNamespaceNeeds() throws Exception {
        register("shop-b");
        ApiRecord done = backUp("shop-b", """
                {"name":"demo-only","cluster":"boutique","location":"store","namespaces":["demo","ghost"],
                 "includeClusterResources":false}""");
        assertEquals("Completed", done.phase(), done.toString());
        assertEquals(1, done.status("warnings"));
        Map<String, JsonNode> entries = archive("shop-b", "demo-only");
        assertFalse(entries.keySet().stream().anyMatch(p -> p.contains("/namespaces/shop/")));
        assertFalse(entries.containsKey("resources/storageclasses.storage.k8s.io/cluster/gp2.json"));
        assertFalse(entries.containsKey("resources/clusterroles.rbac.authorization.k8s.io/cluster/" + SampleApp.CLUSTER_ROLE + ".json"));
        assertTrue(entries.containsKey("resources/persistentvolumes/cluster/" + SampleApp.PERSISTENT_VOLUME + ".json"));
        assertTrue(entries.containsKey("resources/customresourcedefinitions.apiextensions.k8s.io/cluster/" + SampleApp.WIDGET_CRD + ".json"));
        assertTrue(entries.containsKey("resources/namespaces/cluster/demo.json"));
    }

    /** GET …/archive streams the tarball as stored: the same bytes, the record's SHA-256; 409 for a Failed backup. */
    @Test
    void theArchiveIsServedAsStoredOnceTheBackupHasFinished() throws Exception {
        register("shop-dl");
        ApiRecord done = backUp("shop-dl", "{\"name\":\"to-download\",\"cluster\":\"boutique\",\"location\":\"store\","
                + "\"namespaces\":[\"demo\"]}");
        assertEquals("Completed", done.phase(), done.toString());
        var answer = given().get("/v1/projects/shop-dl/backups/to-download/archive").then().statusCode(200)
                .contentType("application/gzip")
                .header("Content-Disposition", equalTo("attachment; filename=\"to-download.tar.gz\"")).extract();
        byte[] served = answer.asByteArray();
        Location location = locations.get("shop-dl", "store");
        byte[] stored;
        try (ObjectStore store = stores.open(location);
             InputStream in = store.download(Layout.backupObject(location.prefix(), "to-download", BackupFile.TARBALL))) {
            stored = in.readAllBytes();
        }
        assertTrue(java.util.Arrays.equals(stored, served), "the served archive is the stored one");
        assertEquals(done.status("archiveSha256"), java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(served)));

        given().get("/v1/projects/shop-dl/backups/nope/archive").then().statusCode(404).body("error.code", equalTo("NotFound"));
        try (SandboxCluster locked = SandboxCluster.builder().name("locked-dl").start()) {
            String wrongToken = locked.kubeconfigYaml().replace(locked.token(), "not-the-token");
            ApiFixtures.addCluster("shop-dl", "locked", wrongToken);
            ApiRecord failed = backUp("shop-dl", "{\"name\":\"refused\",\"cluster\":\"locked\",\"location\":\"store\"}");
            assertEquals("Failed", failed.phase(), failed.toString());
            given().get("/v1/projects/shop-dl/backups/refused/archive").then().statusCode(409)
                    .body("error.field", equalTo("name"))
                    .body("error.message", equalTo("backup 'refused' is Failed: it has no archive"));
        }
    }

    @Test
    void aListTheServerKeepsFailingMakesTheBackupPartiallyFailed() throws Exception {
        register("shop-c");
        sandbox.faults().failLists("configmaps", 1);
        ApiRecord retried = backUp("shop-c", "{\"name\":\"retried\",\"cluster\":\"boutique\",\"location\":\"store\"}");
        assertEquals("Completed", retried.phase(), "one 500 is retried away: " + retried);

        sandbox.faults().failListsAlways("serviceaccounts");
        try {
            ApiRecord done = backUp("shop-c", "{\"name\":\"broken\",\"cluster\":\"boutique\",\"location\":\"store\"}");
            assertEquals("PartiallyFailed", done.phase(), done.toString());
            assertEquals(1, done.status("errors"));
            assertTrue(done.status("firstErrors").toString().contains("serviceaccounts"), done.toString());
        } finally {
            sandbox.faults().clear();
        }
    }

    @Test
    void badRequestsAndUnknownNames() {
        register("shop-d");
        String base = "/v1/projects/shop-d/backups";
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"cluster\":\"nope\",\"location\":\"store\"}").post(base)
                .then().statusCode(404).body("error.code", equalTo("NotFound"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"cluster\":\"boutique\",\"location\":\"nope\"}").post(base)
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"cluster\":\"boutique\",\"location\":\"store\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
                .post(base).then().statusCode(400).body("error.field", equalTo("expiresAt"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"cluster\":\"boutique\",\"location\":\"store\",\"namespaces\":[\"ok\",\"Not_Valid\"]}")
                .post(base).then().statusCode(400).body("error.field", equalTo("namespaces[1]"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"cluster\":\"boutique\",\"location\":\"store\",\"expiresAt\":\"soon\"}")
                .post(base).then().statusCode(400).body("error.field", equalTo("expiresAt"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"cluster\":\"boutique\",\"location\":\"store\",\"expiresAt\":\"+10000-01-01T00:00:00Z\"}")
                .post(base).then().statusCode(400).body("error.field", equalTo("expiresAt"))
                .body("error.message", equalTo("expiresAt: must be before year 10000"));
        given().get(base).then().statusCode(200).body("items.size()", equalTo(0));
        given().get(base + "/x").then().statusCode(404);

        String nobucket = """
                {"name":"gone","provider":"minio","bucket":"not-there","s3Url":"%s",
                 "credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}}"""
                .formatted(LocalServers.s3.url(), LocalServers.s3.accessKey(), LocalServers.s3.secretKey());
        given().contentType(ContentType.JSON).body(nobucket).post("/v1/projects/shop-d/locations").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"cluster\":\"boutique\",\"location\":\"gone\"}").post(base)
                .then().statusCode(409).body("error.field", equalTo("location"))
                .body("error.message", startsWith("location 'gone' is Unavailable"));
    }

    @Test
    void aTakenNameIs409AndTheFirstBackupStands() throws Exception {
        register("shop-e");
        backUp("shop-e", "{\"name\":\"once\",\"cluster\":\"boutique\",\"location\":\"store\"}");
        given().contentType(ContentType.JSON).body("{\"name\":\"once\",\"cluster\":\"boutique\",\"location\":\"store\"}")
                .post("/v1/projects/shop-e/backups").then().statusCode(409).body("error.field", equalTo("name"));
        given().get("/v1/projects/shop-e/backups/once").then().statusCode(200).body("status.phase", equalTo("Completed"));
    }

    /** Lambda delivers at least once: a second run-backup of the same backup reads nothing and writes nothing. */
    @Test
    void aSecondDeliveryOfRunBackupDoesNothing() throws Exception {
        register("shop-i");
        ApiRecord first = backUp("shop-i", "{\"name\":\"twice\",\"cluster\":\"boutique\",\"location\":\"store\"}");
        sandbox.faults().resetCounts();
        var second = runBackup.runBackup(new io.lifeboat.app.function.RunBackupFunction.BackupRef("shop-i", "twice"));
        assertEquals("Completed", second.phase());
        ApiRecord after = ApiRecord.get("/v1/projects/shop-i/backups/twice");
        assertEquals(first.status("archiveSha256"), after.status("archiveSha256"));
        assertEquals(first.status("completedAt"), after.status("completedAt"));
        assertTrue(sandbox.faults().requestCounts().isEmpty(), sandbox.faults().requestCounts().toString());
    }

    @Test
    void includeDisksTakesACsiSnapshotOfEachBoundClaim() throws Exception {
        register("shop-f", scratch);
        try (KubernetesClient client = scratch.newClient(); SnapshotController controller = SnapshotController.start(client)) {
            ApiRecord done = backUp("shop-f", """
                    {"name":"disks","cluster":"boutique","location":"store","includeDisks":true,"namespaces":["demo"]}""");
            assertEquals("Completed", done.phase(), done.toString());
            List<Map<String, Object>> snapshots = given().get("/v1/projects/shop-f/backups/disks").then().statusCode(200)
                    .extract().jsonPath().getList("status.volumeSnapshots");
            assertEquals(1, snapshots.size(), snapshots.toString());
            Map<String, Object> snapshot = snapshots.get(0);
            assertEquals(SampleApp.PERSISTENT_VOLUME_CLAIM, snapshot.get("persistentVolumeClaim"));
            assertEquals(SampleApp.CSI_DRIVER, snapshot.get("driver"));
            assertTrue(snapshot.get("snapshotHandle").toString().startsWith("snap-" + SampleApp.VOLUME_HANDLE), snapshot.toString());
            assertEquals("lifeboat-disks.demo.data", snapshot.get("volumeSnapshotName"));
            Location location = locations.get("shop-f", "store");
            try (ObjectStore store = stores.open(location);
                 InputStream in = new java.util.zip.GZIPInputStream(store.download(
                         Layout.backupObject(location.prefix(), "disks", BackupFile.LIFEBOAT_CSI_SNAPSHOTS)))) {
                JsonNode recorded = JSON.readTree(in);
                assertEquals(snapshot.get("snapshotHandle"), recorded.get(0).path("snapshotHandle").asText());
            }

            controller.pause(true);
            ApiRecord slow = backUp("shop-f", """
                    {"name":"slow-disks","cluster":"boutique","location":"store","includeDisks":true,"namespaces":["demo"]}""");
            assertEquals("PartiallyFailed", slow.phase(), slow.toString());
            assertTrue(slow.status("firstErrors").toString().contains("not ready within 3 s"), slow.toString());
            List<Map<String, Object>> late = given().get("/v1/projects/shop-f/backups/slow-disks").then().statusCode(200)
                    .extract().jsonPath().getList("status.volumeSnapshots");
            assertEquals("lifeboat-slow-disks.demo.data", late.get(0).get("volumeSnapshotName"), "recorded, to be deleted");
        }
    }

    /** A VolumeSnapshot of the name the backup would use, but not created by it, is never adopted nor deleted. */
    @Test
    void aVolumeSnapshotThisBackupDidNotCreateIsNotAdopted() throws Exception {
        register("shop-k", scratch);
        String name = io.lifeboat.snapshot.SnapshotNames.of("adopt", SampleApp.NAMESPACE, SampleApp.PERSISTENT_VOLUME_CLAIM);
        KubernetesClient client = scratch.client();
        var snapshots = client.genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshot")
                .inNamespace(SampleApp.NAMESPACE);
        snapshots.resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("snapshot.storage.k8s.io/v1").withKind("VolumeSnapshot")
                .withNewMetadata().withName(name).withNamespace(SampleApp.NAMESPACE)
                .withLabels(Map.of("made-by", "a-person")).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("volumeSnapshotClassName", SampleApp.SNAPSHOT_CLASS,
                        "source", Map.of("persistentVolumeClaimName", SampleApp.PERSISTENT_VOLUME_CLAIM))))
                .build()).create();
        String before = snapshots.withName(name).get().getMetadata().getResourceVersion();

        ApiRecord done = backUp("shop-k", """
                {"name":"adopt","cluster":"boutique","location":"store","includeDisks":true,"namespaces":["demo"]}""");
        assertEquals("PartiallyFailed", done.phase(), done.toString());
        assertTrue(done.status("firstErrors").toString().contains("already exists and was not created by this backup"),
                done.toString());
        List<Map<String, Object>> recorded = given().get("/v1/projects/shop-k/backups/adopt").then().statusCode(200)
                .extract().jsonPath().getList("status.volumeSnapshots");
        assertEquals(1, recorded.size(), recorded.toString());
        assertEquals(null, recorded.get(0).get("volumeSnapshotName"), "not recorded as the backup's own");

        given().delete("/v1/projects/shop-k/backups/adopt").then().statusCode(204);
        GenericKubernetesResource after = snapshots.withName(name).get();
        assertEquals(before, after.getMetadata().getResourceVersion(), "the foreign snapshot is untouched");
    }

    @Test
    void claimsWithoutACsiDriverOrSnapshotClassMakeTheBackupPartiallyFailed() throws Exception {
        register("shop-g", scratch);
        KubernetesClient client = scratch.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("legacy").endMetadata().build()).create();
        client.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
                .withNewMetadata().withName("pv-hostpath").endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                .withNewHostPath().withPath("/data").endHostPath().endSpec().build()).create();
        client.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
                .withNewMetadata().withName("pv-other-driver").endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                .withNewCsi().withDriver("other.csi.example.com").withVolumeHandle("v-1").endCsi().endSpec().build()).create();
        for (String[] claim : new String[][]{{"old-data", "pv-hostpath"}, {"other-data", "pv-other-driver"}}) {
            client.persistentVolumeClaims().inNamespace("legacy").resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(claim[0]).withNamespace("legacy").endMetadata()
                    .withNewSpec().withVolumeName(claim[1]).endSpec().build()).create();
        }
        ApiRecord done = backUp("shop-g", """
                {"name":"legacy-disks","cluster":"boutique","location":"store","includeDisks":true,"namespaces":["legacy"]}""");
        assertEquals("PartiallyFailed", done.phase(), done.toString());
        assertEquals(2, done.status("errors"));
        String errors = done.status("firstErrors").toString();
        assertTrue(errors.contains("old-data") && errors.contains("not provisioned by a CSI driver"), errors);
        assertTrue(errors.contains("other-data") && errors.contains("no VolumeSnapshotClass for driver other.csi.example.com"), errors);
    }

    @Test
    void aClusterThatRefusesTheCredentialsFailsTheBackupAndLeavesNothing() throws Exception {
        register("shop-h");
        try (SandboxCluster locked = SandboxCluster.builder().name("locked").start()) {
            String wrongToken = locked.kubeconfigYaml().replace(locked.token(), "not-the-token");
            ApiFixtures.addCluster("shop-h", "locked", wrongToken).body("status.health", equalTo("Unreachable"))
                    .body("status.message", org.hamcrest.Matchers.containsString("401"));
            ApiRecord done = backUp("shop-h", "{\"name\":\"refused\",\"cluster\":\"locked\",\"location\":\"store\"}");
            assertEquals("Failed", done.phase(), done.toString());
            assertTrue(done.status("firstErrors").toString().contains("refused the credentials"), done.toString());
            Location location = locations.get("shop-h", "store");
            try (ObjectStore store = stores.open(location)) {
                assertTrue(store.list(Layout.backupFolder(location.prefix(), "refused")).isEmpty());
            }
        }
    }

    @Test
    void anExpiredBackupIsSweptAndADeletedOneGoesAtOnce() throws Exception {
        register("shop-j");
        String soon = java.time.Instant.now().plusSeconds(2).toString();
        backUp("shop-j", "{\"name\":\"short-lived\",\"cluster\":\"boutique\",\"location\":\"store\",\"expiresAt\":\"" + soon + "\"}");
        backUp("shop-j", "{\"name\":\"kept\",\"cluster\":\"boutique\",\"location\":\"store\"}");
        backUp("shop-j", "{\"name\":\"unwanted\",\"cluster\":\"boutique\",\"location\":\"store\"}");
        Location location = locations.get("shop-j", "store");
        Thread.sleep(Math.max(0, java.time.Duration.between(java.time.Instant.now(), java.time.Instant.parse(soon)).toMillis()) + 100); // the backups may take longer than 2 s
        var swept = sweep.sweepExpired(Map.of());
        assertTrue(swept.deleted().contains("shop-j/short-lived"), swept.toString());
        given().get("/v1/projects/shop-j/backups/short-lived").then().statusCode(404);
        given().get("/v1/projects/shop-j/backups/kept").then().statusCode(200).body("status.phase", equalTo("Completed"));
        try (ObjectStore store = stores.open(location)) {
            assertTrue(store.list(Layout.backupFolder(location.prefix(), "short-lived")).isEmpty());
            assertFalse(store.list(Layout.backupFolder(location.prefix(), "kept")).isEmpty());
        }
        given().delete("/v1/projects/shop-j/backups/unwanted").then().statusCode(204);
        given().get("/v1/projects/shop-j/backups/unwanted").then().statusCode(404);
        try (ObjectStore store = stores.open(location)) {
            assertTrue(store.list(Layout.backupFolder(location.prefix(), "unwanted")).isEmpty());
        }
        given().delete("/v1/projects/shop-j/backups/unwanted").then().statusCode(404);
    }
}
