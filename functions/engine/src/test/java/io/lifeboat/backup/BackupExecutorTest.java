package io.lifeboat.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.archive.ArchiveReader;
import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.cluster.ClusterSession.SourceException;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.expiry.ExpirySweeper;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import io.lifeboat.snapshot.SnapshotNames;
import io.lifeboat.work.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupExecutorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Moved by the executors' pauses (snapshot looks, retries): no test here waits on wall time. */
    final ManualClock clock = new ManualClock();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession cluster = new InMemoryClusterSession();
    BackupExecutor executor;

    @BeforeEach
    void setUp() {
        cluster.type("", "v1", "namespaces", "Namespace", false)
                .type("", "v1", "configmaps", "ConfigMap", true)
                .type("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true)
                .type("", "v1", "persistentvolumes", "PersistentVolume", false)
                .type("", "v1", "nodes", "Node", false)
                .type("", "v1", "events", "Event", true)
                .type("apps", "v1", "deployments", "Deployment", true)
                .type("extensions", "v1beta1", "deployments", "Deployment", true)
                .type("storage.k8s.io", "v1", "storageclasses", "StorageClass", false)
                .type("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false)
                .type("demo.lifeboat.io", "v1", "widgets", "Widget", true)
                .type("other.example.com", "v1", "gadgets", "Gadget", true)
                .type("coordination.k8s.io", "v1", "leases", "Lease", true);
        cluster.type(new io.lifeboat.discovery.ResourceType("", "v1", "pods/log", "Pod", true, java.util.Set.of("get")));
        for (String ns : List.of("shop", "tools")) {
            cluster.add("namespaces", null, ns);
            cluster.add("configmaps", ns, "settings");
            cluster.add("deployments.apps", ns, "frontend");
        }
        cluster.add("persistentvolumeclaims", "shop", "data").putObject("spec").put("volumeName", "pv-shop");
        cluster.add("persistentvolumeclaims", "tools", "cache").putObject("spec").put("volumeName", "pv-tools");
        cluster.add("persistentvolumes", null, "pv-shop");
        cluster.add("persistentvolumes", null, "pv-tools");
        cluster.add("nodes", null, "node-1");
        cluster.add("leases.coordination.k8s.io", "kube-node-lease", "node-1");
        cluster.add("events", "shop", "e1");
        cluster.add("storageclasses.storage.k8s.io", null, "gp2");
        cluster.add("customresourcedefinitions.apiextensions.k8s.io", null, "widgets.demo.lifeboat.io");
        cluster.add("customresourcedefinitions.apiextensions.k8s.io", null, "gadgets.other.example.com");
        cluster.add("widgets.demo.lifeboat.io", "shop", "w1");
        cluster.add("gadgets.other.example.com", "tools", "g1");

        clusters.create(new Cluster("p", "prod", "kubeconfig", "ctx", "https://k", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "bucket", "team", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        executor = new BackupExecutor(backups, clusters, locations, (kubeconfig, context) -> cluster, location -> store,
                clock, clock, new BackupExecutor.Settings(2, 3, 1, java.time.Duration.ofSeconds(5)));
    }

    Backup request(String name, List<String> namespaces, Boolean includeClusterResources) {
        Instant now = clock.instant();
        Backup b = Backup.requested("p", name, "prod", "loc", namespaces, includeClusterResources, false, now,
                now.plus(30, ChronoUnit.DAYS));
        backups.create(b);
        return b;
    }

    Map<String, String> archive(String name) {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(
                store.objects().get(Layout.backupObject("team", name, BackupFile.TARBALL))), 1 << 20)) {
            for (ArchiveReader.Entry e; (e = reader.next()) != null; ) {
                entries.put(e.path(), e.text());
            }
        }
        return entries;
    }

    JsonNode gz(String name, BackupFile file) throws IOException {
        byte[] bytes = store.objects().get(Layout.backupObject("team", name, file));
        return JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void aFullBackupHasVeleroLayoutAndEveryFile() throws Exception {
        request("full", List.of(), null);
        Backup done = executor.run("p", "full");
        assertEquals(Backup.Phase.Completed, done.phase(), done.firstErrors().toString());

        Map<String, String> entries = archive("full");
        assertEquals("1.1.0\n", entries.get("metadata/version"));
        assertTrue(entries.containsKey("resources/configmaps/namespaces/shop/settings.json"));
        assertTrue(entries.containsKey("resources/configmaps/v1-preferredversion/namespaces/shop/settings.json"));
        assertTrue(entries.containsKey("resources/deployments.apps/namespaces/tools/frontend.json"));
        assertTrue(entries.containsKey("resources/deployments.apps/v1-preferredversion/namespaces/tools/frontend.json"));
        assertTrue(entries.containsKey("resources/persistentvolumes/cluster/pv-shop.json"));
        assertTrue(entries.containsKey("resources/namespaces/cluster/shop.json"));
        assertTrue(entries.containsKey("resources/customresourcedefinitions.apiextensions.k8s.io/v1-preferredversion/cluster/widgets.demo.lifeboat.io.json"));
        assertTrue(entries.containsKey("resources/widgets.demo.lifeboat.io/namespaces/shop/w1.json"));
        assertFalse(entries.keySet().stream().anyMatch(p -> p.contains("nodes") || p.contains("events")), entries.keySet().toString());
        assertFalse(entries.keySet().stream().anyMatch(p -> p.contains("leases")), "node heartbeats are skipped");
        assertFalse(entries.keySet().stream().anyMatch(p -> p.contains("deployments.extensions")), "a kind two groups serve is kept once");
        assertEquals("shop", JSON.readTree(entries.get("resources/configmaps/namespaces/shop/settings.json"))
                .path("metadata").path("namespace").asText());

        // 2 namespaces, 2 configmaps, 2 deployments, 2 pvcs, 2 pvs, 1 storageclass, 2 crds, 1 widget, 1 gadget
        assertEquals(new Backup.Progress(15, 15), done.progress());
        assertEquals(1 + 2 * 15, entries.size());

        JsonNode resourceList = gz("full", BackupFile.RESOURCE_LIST);
        assertEquals("shop/settings", resourceList.path("v1/ConfigMap").get(0).asText());
        assertEquals("widgets.demo.lifeboat.io", resourceList.path("apiextensions.k8s.io/v1/CustomResourceDefinition").get(1).asText());
        assertEquals(2, resourceList.path("apps/v1/Deployment").size());

        JsonNode manifest = gz("full", BackupFile.LIFEBOAT_MANIFEST);
        assertEquals(15, manifest.path("items").size());
        assertEquals(done.archiveSha256(), manifest.path("archive").path("sha256").asText());
        byte[] tarball = store.objects().get(Layout.backupObject("team", "full", BackupFile.TARBALL));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tarball)), done.archiveSha256());
        assertEquals(tarball.length, done.sizeBytes());
        for (JsonNode item : manifest.path("items")) {
            byte[] content = entries.get(item.path("path").asText()).getBytes(StandardCharsets.UTF_8);
            assertEquals(item.path("sha256").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        }

        JsonNode velero = JSON.readTree(store.objects().get(Layout.backupObject("team", "full", BackupFile.BACKUP_JSON)));
        assertEquals("velero.io/v1", velero.path("apiVersion").asText());
        assertEquals("Completed", velero.path("status").path("phase").asText());
        assertEquals("720h0m0s", velero.path("spec").path("ttl").asText());
        assertEquals(15, velero.path("status").path("progress").path("itemsBackedUp").asInt());
        assertTrue(gz("full", BackupFile.RESULTS).path("errors").path("velero").isEmpty());
        assertTrue(gz("full", BackupFile.VOLUME_SNAPSHOTS).isArray());
        assertNotNull(store.objects().get(Layout.backupObject("team", "full", BackupFile.LOGS)));
        assertEquals(Backup.Phase.Completed, backups.find("p", "full").orElseThrow().phase());
    }

    /** No silent skip: every served type is on the record and in the log, with its count or why it has none. */
    @Test
    void everyServedTypeIsAccountedFor() throws Exception {
        request("counted", List.of("shop"), null);
        Backup done = executor.run("p", "counted");
        assertEquals(Backup.Phase.Completed, done.phase(), done.firstErrors().toString());
        Map<String, Backup.TypeCount> types = new LinkedHashMap<>();
        done.typeCounts().forEach(t -> types.put(t.resource(), t));
        assertEquals(java.util.Set.of("namespaces", "configmaps", "persistentvolumeclaims", "persistentvolumes", "nodes",
                "events", "deployments.apps", "deployments.extensions", "storageclasses.storage.k8s.io",
                "customresourcedefinitions.apiextensions.k8s.io", "widgets.demo.lifeboat.io", "gadgets.other.example.com",
                "leases.coordination.k8s.io"), types.keySet(), "every served type but the subresource pods/log");
        assertEquals(new Backup.TypeCount("configmaps", "v1", "ConfigMap", 1, null, null), types.get("configmaps"));
        assertEquals(1, types.get("widgets.demo.lifeboat.io").items());
        assertEquals(0, types.get("gadgets.other.example.com").items(), "read, and none in namespace shop");
        assertNull(types.get("gadgets.other.example.com").skipped());
        assertEquals("never restored, so never backed up", types.get("nodes").skipped());
        assertEquals("never restored, so never backed up", types.get("events").skipped());
        assertTrue(types.get("deployments.extensions").skipped().contains("deployments.apps"), types.toString());
        assertTrue(types.get("storageclasses.storage.k8s.io").skipped().startsWith("cluster-scoped"), types.toString());
        assertEquals(1, types.get("customresourcedefinitions.apiextensions.k8s.io").items(), "only the CRD shop's items need");
        assertEquals(1, types.get("persistentvolumes").items());
        long sum = done.typeCounts().stream().mapToLong(Backup.TypeCount::items).sum();
        assertEquals(done.progress().itemsBackedUp(), sum);
        String log = new String(new GZIPInputStream(new ByteArrayInputStream(
                store.objects().get(Layout.backupObject("team", "counted", BackupFile.LOGS)))).readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(log.contains("nodes (v1 Node): not backed up: never restored"), log);
        assertTrue(log.contains("widgets.demo.lifeboat.io (demo.lifeboat.io/v1 Widget): 1 items backed up"), log);
    }

    @Test
    void aGroupVersionDiscoveryCouldNotReadMakesTheBackupPartiallyFailed() {
        cluster.unreadable("metrics.k8s.io/v1beta1", "the API server answered HTTP 503");
        request("unreadable", List.of(), null);
        Backup done = executor.run("p", "unreadable");
        assertEquals(Backup.Phase.PartiallyFailed, done.phase());
        assertTrue(done.firstErrors().get(0).contains("metrics.k8s.io/v1beta1"), done.firstErrors().toString());
        Backup.TypeCount line = done.typeCounts().stream().filter(t -> t.resource().equals("metrics.k8s.io/v1beta1"))
                .findFirst().orElseThrow();
        assertEquals("the API server answered HTTP 503", line.error());
        assertEquals(15, done.progress().itemsBackedUp(), "everything else is still backed up");
    }

    @Test
    void aTypeThatFailsToListShowsItsErrorOnItsLine() {
        cluster.failLists("configmaps", 100);
        request("failing", List.of(), null);
        Backup done = executor.run("p", "failing");
        assertEquals(Backup.Phase.PartiallyFailed, done.phase());
        Backup.TypeCount line = done.typeCounts().stream().filter(t -> t.resource().equals("configmaps")).findFirst().orElseThrow();
        assertNotNull(line.error());
        assertNull(line.skipped());
        assertEquals(0, line.items());
    }

    /**
     * What Velero's backup sync needs (pkg/controller/backup_sync_controller.go, pkg/persistence): a velero.io/v1
     * Backup named after its folder, finished, format 1.1.0, with its storage location; entries 0755, no folder entries.
     * The same rules Lifeboat's own sync applies to Velero's backups accept it.
     */
    @Test
    void velerosSyncWouldAcceptWhatLifeboatWrites() throws Exception {
        request("full", List.of(), null);
        assertEquals(Backup.Phase.Completed, executor.run("p", "full").phase());
        cluster.failLists("deployments.apps", 100);
        request("partial", List.of(), null);
        assertEquals(Backup.Phase.PartiallyFailed, executor.run("p", "partial").phase());

        for (String name : List.of("full", "partial")) {
            JsonNode velero = JSON.readTree(store.objects().get(Layout.backupObject("team", name, BackupFile.BACKUP_JSON)));
            assertEquals("Backup", velero.path("kind").asText());
            assertEquals("velero.io/v1", velero.path("apiVersion").asText());
            assertEquals(name, velero.path("metadata").path("name").asText());
            assertEquals(name.equals("full") ? "Completed" : "PartiallyFailed", velero.path("status").path("phase").asText());
            assertEquals("1.1.0", velero.path("status").path("formatVersion").asText());
            assertEquals("loc", velero.path("spec").path("storageLocation").asText());
            try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar =
                         new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new GZIPInputStream(
                                 new ByteArrayInputStream(store.objects().get(Layout.backupObject("team", name, BackupFile.TARBALL)))))) {
                int entries = 0;
                for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    assertTrue(entry.isFile(), entry.getName() + " is a file entry");
                    assertEquals(0755, entry.getMode() & 07777, entry.getName());
                    entries++;
                }
                assertTrue(entries > 1);
            }
        }

        // another project on the same prefix does not take this project's backups: bucket claims refuse such a
        // location now, so this one stands for a location stored before claims existed (a second line of defence)
        InMemoryLocationRepository older = new InMemoryLocationRepository();
        older.create(new Location("p2", "mirror", Provider.MINIO, "bucket", "team", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        VeleroBackupSync.Report other = new VeleroBackupSync(backups, older, location -> store, clock).sync("p2", "mirror");
        VeleroBackupSync sync = new VeleroBackupSync(backups, locations, location -> store, clock);
        assertEquals(List.of(), other.imported());
        assertEquals(List.of(new VeleroBackupSync.Skipped("full", "written by Lifeboat for another project"),
                new VeleroBackupSync.Skipped("partial", "written by Lifeboat for another project")), other.skipped());

        // with its records lost, the project gets its backups back from the bucket, hashes included
        String sha256 = backups.find("p", "full").orElseThrow().archiveSha256();
        backups.delete("p", "full");
        backups.delete("p", "partial");
        VeleroBackupSync.Report report = sync.sync("p", "loc");
        assertEquals(List.of("full", "partial"), report.imported(), report.toString());
        assertEquals(sha256, backups.find("p", "full").orElseThrow().archiveSha256());
        assertEquals(Backup.Phase.PartiallyFailed, backups.find("p", "partial").orElseThrow().phase());
    }

    @Test
    void aNamespaceFilterKeepsOnlyWhatThoseNamespacesNeed() throws Exception {
        request("shop-only", List.of("shop", "ghost"), false);
        Backup done = executor.run("p", "shop-only");
        assertEquals(Backup.Phase.Completed, done.phase(), done.firstErrors().toString());
        assertEquals(1, done.warnings());
        assertEquals(new Backup.Progress(7, 7), done.progress(), "only what was written is counted");
        Map<String, String> entries = archive("shop-only");
        List<String> items = entries.keySet().stream().filter(p -> !p.contains("preferredversion") && p.startsWith("resources/")).sorted().toList();
        assertEquals(List.of(
                "resources/configmaps/namespaces/shop/settings.json",
                "resources/customresourcedefinitions.apiextensions.k8s.io/cluster/widgets.demo.lifeboat.io.json",
                "resources/deployments.apps/namespaces/shop/frontend.json",
                "resources/namespaces/cluster/shop.json",
                "resources/persistentvolumeclaims/namespaces/shop/data.json",
                "resources/persistentvolumes/cluster/pv-shop.json",
                "resources/widgets.demo.lifeboat.io/namespaces/shop/w1.json"), items);
        JsonNode results = gz("shop-only", BackupFile.RESULTS);
        assertTrue(results.path("warnings").path("namespaces").path("ghost").get(0).asText().contains("does not exist"));
    }

    @Test
    void includeClusterResourcesTrueWithAFilterTakesEveryClusterScopedType() {
        request("with-cluster", List.of("tools"), true);
        executor.run("p", "with-cluster");
        Map<String, String> entries = archive("with-cluster");
        assertTrue(entries.containsKey("resources/storageclasses.storage.k8s.io/cluster/gp2.json"));
        assertTrue(entries.containsKey("resources/persistentvolumes/cluster/pv-shop.json"));
        assertFalse(entries.containsKey("resources/configmaps/namespaces/shop/settings.json"));
    }

    @Test
    void aListThatKeepsFailingMakesThePartiallyFailedAfterRetries() {
        cluster.failLists("configmaps", 2);
        request("retried", List.of(), null);
        assertEquals(Backup.Phase.Completed, executor.run("p", "retried").phase(), "two failures are retried away");

        cluster.failLists("deployments.apps", 100);
        request("broken", List.of(), null);
        Backup done = executor.run("p", "broken");
        assertEquals(Backup.Phase.PartiallyFailed, done.phase());
        assertEquals(1, done.errors());
        assertTrue(done.firstErrors().get(0).contains("deployments.apps"), done.firstErrors().toString());
        assertFalse(archive("broken").keySet().stream().anyMatch(p -> p.contains("deployments")));
    }

    @Test
    void anUnreachableClusterFailsAndLeavesNothingInTheBucket() {
        cluster.failDiscovery(new SourceException("connection refused", false, null));
        request("unreachable", List.of(), null);
        Backup done = executor.run("p", "unreachable");
        assertEquals(Backup.Phase.Failed, done.phase());
        assertTrue(done.firstErrors().get(0).contains("connection refused"), done.firstErrors().toString());
        assertTrue(store.objects().isEmpty());
    }

    @Test
    void theStoreFailingMidUploadAbortsAndRemovesEverything() {
        store.failUploadsAfter(200);
        request("store-dies", List.of(), null);
        Backup done = executor.run("p", "store-dies");
        assertEquals(Backup.Phase.Failed, done.phase());
        assertTrue(store.objects().isEmpty(), store.objects().keySet().toString());
        assertEquals(3, store.aborted().size(), store.aborted().toString());
        assertNull(done.archiveSha256());
    }

    /** Uploads are committed, and small files put, together: one refused leaves none of the others behind. */
    @ParameterizedTest
    @ValueSource(strings = {".tar.gz", "-resource-list.json.gz", "-results.gz", "velero-backup.json",
            "lifeboat-csi-snapshots.json.gz"})
    void oneObjectTheStoreRefusesFailsTheBackupAndLeavesNothing(String refused) {
        store.refuseWritesOf(refused);
        request("refused", List.of(), null);
        Backup done = executor.run("p", "refused");
        assertEquals(Backup.Phase.Failed, done.phase());
        assertTrue(done.firstErrors().get(0).contains("the store refused"), done.firstErrors().toString());
        assertTrue(store.objects().isEmpty(), store.objects().keySet().toString());
    }

    @Test
    void anArchiveStoredShortIsNeverCompleted() {
        store.truncateOnCommit(".tar.gz");
        request("short", List.of(), null);
        Backup done = executor.run("p", "short");
        assertEquals(Backup.Phase.Failed, done.phase());
        assertTrue(done.firstErrors().get(0).contains("VerificationFailed"), done.firstErrors().toString());
        assertTrue(store.objects().isEmpty(), store.objects().keySet().toString());
    }

    @Test
    void theFirstPagesOfTheNextListsAreAskedForWhileOneIsReadAndItemsStayGroupedByType() throws Exception {
        // lists are held until three are in flight together (or 5 s, once): a walker reading one list after another
        // never gets there
        cluster.holdListsUntilInFlight(3, java.time.Duration.ofSeconds(5));
        request("ahead", List.of(), null);
        Backup done = executor.run("p", "ahead");
        assertEquals(Backup.Phase.Completed, done.phase(), done.firstErrors().toString());
        assertTrue(cluster.mostListsInFlight() >= 3, "at most " + cluster.mostListsInFlight() + " lists in flight");
        assertTrue(cluster.mostListsInFlight() <= BackupWalker.LOOKAHEAD + 1, "lists in flight: " + cluster.mostListsInFlight());
        // the resource list has each type once, so each type's items were written together
        JsonNode resourceList = gz("ahead", BackupFile.RESOURCE_LIST);
        assertEquals(List.of("shop/settings", "tools/settings"),
                JSON.convertValue(resourceList.get("v1/ConfigMap"), List.class));
        assertEquals(2, resourceList.get("apps/v1/Deployment").size());
        assertEquals(done.progress().itemsBackedUp(), archive("ahead").keySet().stream()
                .filter(path -> path.startsWith("resources/") && !path.contains("-preferredversion/")).count());
    }

    @Test
    void anArchiveStoredWithAByteChangedIsFoundByTheReadBackAndNeverCompleted() {
        store.corruptOnCommit(".tar.gz");
        request("corrupt", List.of(), null);
        Backup done = executor.run("p", "corrupt");
        assertEquals(Backup.Phase.Failed, done.phase());
        assertTrue(done.firstErrors().get(0).contains("SHA-256"), done.firstErrors().toString());
        assertTrue(store.objects().isEmpty(), store.objects().keySet().toString());
    }

    @Test
    void anArchiveTheStoreCheckedOnReceiptIsNotReadBack() {
        store.verifiesUploads(true);
        request("checked", List.of(), null);
        Backup done = executor.run("p", "checked");
        assertEquals(Backup.Phase.Completed, done.phase());
        assertTrue(store.downloads().stream().noneMatch(key -> key.endsWith(".tar.gz")), store.downloads().toString());
        assertTrue(log("checked").contains("the store proved it holds the bytes sent; not read back"));

        store.verifiesUploads(false);
        request("unchecked", List.of(), null);
        assertEquals(Backup.Phase.Completed, executor.run("p", "unchecked").phase());
        assertTrue(store.downloads().contains(Layout.backupObject("team", "unchecked", BackupFile.TARBALL)),
                store.downloads().toString());
        assertTrue(log("unchecked").contains("(read back)"));
    }

    private String log(String backup) {
        try {
            return new String(new GZIPInputStream(new ByteArrayInputStream(
                    store.objects().get(Layout.backupObject("team", backup, BackupFile.LOGS)))).readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSecondDeliveryOfTheSameRequestDoesNothing() {
        request("twice", List.of(), null);
        Backup first = executor.run("p", "twice");
        int listsAfterFirst = cluster.listCalls();
        Backup second = executor.run("p", "twice");
        assertEquals(first.archiveSha256(), second.archiveSha256());
        assertEquals(listsAfterFirst, cluster.listCalls(), "the second delivery read nothing");
    }

    @Test
    void progressIsRecordedAtMostOncePerSecond() {
        request("progress", List.of(), null);
        executor.run("p", "progress");
        assertTrue(backups.progressUpdates().size() <= 2, backups.progressUpdates().toString());
    }

    @Test
    void includeDisksSnapshotsEveryBoundClaimAndRecordsWhatCouldNot() throws Exception {
        cluster.cannotSnapshot("tools", "cache");
        Instant now = clock.instant();
        backups.create(Backup.requested("p", "disks", "prod", "loc", List.of(), null, true, now, now.plusSeconds(3600)));
        Backup done = executor.run("p", "disks");
        assertEquals(Backup.Phase.PartiallyFailed, done.phase());
        assertEquals(2, done.volumeSnapshots().size());
        VolumeSnapshot shop = done.volumeSnapshots().stream().filter(s -> s.namespace().equals("shop")).findFirst().orElseThrow();
        assertEquals("snap-pv-shop", shop.snapshotHandle());
        assertNull(shop.error());
        assertTrue(done.firstErrors().get(0).contains("cache"), done.firstErrors().toString());
        JsonNode recorded = gz("disks", BackupFile.LIFEBOAT_CSI_SNAPSHOTS);
        assertTrue(gz("disks", BackupFile.VOLUME_SNAPSHOTS).isEmpty(), "Velero's file holds native snapshots only");
        assertEquals(2, recorded.size());
        assertEquals("data", recorded.get(0).path("persistentVolumeClaim").asText());

        request("no-disks", List.of(), null);
        assertTrue(executor.run("p", "no-disks").volumeSnapshots().isEmpty(), "without includeDisks nothing is snapshotted");
    }

    BackupExecutor withSnapshots(Duration timeout) {
        return new BackupExecutor(backups, clusters, locations, (kubeconfig, context) -> cluster, location -> store,
                clock, clock, new BackupExecutor.Settings(2, 3, 1, timeout, Duration.ofMillis(5)));
    }

    Backup withDisks(String name) {
        Instant now = clock.instant();
        Backup b = Backup.requested("p", name, "prod", "loc", List.of(), null, true, now, now.plusSeconds(3600));
        backups.create(b);
        return b;
    }

    /** Every snapshot is created before any is awaited, and they are looked at in turn: they overlap. */
    @Test
    void snapshotsAreStartedTogetherThenAwaitedTogether() {
        cluster.snapshotsReadyAfter(3);
        withDisks("together");
        Backup done = withSnapshots(Duration.ofMinutes(1)).run("p", "together");
        assertEquals(Backup.Phase.Completed, done.phase(), done.firstErrors().toString());
        assertTrue(done.volumeSnapshots().stream().allMatch(VolumeSnapshot::taken), done.volumeSnapshots().toString());
        List<String> events = cluster.snapshotEvents();
        assertEquals(List.of("start shop/data", "start tools/cache"), events.subList(0, 2), events.toString());
        assertTrue(events.indexOf("pending tools/cache") < events.indexOf("ready shop/data"), "awaited side by side: " + events);
        assertTrue(events.indexOf("pending shop/data") < events.indexOf("ready tools/cache"), events.toString());
        assertEquals(List.of("lifeboat-together.shop.data", "lifeboat-together.tools.cache"),
                done.volumeSnapshots().stream().map(VolumeSnapshot::volumeSnapshotName).sorted().toList());
    }

    /** Snapshots that are never ready end at the one deadline, stay recorded by name, and the sweep deletes them. */
    @Test
    void snapshotsNotReadyByTheDeadlineAreRecordedAndDeletedByTheSweep() {
        cluster.snapshotsReadyAfter(0);
        withDisks("late");
        Backup done = withSnapshots(Duration.ofSeconds(30)).run("p", "late");
        assertEquals(Backup.Phase.PartiallyFailed, done.phase());
        assertEquals(Duration.ofSeconds(30), clock.pauses().stream().reduce(Duration.ZERO, Duration::plus),
                "the run waited until the one deadline, on the test's clock");
        assertTrue(clock.pauses().stream().allMatch(p -> p.compareTo(Duration.ofMillis(5)) <= 0), "looked every 5 ms");
        assertEquals(2, done.volumeSnapshots().size());
        for (VolumeSnapshot snapshot : done.volumeSnapshots()) {
            assertNotNull(snapshot.volumeSnapshotName(), snapshot.toString());
            assertTrue(snapshot.error().contains("not ready within"), snapshot.toString());
        }
        List<String> events = cluster.snapshotEvents();
        assertTrue(events.lastIndexOf("pending shop/data") > events.indexOf("pending tools/cache"),
                "both were waited for over the same time: " + events);
        assertEquals(2, backups.find("p", "late").orElseThrow().volumeSnapshots().size(), "recorded on the backup");

        ExpirySweeper sweeper = new ExpirySweeper(backups, new io.lifeboat.restore.InMemoryRestoreRepository(), clusters,
                locations, (k, c) -> cluster, l -> store, Clock.offset(clock, Duration.ofDays(1)), Duration.ofMinutes(20));
        sweeper.sweep();
        assertEquals(java.util.Set.of("shop/lifeboat-late.shop.data", "tools/lifeboat-late.tools.cache"),
                cluster.deletedSnapshots());
        assertTrue(backups.find("p", "late").isEmpty());
    }

    /** A VolumeSnapshot of the name this backup would use, not its own, is an error of the claim and never deleted. */
    @Test
    void aForeignSnapshotOfTheSameNameIsNotAdoptedNorDeleted() {
        String name = SnapshotNames.of("taken", "shop", "data");
        cluster.foreignSnapshot("shop", name);
        withDisks("taken");
        Backup done = withSnapshots(Duration.ofSeconds(5)).run("p", "taken");
        assertEquals(Backup.Phase.PartiallyFailed, done.phase());
        VolumeSnapshot shop = done.volumeSnapshots().stream().filter(s -> s.namespace().equals("shop")).findFirst()
                .orElseThrow();
        assertNull(shop.volumeSnapshotName(), "not claimed as this backup's");
        assertTrue(done.firstErrors().toString().contains("already exists"), done.firstErrors().toString());
        assertTrue(done.volumeSnapshots().stream().filter(s -> s.namespace().equals("tools")).findFirst().orElseThrow().taken());

        new ExpirySweeper(backups, new io.lifeboat.restore.InMemoryRestoreRepository(), clusters, locations,
                (k, c) -> cluster, l -> store, Clock.offset(clock, Duration.ofDays(1)), Duration.ofMinutes(20)).sweep();
        assertEquals(java.util.Set.of("tools/lifeboat-taken.tools.cache"), cluster.deletedSnapshots());
    }

    /** A backup that fails after its snapshots were taken still names them, so that its deletion removes them. */
    @Test
    void aFailedBackupKeepsTheNamesOfTheSnapshotsItCreated() {
        store.truncateOnCommit(".tar.gz");
        withDisks("failed-disks");
        Backup done = withSnapshots(Duration.ofSeconds(5)).run("p", "failed-disks");
        assertEquals(Backup.Phase.Failed, done.phase());
        assertEquals(List.of("lifeboat-failed-disks.shop.data", "lifeboat-failed-disks.tools.cache"),
                backups.find("p", "failed-disks").orElseThrow().volumeSnapshots().stream()
                        .map(VolumeSnapshot::volumeSnapshotName).sorted().toList());
    }
}
