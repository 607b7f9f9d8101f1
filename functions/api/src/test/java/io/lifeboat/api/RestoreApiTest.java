package io.lifeboat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Restores through the API: the Online Boutique and the sample application from cluster A into an empty cluster B. */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class RestoreApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static SandboxCluster source;
    static SandboxCluster empty;
    @jakarta.inject.Inject
    io.lifeboat.backup.BackupRepository backupRecords;

    @BeforeAll
    static void start() throws Exception {
        source = SandboxCluster.builder().name("cluster-a").start();
        KubernetesClient client = source.client();
        SampleApp.install(client);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("lifeboat.fixtures"), "online-boutique.yaml"))) {
            for (HasMetadata item : client.load(in).items()) {
                item.getMetadata().setNamespace("shop");
                client.resource(item).create();
            }
        }
        empty = SandboxCluster.builder().name("cluster-b").start();
    }

    static boolean registered;

    /** The location, both clusters and a backup of A, through the API (which runs once the test instance exists). */
    @org.junit.jupiter.api.BeforeEach
    void register() throws Exception {
        if (registered) {
            return;
        }
        registered = true;
        ApiFixtures.addLocalLocation("fleet", "store", "restores-test");
        for (SandboxCluster cluster : List.of(source, empty)) {
            ApiFixtures.addCluster("fleet", cluster.name(), cluster.kubeconfigYaml());
        }
        given().contentType(ContentType.JSON).body("{\"name\":\"full\",\"cluster\":\"cluster-a\",\"location\":\"store\"}")
                .post("/v1/projects/fleet/backups").then().statusCode(202);
        ApiRecord.awaitPhase("/v1/projects/fleet/backups/full");
    }

    @AfterAll
    static void stop() {
        source.close();
        empty.close();
    }

    /** What must be equal between the two clusters: everything but what servers own and the restore's labels. */
    static JsonNode normalised(GenericKubernetesResource object) throws Exception {
        ObjectNode node = ClusterContents.normalised((ObjectNode) JSON.readTree(Serialization.asJson(object)));
        if (node.path("kind").asText().equals("Service") && node.get("spec") instanceof ObjectNode spec) {
            spec.remove("clusterIP"); // documented exception: a restored service gets a new address
            spec.remove("clusterIPs");
            for (JsonNode port : spec.path("ports")) {
                ((ObjectNode) port).remove("nodePort"); // and new node ports, unless preserved
            }
        }
        if (node.path("kind").asText().equals("PersistentVolumeClaim") && node.get("spec") instanceof ObjectNode spec) {
            spec.remove("volumeName"); // its volume (reclaim policy Delete, no snapshot) is provisioned anew
        }
        return node;
    }

    @Test
    void aBackupOfAIsRestoredIntoAnEmptyBAndEveryObjectMatches() throws Exception {
        given().contentType(ContentType.JSON).body("{\"name\":\"to-b\",\"backup\":\"full\",\"targetCluster\":\"cluster-b\"}")
                .post("/v1/projects/fleet/restores").then().statusCode(202).body("status.phase", equalTo("New"));
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/fleet/restores/to-b");
        assertEquals("Completed", done.phase(), done.toString());
        @SuppressWarnings("unchecked")
        Map<String, Number> progress = (Map<String, Number>) done.status("progress");
        assertEquals(progress.get("totalItems"), progress.get("itemsRestored"));
        given().get("/v1/projects/fleet/restores?cluster=cluster-b").then().statusCode(200).body("items.name", hasItem("to-b"));
        assertTrue(given().get("/v1/projects/fleet/restores/to-b/logs").then().statusCode(200).extract().asString()
                .contains("created"));

        KubernetesClient a = source.client();
        KubernetesClient b = empty.client();
        int compared = 0;
        for (String[] type : new String[][]{{"apps/v1", "Deployment"}, {"v1", "Service"}, {"v1", "ServiceAccount"},
                {"v1", "ConfigMap"}, {"v1", "Secret"}, {"rbac.authorization.k8s.io/v1", "Role"},
                {"rbac.authorization.k8s.io/v1", "RoleBinding"}, {"v1", "PersistentVolumeClaim"},
                {"demo.lifeboat.io/v1", "Widget"}}) {
            for (GenericKubernetesResource original : a.genericKubernetesResources(type[0], type[1]).inAnyNamespace().list().getItems()) {
                if (!List.of("shop", "demo").contains(original.getMetadata().getNamespace())) {
                    continue; // other tests restore copies into A; the backup holds these two
                }
                GenericKubernetesResource restored = b.genericKubernetesResources(type[0], type[1])
                        .inNamespace(original.getMetadata().getNamespace()).withName(original.getMetadata().getName()).get();
                assertNotNull(restored, type[1] + " " + original.getMetadata().getName() + " was restored");
                assertEquals(normalised(original), normalised(restored), type[1] + " " + original.getMetadata().getName());
                assertEquals("to-b", restored.getMetadata().getLabels().get("velero.io/restore-name"));
                compared++;
            }
        }
        assertTrue(compared >= 35 + 10, compared + " objects compared");
        assertNotNull(b.apiextensions().v1().customResourceDefinitions().withName(SampleApp.WIDGET_CRD).get());
        assertNotNull(b.storage().v1().storageClasses().withName("gp2").get());
        assertNotNull(b.namespaces().withName("shop").get());
    }

    @Test
    void namespaceMappingSingleResourcesAndExistingObjects() throws Exception {
        given().contentType(ContentType.JSON).body("""
                {"name":"one","backup":"full","targetCluster":"cluster-a","includeClusterResources":false,
                 "namespaces":["shop"],"namespaceMapping":{"shop":"shop-copy"},
                 "resources":["namespaces/shop","deployments.apps/shop/frontend"]}""")
                .post("/v1/projects/fleet/restores").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/fleet/restores/one");
        assertEquals("Completed", done.phase(), done.toString());
        KubernetesClient a = source.client();
        assertNotNull(a.apps().deployments().inNamespace("shop-copy").withName("frontend").get());
        assertTrue(a.apps().deployments().inNamespace("shop-copy").list().getItems().size() == 1);
        assertTrue(a.services().inNamespace("shop-copy").list().getItems().isEmpty());

        // into the same cluster again: everything exists and is identical, so nothing is created or warned about
        given().contentType(ContentType.JSON).body("{\"name\":\"same\",\"backup\":\"full\",\"targetCluster\":\"cluster-a\",\"namespaces\":[\"demo\"]}")
                .post("/v1/projects/fleet/restores").then().statusCode(202);
        ApiRecord same = ApiRecord.awaitPhase("/v1/projects/fleet/restores/same");
        @SuppressWarnings("unchecked")
        Map<String, Number> counts = (Map<String, Number>) same.status("counts");
        assertEquals(0, counts.get("created").intValue(), same.toString());
        assertTrue(counts.get("skipped").intValue() > 0, same.toString());
    }

    /** A restore's counts and first messages are on its record; every message is in its results file, read through the API. */
    @Test
    void theResultsFileHoldsTheWarningsTheRecordCounts() throws Exception {
        String body = "{\"name\":\"%s\",\"backup\":\"full\",\"targetCluster\":\"cluster-a\",\"namespaces\":[\"demo\"],"
                + "\"namespaceMapping\":{\"demo\":\"demo-results\"},\"includeClusterResources\":false}";
        given().contentType(ContentType.JSON).body(body.formatted("results-first")).post("/v1/projects/fleet/restores")
                .then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/fleet/restores/results-first").phase());
        source.client().configMaps().inNamespace("demo-results").withName("web-config")
                .edit(cm -> { cm.getData().put("changed", "yes"); return cm; });
        given().contentType(ContentType.JSON).body(body.formatted("results-again")).post("/v1/projects/fleet/restores")
                .then().statusCode(202);
        ApiRecord again = ApiRecord.awaitPhase("/v1/projects/fleet/restores/results-again");
        assertEquals("Completed", again.phase(), again.toString());
        assertEquals(1, again.status("warnings"), again.toString());
        String message = given().get("/v1/projects/fleet/restores/results-again").then().statusCode(200)
                .extract().jsonPath().getString("status.results.warnings.namespaces.demo-results[0]");
        assertTrue(message.contains("configmaps demo-results/web-config already exists and differs"), message);
        given().get("/v1/projects/fleet/restores/results-again/results").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("warnings.namespaces.demo-results", equalTo(List.of(message)))
                .body("errors.velero", equalTo(List.of()));
        given().get("/v1/projects/fleet/backups/full/results").then().statusCode(200).contentType(ContentType.JSON)
                .body("errors.velero", equalTo(List.of()));
        given().get("/v1/projects/fleet/restores/nope/results").then().statusCode(404);
    }

    @Test
    void badRequests() {
        String base = "/v1/projects/fleet/restores";
        given().contentType(ContentType.JSON).body("{\"backup\":\"nope\",\"targetCluster\":\"cluster-b\"}").post(base)
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"backup\":\"full\",\"targetCluster\":\"nope\"}").post(base)
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"backup\":\"full\",\"targetCluster\":\"cluster-b\",\"namespaceMapping\":{\"shop\":\"Not_Valid\"}}")
                .post(base).then().statusCode(400).body("error.field", equalTo("namespaceMapping.shop"));
        given().contentType(ContentType.JSON).body("{\"backup\":\"full\",\"targetCluster\":\"cluster-b\",\"existingResourcePolicy\":\"merge\"}")
                .post(base).then().statusCode(400).body("error.field", equalTo("existingResourcePolicy"));
        given().contentType(ContentType.JSON).body("{\"backup\":\"full\",\"targetCluster\":\"cluster-b\",\"labelSelector\":\"app in (a)\"}")
                .post(base).then().statusCode(400).body("error.field", equalTo("labelSelector"));
        given().contentType(ContentType.JSON).body("{\"backup\":\"full\",\"targetCluster\":\"cluster-b\",\"resources\":[\"../x\"]}")
                .post(base).then().statusCode(400).body("error.field", equalTo("resources[0]"));
    }

    @Test
    void aMappedStorageClassTheTargetLacksFailsBeforeAnythingIsCreated() throws Exception {
        given().contentType(ContentType.JSON).body("""
                {"name":"no-class","backup":"full","targetCluster":"cluster-b","storageClassMapping":{"gp2":"standard"},
                 "namespaces":["nothing-here"]}""").post("/v1/projects/fleet/restores").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/fleet/restores/no-class");
        assertEquals("Failed", done.phase());
        assertTrue(done.status("results").toString().contains("storage class standard"), done.toString());
        assertFalse(done.status("results").toString().isEmpty());
    }

    /** A backup with disks, restored with restorePVs: the claim is provisioned from a snapshot pre-bound to its handle. */
    @Test
    void restorePVsRestoresTheClaimFromItsCsiSnapshot() throws Exception {
        try (KubernetesClient client = source.newClient();
             io.lifeboat.sandbox.kube.SnapshotController controller = io.lifeboat.sandbox.kube.SnapshotController.start(client)) {
            given().contentType(ContentType.JSON).body("""
                    {"name":"disks","cluster":"cluster-a","location":"store","includeDisks":true,"namespaces":["demo"]}""")
                    .post("/v1/projects/fleet/backups").then().statusCode(202);
            assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/fleet/backups/disks").phase());
        }
        given().contentType(ContentType.JSON).body("""
                {"name":"pvs","backup":"disks","targetCluster":"cluster-b","restorePVs":true,"namespaces":["demo"],
                 "namespaceMapping":{"demo":"demo-pvs"}}""").post("/v1/projects/fleet/restores").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/fleet/restores/pvs");
        assertEquals("Completed", done.phase(), done.toString());
        KubernetesClient b = empty.client();
        String name = io.lifeboat.snapshot.SnapshotNames.of("pvs", "demo-pvs", SampleApp.PERSISTENT_VOLUME_CLAIM);
        GenericKubernetesResource content = b.genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshotContent")
                .withName(name).get();
        assertNotNull(content);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) content.getAdditionalProperties().get("spec");
        assertTrue(spec.get("source").toString().contains("snap-" + SampleApp.VOLUME_HANDLE), spec.toString());
        assertNotNull(b.genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshot").inNamespace("demo-pvs")
                .withName(name).get());
        var claim = b.persistentVolumeClaims().inNamespace("demo-pvs").withName(SampleApp.PERSISTENT_VOLUME_CLAIM).get();
        assertEquals(name, claim.getSpec().getDataSource().getName());
        assertEquals(null, claim.getSpec().getVolumeName());
    }

    /** Claims called data in two namespaces, backed up with their disks and restored side by side into B. */
    @Test
    void claimsOfTheSameNameInTwoNamespacesAreRestoredSideBySide() throws Exception {
        KubernetesClient a = source.client();
        a.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("demo-two").endMetadata().build()).create();
        a.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
                .withNewMetadata().withName("pv-two-data").endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                .withAccessModes("ReadWriteOnce").withPersistentVolumeReclaimPolicy("Delete")
                .withStorageClassName("gp2")
                .withNewCsi().withDriver(SampleApp.CSI_DRIVER).withVolumeHandle("vol-two").endCsi()
                .withNewClaimRef().withKind("PersistentVolumeClaim").withNamespace("demo-two")
                .withName(SampleApp.PERSISTENT_VOLUME_CLAIM).endClaimRef().endSpec().build()).create();
        a.persistentVolumeClaims().inNamespace("demo-two").resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(SampleApp.PERSISTENT_VOLUME_CLAIM).withNamespace("demo-two").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("gp2").withVolumeName("pv-two-data")
                .withNewResources().withRequests(Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                .endResources().endSpec().build()).create();
        try (KubernetesClient client = source.newClient();
             io.lifeboat.sandbox.kube.SnapshotController controller = io.lifeboat.sandbox.kube.SnapshotController.start(client)) {
            given().contentType(ContentType.JSON).body("""
                    {"name":"two-disks","cluster":"cluster-a","location":"store","includeDisks":true,
                     "namespaces":["demo","demo-two"]}""").post("/v1/projects/fleet/backups").then().statusCode(202);
            ApiRecord backup = ApiRecord.awaitPhase("/v1/projects/fleet/backups/two-disks");
            assertEquals("Completed", backup.phase(), backup.toString());
        }
        given().contentType(ContentType.JSON).body("""
                {"name":"side","backup":"two-disks","targetCluster":"cluster-b","restorePVs":true,
                 "namespaces":["demo","demo-two"],"namespaceMapping":{"demo":"side-one","demo-two":"side-two"}}""")
                .post("/v1/projects/fleet/restores").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/fleet/restores/side");
        assertEquals("Completed", done.phase(), done.toString());

        KubernetesClient b = empty.client();
        java.util.Set<String> handles = new java.util.HashSet<>();
        for (String[] side : new String[][]{{"side-one", SampleApp.VOLUME_HANDLE}, {"side-two", "vol-two"}}) {
            String name = io.lifeboat.snapshot.SnapshotNames.of("side", side[0], SampleApp.PERSISTENT_VOLUME_CLAIM);
            GenericKubernetesResource content = b.genericKubernetesResources("snapshot.storage.k8s.io/v1",
                    "VolumeSnapshotContent").withName(name).get();
            assertNotNull(content, name);
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) content.getAdditionalProperties().get("spec");
            String handle = ((Map<?, ?>) spec.get("source")).get("snapshotHandle").toString();
            assertTrue(handle.startsWith("snap-" + side[1] + "-"), handle);
            handles.add(handle);
            assertEquals(side[0], ((Map<?, ?>) spec.get("volumeSnapshotRef")).get("namespace"));
            assertNotNull(b.genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshot").inNamespace(side[0])
                    .withName(name).get());
            var claim = b.persistentVolumeClaims().inNamespace(side[0]).withName(SampleApp.PERSISTENT_VOLUME_CLAIM).get();
            assertEquals(name, claim.getSpec().getDataSource().getName(), side[0]);
        }
        assertEquals(2, handles.size(), "each claim comes from its own snapshot");
        String log = given().get("/v1/projects/fleet/restores/side/logs").then().statusCode(200).extract().asString();
        assertTrue(log.contains("persistentvolume pv-two-data not restored: its claim is provisioned anew from its snapshot"), log);
        assertTrue(log.contains("claim demo-two/data is provisioned anew from VolumeSnapshot"), log);
    }

    /** A volume without a snapshot whose reclaim policy is Retain comes back as it was, and its claim binds to it. */
    @Test
    void aRetainedVolumeWithoutSnapshotIsRestoredAndItsClaimKeepsIt() throws Exception {
        KubernetesClient a = source.client();
        a.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("kept").endMetadata().build()).create();
        a.persistentVolumeClaims().inNamespace("kept").resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("disk").withNamespace("kept")
                .withAnnotations(Map.of("pv.kubernetes.io/bind-completed", "yes")).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("gp2").withVolumeName("pv-kept")
                .withNewResources().withRequests(Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                .endResources().endSpec().build()).create();
        String claimUid = a.persistentVolumeClaims().inNamespace("kept").withName("disk").get().getMetadata().getUid();
        a.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
                .withNewMetadata().withName("pv-kept").withAnnotations(Map.of("pv.kubernetes.io/bound-by-controller", "yes"))
                .endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
                .withAccessModes("ReadWriteOnce").withPersistentVolumeReclaimPolicy("Retain").withStorageClassName("gp2")
                .withNewCsi().withDriver(SampleApp.CSI_DRIVER).withVolumeHandle("vol-kept").endCsi()
                .withNewClaimRef().withKind("PersistentVolumeClaim").withNamespace("kept").withName("disk")
                .withUid(claimUid).withResourceVersion("7").endClaimRef().endSpec().build()).create();
        given().contentType(ContentType.JSON).body("""
                {"name":"retained","cluster":"cluster-a","location":"store","namespaces":["kept"]}""")
                .post("/v1/projects/fleet/backups").then().statusCode(202);
        assertEquals("Completed", ApiRecord.awaitPhase("/v1/projects/fleet/backups/retained").phase());
        given().contentType(ContentType.JSON).body("""
                {"name":"retained-back","backup":"retained","targetCluster":"cluster-b"}""")
                .post("/v1/projects/fleet/restores").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/fleet/restores/retained-back");
        assertEquals("Completed", done.phase(), done.toString());

        KubernetesClient b = empty.client();
        var volume = b.persistentVolumes().withName("pv-kept").get();
        assertNotNull(volume, "restored as it was");
        assertEquals("vol-kept", volume.getSpec().getCsi().getVolumeHandle());
        assertEquals("disk", volume.getSpec().getClaimRef().getName());
        assertEquals("kept", volume.getSpec().getClaimRef().getNamespace());
        assertEquals(null, volume.getSpec().getClaimRef().getUid(), "the old claim's uid is gone");
        assertEquals(null, volume.getSpec().getClaimRef().getResourceVersion());
        assertFalse(volume.getMetadata().getAnnotations() != null
                && volume.getMetadata().getAnnotations().containsKey("pv.kubernetes.io/bound-by-controller"));
        var claim = b.persistentVolumeClaims().inNamespace("kept").withName("disk").get();
        assertEquals("pv-kept", claim.getSpec().getVolumeName(), "binds again to the same disk");
        assertFalse(claim.getMetadata().getAnnotations() != null
                && claim.getMetadata().getAnnotations().containsKey("pv.kubernetes.io/bind-completed"));
        String log = given().get("/v1/projects/fleet/restores/retained-back/logs").then().statusCode(200).extract().asString();
        assertTrue(log.contains("persistentvolume pv-kept restored as it was"), log);
        assertTrue(log.contains("claim kept/disk keeps volumeName pv-kept"), log);
    }

    @Test
    void anUnfinishedBackupCannotBeRestoredAndAnUnreachableTargetFails() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String gone = empty.kubeconfigYaml().replace(empty.url(), "https://127.0.0.1:" + closed);
        ApiFixtures.addCluster("fleet", "gone", gone);
        given().contentType(ContentType.JSON).body("{\"name\":\"failed\",\"cluster\":\"gone\",\"location\":\"store\"}")
                .post("/v1/projects/fleet/backups").then().statusCode(202);
        assertEquals("Failed", ApiRecord.awaitPhase("/v1/projects/fleet/backups/failed").phase());
        given().contentType(ContentType.JSON).body("{\"backup\":\"failed\",\"targetCluster\":\"cluster-b\"}")
                .post("/v1/projects/fleet/restores").then().statusCode(409).body("error.field", equalTo("backup"));

        given().contentType(ContentType.JSON).body("{\"name\":\"nowhere\",\"backup\":\"full\",\"targetCluster\":\"gone\"}")
                .post("/v1/projects/fleet/restores").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/fleet/restores/nowhere");
        assertEquals("Failed", done.phase());
        assertTrue(done.status("results").toString().contains("could not be reached"), done.toString());
    }

    /**
     * The attack of issue 11 end to end: whoever can write to the bucket crafts an archive holding a cluster-admin
     * ClusterRoleBinding filed under a namespace's folder, with that namespace in its metadata. The record carries the
     * crafted archive's own SHA-256, as a backup of a hostile source cluster (or one Velero wrote) would. A
     * namespace-only restore must not create it, and never sends the target a request for that type.
     */
    @Test
    void aCraftedClusterRoleBindingUnderANamespaceIsNeverCreated() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(out))) {
            Map<String, String> entries = new java.util.LinkedHashMap<>();
            entries.put("metadata/version", "1.1.0\n");
            entries.put("resources/namespaces/cluster/crafted-shop.json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"crafted-shop\"}}");
            entries.put("resources/configmaps/namespaces/crafted-shop/settings.json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                    + "\"metadata\":{\"name\":\"settings\",\"namespace\":\"crafted-shop\"},\"data\":{\"k\":\"v\"}}");
            entries.put("resources/clusterrolebindings.rbac.authorization.k8s.io/namespaces/crafted-shop/evil.json",
                    "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"evil\","
                            + "\"namespace\":\"crafted-shop\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                            + "\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"},\"subjects\":[{\"kind\":\"Group\","
                            + "\"name\":\"system:serviceaccounts:crafted-shop\"}]}");
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                byte[] bytes = entry.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                org.apache.commons.compress.archivers.tar.TarArchiveEntry header =
                        new org.apache.commons.compress.archivers.tar.TarArchiveEntry(entry.getKey(), true);
                header.setSize(bytes.length);
                header.setMode(0755);
                tar.putArchiveEntry(header);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        byte[] tarball = out.toByteArray();
        String key = io.lifeboat.archive.Layout.backupObject("restores-test", "crafted", io.lifeboat.archive.Layout.BackupFile.TARBALL);
        try (software.amazon.awssdk.services.s3.S3Client s3 = software.amazon.awssdk.services.s3.S3Client.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(java.net.URI.create(LocalServers.s3.url()))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(LocalServers.s3.accessKey(),
                                LocalServers.s3.secretKey())))
                .build()) {
            s3.putObject(r -> r.bucket("backups").key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(tarball));
        }
        Instant now = Instant.now();
        backupRecords.create(io.lifeboat.backup.Backup.requested("fleet", "crafted", "cluster-a", "store",
                List.of("crafted-shop"), false, false, now, now.plusSeconds(3600)));
        assertTrue(backupRecords.claim("fleet", "crafted", now));
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(tarball));
        backupRecords.finish("fleet", "crafted", new io.lifeboat.backup.Backup.Outcome(io.lifeboat.backup.Backup.Phase.Completed,
                new io.lifeboat.backup.Backup.Progress(3, 3), now, tarball.length, sha256, 0, 0, List.of(), List.of(), List.of()));

        empty.faults().resetCounts();
        given().contentType(ContentType.JSON).body("""
                {"name":"crafted-back","backup":"crafted","targetCluster":"cluster-b","namespaces":["crafted-shop"],
                 "includeClusterResources":false}""").post("/v1/projects/fleet/restores").then().statusCode(202);
        ApiRecord done = ApiRecord.awaitPhase("/v1/projects/fleet/restores/crafted-back");
        assertEquals("PartiallyFailed", done.phase(), done.toString());
        assertEquals(1, done.status("errors"), done.toString());
        assertTrue(done.status("results").toString().contains("clusterrolebindings.rbac.authorization.k8s.io "
                + "'namespaces/crafted-shop/evil' is not restored: it is archived under a namespace, but the target cluster "
                + "serves clusterrolebindings.rbac.authorization.k8s.io as cluster-scoped"), done.toString());
        Map<String, Long> paths = empty.faults().requestCounts();
        assertTrue(paths.keySet().stream().noneMatch(p -> p.contains("clusterrolebindings")),
                "no request for the type at all: " + paths);
        KubernetesClient b = empty.client();
        assertEquals(null, b.rbac().clusterRoleBindings().withName("evil").get());
        assertNotNull(b.configMaps().inNamespace("crafted-shop").withName("settings").get(), "the rest is restored");
    }
}
