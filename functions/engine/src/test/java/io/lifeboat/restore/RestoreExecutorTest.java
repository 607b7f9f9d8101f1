package io.lifeboat.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Restores of archives the backup executor wrote, into an in-memory cluster. */
class RestoreExecutorTest {
    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession source = new InMemoryClusterSession();
    final InMemoryClusterSession target = new InMemoryClusterSession();
    RestoreExecutor executor;

    @BeforeEach
    void setUp() {
        source.type("", "v1", "namespaces", "Namespace", false)
                .type("", "v1", "configmaps", "ConfigMap", true)
                .type("", "v1", "services", "Service", true)
                .type("apps", "v1", "deployments", "Deployment", true)
                .type("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false)
                .type("demo.lifeboat.io", "v1", "widgets", "Widget", true);
        source.add("namespaces", null, "shop");
        source.add("configmaps", "shop", "settings").putObject("data").put("color", "blue");
        ObjectNode service = source.add("services", "shop", "web");
        service.putObject("spec").put("clusterIP", "10.0.0.9").putArray("ports").addObject().put("port", 80).put("nodePort", 30080);
        source.add("deployments.apps", "shop", "web");
        source.add("customresourcedefinitions.apiextensions.k8s.io", null, "widgets.demo.lifeboat.io");
        source.add("widgets.demo.lifeboat.io", "shop", "w1");

        target.serve("", "v1", "namespaces", "Namespace", false).serve("", "v1", "configmaps", "ConfigMap", true)
                .serve("", "v1", "services", "Service", true).serve("apps", "v1", "deployments", "Deployment", true)
                .serve("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false)
                .definedBy("widgets.demo.lifeboat.io", "v1", "Widget", true);

        clusters.create(new Cluster("p", "a", "kubeconfig-a", null, "https://a", ClusterStatus.unknown(), clock.instant()));
        clusters.create(new Cluster("p", "b", "kubeconfig-b", null, "https://b", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "bucket", "", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        backups.create(Backup.requested("p", "nightly", "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600)));
        Backup done = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock,
                new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(1))).run("p", "nightly");
        assertEquals(Backup.Phase.Completed, done.phase());
        executor = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> target, l -> store, clock,
                Duration.ofSeconds(1));
    }

    Restore restore(String name, Restore.Request request) {
        restores.create(Restore.requested("p", name, "nightly", "b", request, clock.instant()));
        return executor.run("p", name);
    }

    static Restore.Request request(String policy, Map<String, String> storageClasses) {
        return new Restore.Request(true, false, false, List.of(), Map.of(), storageClasses, ExistingResourcePolicy.valueOf(policy), Map.of(), List.of());
    }

    @Test
    void everythingComesBackInOrderCleanedAndLabelled() {
        Restore done = restore("r1", request("none", Map.of()));
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        assertEquals(new Restore.Counts(6, 0, 0), done.counts());
        assertEquals(new Restore.Progress(6, 6), done.progress());
        List<String> order = target.createdInOrder();
        assertEquals("customresourcedefinitions.apiextensions.k8s.io/widgets.demo.lifeboat.io", order.get(0));
        assertEquals("namespaces/shop", order.get(1));
        assertTrue(order.indexOf("configmaps/shop/settings") < order.indexOf("services/shop/web"));
        assertTrue(order.indexOf("widgets.demo.lifeboat.io/shop/w1") > order.indexOf("services/shop/web"),
                "custom resources after their CRD and after the high priorities");
        ObjectNode cm = target.objects().get("configmaps/shop/settings");
        assertFalse(cm.path("metadata").has("uid"));
        assertFalse(cm.path("metadata").has("resourceVersion"));
        assertEquals("r1", cm.path("metadata").path("labels").path(ItemRules.RESTORE_LABEL).asText());
        assertFalse(target.objects().get("services/shop/web").path("spec").has("clusterIP"));
        assertTrue(store.objects().containsKey(Layout.restoreObject("", "r1", Layout.RestoreFile.RESULTS)));
        assertTrue(store.objects().containsKey(Layout.restoreObject("", "r1", Layout.RestoreFile.LOGS)));
    }

    @Test
    void existingObjectsAreSkippedWhenEqualWarnedWithNoneAndUpdatedWithUpdate() {
        restore("first", request("none", Map.of()));
        Restore again = restore("again", request("none", Map.of()));
        assertEquals(new Restore.Counts(0, 0, 6), again.counts(), "identical objects are skipped silently");
        assertEquals(0, again.warnings());

        ObjectNode changed = target.objects().get("configmaps/shop/settings");
        ((ObjectNode) changed.get("data")).put("color", "red");
        Restore kept = restore("kept", request("none", Map.of()));
        assertEquals(1, kept.warnings());
        assertEquals("red", target.objects().get("configmaps/shop/settings").path("data").path("color").asText());
        Restore updated = restore("updated", request("update", Map.of()));
        assertEquals(1, updated.counts().updated());
        assertEquals("blue", target.objects().get("configmaps/shop/settings").path("data").path("color").asText());
    }

    @Test
    void oneRefusedObjectIsAnErrorAndTheRestGoesOn() {
        target.refuse("deployments.apps", "shop", "web");
        Restore done = restore("partial", request("none", Map.of()));
        assertEquals(Restore.Phase.PartiallyFailed, done.phase());
        assertEquals(1, done.errors());
        assertEquals(5, done.counts().created());
    }

    @Test
    void aMissingMappedStorageClassFailsBeforeAnythingIsCreated() {
        Restore done = restore("no-class", request("none", Map.of("gp2", "standard")));
        assertEquals(Restore.Phase.Failed, done.phase());
        assertTrue(done.results().toString().contains("storage class standard"), done.results().toString());
        assertTrue(target.createdInOrder().isEmpty());
        target.addStorageClass("standard");
        assertEquals(Restore.Phase.Completed, restore("with-class", request("none", Map.of("gp2", "standard"))).phase());
    }

    @Test
    void aTamperedArchiveIsRefusedAndNothingIsApplied() {
        String key = Layout.backupObject("", "nightly", Layout.BackupFile.TARBALL);
        byte[] tampered = store.objects().get(key).clone();
        tampered[tampered.length / 2] ^= 0x20;
        store.objects().put(key, tampered);
        Restore done = restore("tampered", request("none", Map.of()));
        assertEquals(Restore.Phase.Failed, done.phase());
        assertTrue(done.results().toString().contains("nothing was applied"), done.results().toString());
        assertTrue(target.createdInOrder().isEmpty());
    }

    @Test
    void aSecondDeliveryDoesNothing() {
        restore("once", request("none", Map.of()));
        int created = target.createdInOrder().size();
        assertEquals(Restore.Phase.Completed, executor.run("p", "once").phase());
        assertEquals(created, target.createdInOrder().size());
    }

    @Test
    void aTypeTheTargetDoesNotServeIsAnErrorForItsItems() {
        InMemoryClusterSession bare = new InMemoryClusterSession().serve("", "v1", "namespaces", "Namespace", false)
                .serve("", "v1", "configmaps", "ConfigMap", true).serve("", "v1", "services", "Service", true)
                .serve("apps", "v1", "deployments", "Deployment", true)
                .serve("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);
        executor = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> bare, l -> store, clock,
                Duration.ofMillis(10));
        Restore done = restore("no-widgets", request("none", Map.of()));
        assertEquals(Restore.Phase.PartiallyFailed, done.phase());
        assertTrue(done.results().toString().contains("does not serve widgets.demo.lifeboat.io"), done.results().toString());
        assertEquals(new Restore.Progress(6, 6), done.progress());
    }

    /** Two volumes and their claims in shop: pv-data (Delete) and pv-keep (Retain), and a backup of them. */
    Backup backupWithVolumes(String name, boolean includeDisks) {
        source.type("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true)
                .type("", "v1", "persistentvolumes", "PersistentVolume", false);
        for (String[] volume : new String[][]{{"data", "pv-data", "Delete"}, {"keep", "pv-keep", "Retain"}}) {
            ObjectNode claim = source.add("persistentvolumeclaims", "shop", volume[0]);
            claim.putObject("metadata").put("name", volume[0]).put("namespace", "shop")
                    .putObject("annotations").put("pv.kubernetes.io/bind-completed", "yes");
            claim.putObject("spec").put("volumeName", volume[1]).put("storageClassName", "gp2");
            ObjectNode spec = source.add("persistentvolumes", null, volume[1]).putObject("spec");
            spec.put("storageClassName", "gp2").put("persistentVolumeReclaimPolicy", volume[2]);
            spec.putObject("claimRef").put("kind", "PersistentVolumeClaim").put("namespace", "shop").put("name", volume[0])
                    .put("uid", "uid-" + volume[0]).put("resourceVersion", "12");
        }
        backups.create(Backup.requested("p", name, "a", "loc", List.of(), null, includeDisks, clock.instant(),
                clock.instant().plusSeconds(3600)));
        Backup backup = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock,
                new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(1))).run("p", name);
        target.serve("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true)
                .serve("", "v1", "persistentvolumes", "PersistentVolume", false)
                .serve("snapshot.storage.k8s.io", "v1", "volumesnapshots", "VolumeSnapshot", true)
                .serve("snapshot.storage.k8s.io", "v1", "volumesnapshotcontents", "VolumeSnapshotContent", false);
        return backup;
    }

    Restore restoreOf(String backup, String name, boolean restorePVs) {
        restores.create(Restore.requested("p", name, backup, "b",
                new Restore.Request(true, false, restorePVs, List.of(), Map.of(), Map.of(), ExistingResourcePolicy.none, Map.of(), List.of()),
                clock.instant()));
        return executor.run("p", name);
    }

    String restoreLog(String restore) throws Exception {
        byte[] gz = store.objects().get(Layout.restoreObject("", restore, Layout.RestoreFile.LOGS));
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Without snapshots: the Delete volume is provisioned anew, the Retain one restored as it was; the log says why. */
    @Test
    void volumesWithoutSnapshotsFollowTheirReclaimPolicy() throws Exception {
        backupWithVolumes("volumes", false);
        Restore done = restoreOf("volumes", "by-policy", false);
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());

        assertFalse(target.objects().containsKey("persistentvolumes/pv-data"), "Delete: provisioned anew, not restored");
        ObjectNode reset = target.objects().get("persistentvolumeclaims/shop/data");
        assertFalse(reset.path("spec").has("volumeName"), "reset for dynamic provisioning");

        ObjectNode kept = target.objects().get("persistentvolumes/pv-keep");
        assertEquals("Retain", kept.path("spec").path("persistentVolumeReclaimPolicy").asText());
        JsonNode claimRef = kept.path("spec").path("claimRef");
        assertEquals("keep", claimRef.path("name").asText());
        assertFalse(claimRef.has("uid"));
        assertFalse(claimRef.has("resourceVersion"));
        ObjectNode bound = target.objects().get("persistentvolumeclaims/shop/keep");
        assertEquals("pv-keep", bound.path("spec").path("volumeName").asText(), "binds again to the same disk");
        assertFalse(bound.path("metadata").path("annotations").has("pv.kubernetes.io/bind-completed"));
        List<String> order = target.createdInOrder();
        assertTrue(order.indexOf("persistentvolumes/pv-keep") < order.indexOf("persistentvolumeclaims/shop/keep"));

        String log = restoreLog("by-policy");
        assertTrue(log.contains("persistentvolume pv-data not restored: it has no snapshot and its reclaim policy is Delete"), log);
        assertTrue(log.contains("claim shop/data is reset for dynamic provisioning"), log);
        assertTrue(log.contains("persistentvolume pv-keep restored as it was"), log);
        assertTrue(log.contains("claim shop/keep keeps volumeName pv-keep"), log);
    }

    @Test
    void restorePVsProvisionsEachSnapshottedClaimFromItsSnapshot() throws Exception {
        Backup backup = backupWithVolumes("with-disks", true);
        assertEquals(2, backup.volumeSnapshots().size());

        Restore done = restoreOf("with-disks", "from-snap", true);
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        for (String claimName : List.of("data", "keep")) {
            String name = io.lifeboat.snapshot.SnapshotNames.of("from-snap", "shop", claimName);
            ObjectNode content = target.objects().get("volumesnapshotcontents.snapshot.storage.k8s.io/" + name);
            assertEquals("snap-pv-" + claimName, content.path("spec").path("source").path("snapshotHandle").asText());
            assertEquals("Retain", content.path("spec").path("deletionPolicy").asText());
            assertEquals(name, content.path("spec").path("volumeSnapshotRef").path("name").asText());
            ObjectNode snapshot = target.objects().get("volumesnapshots.snapshot.storage.k8s.io/shop/" + name);
            assertEquals(name, snapshot.path("spec").path("source").path("volumeSnapshotContentName").asText());
            ObjectNode claim = target.objects().get("persistentvolumeclaims/shop/" + claimName);
            assertEquals(name, claim.path("spec").path("dataSource").path("name").asText());
            assertFalse(claim.path("spec").has("volumeName"));
            assertFalse(target.objects().containsKey("persistentvolumes/pv-" + claimName),
                    "a snapshotted volume is provisioned anew, whatever its reclaim policy");
            List<String> order = target.createdInOrder();
            assertTrue(order.indexOf("volumesnapshots.snapshot.storage.k8s.io/shop/" + name)
                    < order.indexOf("persistentvolumeclaims/shop/" + claimName));
        }
        String log = restoreLog("from-snap");
        assertTrue(log.contains("persistentvolume pv-keep not restored: its claim is provisioned anew from its snapshot"), log);
        assertTrue(log.contains("claim shop/keep is provisioned anew from VolumeSnapshot"), log);

        // without restorePVs the snapshots are not used, and the claims get new, empty volumes
        Restore empty = restoreOf("with-disks", "no-pvs", false);
        assertEquals(Restore.Phase.Completed, empty.phase(), empty.results().toString());
        assertTrue(target.objects().keySet().stream().noneMatch(k -> k.contains("no-pvs")), target.objects().keySet().toString());
        assertTrue(restoreLog("no-pvs").contains("it has a snapshot, but restorePVs is off"));
    }

    /** An archive laid out by this test as Velero writes it (no checksum on record), restored like Lifeboat's own. */
    @Test
    void anArchiveInVelerosLayoutIsRestored() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
                     new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(out))) {
            ArchiveSpoolTest.entry(tar, "metadata/version", "1.1.0\n");
            String deployment = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"cart\","
                    + "\"namespace\":\"velero-shop\",\"uid\":\"abc\",\"resourceVersion\":\"77\"},\"spec\":{\"replicas\":2},"
                    + "\"status\":{\"replicas\":2}}";
            ArchiveSpoolTest.entry(tar, "resources/deployments.apps/namespaces/velero-shop/cart.json", deployment);
            ArchiveSpoolTest.entry(tar, "resources/deployments.apps/v1-preferredversion/namespaces/velero-shop/cart.json", deployment);
            String namespace = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"velero-shop\"}}";
            ArchiveSpoolTest.entry(tar, "resources/namespaces/cluster/velero-shop.json", namespace);
            ArchiveSpoolTest.entry(tar, "resources/namespaces/v1-preferredversion/cluster/velero-shop.json", namespace);
        }
        store.objects().put(Layout.backupObject("", "from-velero", Layout.BackupFile.TARBALL), out.toByteArray());
        Backup velero = new Backup("p", "from-velero", "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600), Backup.Phase.Completed, new Backup.Progress(2, 2), clock.instant(),
                clock.instant(), out.size(), null, 0, 0, List.of(), List.of());
        backups.create(velero);
        restores.create(Restore.requested("p", "velero-restore", "from-velero", "b", request("none", Map.of()), clock.instant()));
        Restore done = executor.run("p", "velero-restore");
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        assertEquals(new Restore.Counts(2, 0, 0), done.counts());
        ObjectNode cart = target.objects().get("deployments.apps/velero-shop/cart");
        assertEquals(2, cart.path("spec").path("replicas").asInt());
        assertFalse(cart.has("status"));
        assertFalse(cart.path("metadata").has("uid"));
    }

    @Test
    void anUnreachableTargetFailsTheRestoreWithTheReason() {
        executor = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> {
            throw new ClusterSession.Rejected(0, "the API server could not be reached: Connection refused");
        }, l -> store, clock, Duration.ofSeconds(1));
        Restore done = restore("unreachable", request("none", Map.of()));
        assertEquals(Restore.Phase.Failed, done.phase());
        assertTrue(done.results().toString().contains("Connection refused"), done.results().toString());
    }

    @Test
    void fiveThousandObjectsThatExistAndDifferEndCompletedWithEveryWarningInTheResultsFile() {
        ExistingObjectsRestore bulk = new ExistingObjectsRestore("p", restores, 5_000);
        Restore done = bulk.run("bulk");
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        assertEquals(5_000, done.warnings());
        assertEquals(new Restore.Counts(0, 0, 5_000), new Restore.Counts(0, 0, done.counts().skipped()));
        Map<String, Object> file = bulk.resultsFile("bulk");
        assertEquals(5_000, ExistingObjectsRestore.messages(file, "warnings"), "every warning is in the results file");
        assertEquals(0, ExistingObjectsRestore.messages(file, "errors"));
        Restore recorded = restores.find("p", "bulk").orElseThrow();
        assertEquals(5_000, recorded.warnings(), "the record keeps the exact count");
        assertEquals(io.lifeboat.run.Results.ON_RECORD, ExistingObjectsRestore.messages(recorded.results(), "warnings"),
                "and only the first messages");
        assertTrue(recorded.results().toString().contains("settings-0 already exists and differs"), recorded.results().toString());
    }
}
