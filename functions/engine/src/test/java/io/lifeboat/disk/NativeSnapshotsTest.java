package io.lifeboat.disk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.expiry.ExpirySweeper;
import io.lifeboat.location.DiskSnapshotsFactory;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import io.lifeboat.restore.ExistingResourcePolicy;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreExecutor;
import io.lifeboat.signal.RunSignals;
import io.lifeboat.work.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Include all disks" with native snapshots, end to end in memory: a backup snapshots each claim's EBS volume through
 * the cloud port, records it in Velero's shape, a restore makes a disk of each and points the restored volume at it,
 * and the deletion of the backup deletes exactly its snapshots.
 */
class NativeSnapshotsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final ManualClock clock = new ManualClock();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession source = new InMemoryClusterSession();
    final InMemoryClusterSession target = new InMemoryClusterSession();
    final InMemoryDiskSnapshots ec2 = new InMemoryDiskSnapshots(Cloud.aws)
            .disk("vol-0aaaaaaaaaaaaaaa1", "gp3").disk("vol-0bbbbbbbbbbbbbbb2", "io2");
    final DiskSnapshotsFactory disks = location -> {
        ec2.opened();
        return ec2;
    };

    @BeforeEach
    void setUp() {
        for (InMemoryClusterSession cluster : List.of(source, target)) {
            cluster.type("", "v1", "namespaces", "Namespace", false)
                    .type("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true)
                    .type("", "v1", "persistentvolumes", "PersistentVolume", false);
        }
        source.add("namespaces", null, "shop");
        claim("data", "pv-data", "ebs.csi.aws.com", "vol-0aaaaaaaaaaaaaaa1", "us-east-1a");
        claim("logs", "pv-logs", null, "vol-0bbbbbbbbbbbbbbb2", "us-east-1b");
        clusters.create(new Cluster("p", "prod", "kubeconfig", "ctx", "https://k", ClusterStatus.unknown(), clock.instant()));
        clusters.create(new Cluster("p", "dr", "kubeconfig-dr", "ctx", "https://dr", ClusterStatus.unknown(), clock.instant()));
        location("native");
    }

    void location(String mode) {
        locations.create(new Location("p", "loc", Provider.AWS, "bucket", "team",
                Map.of(LocationField.REGION, "us-east-1", LocationField.SNAPSHOT_MODE, mode),
                LocationStatus.available(clock.instant()), clock.instant()));
    }

    /** A claim bound to an EBS volume: by CSI when {@code driver} is set, else in-tree (zone as a label). */
    void claim(String claim, String volume, String driver, String volumeId, String zone) {
        source.add("persistentvolumeclaims", "shop", claim).putObject("spec").put("volumeName", volume)
                .put("storageClassName", "gp3");
        ObjectNode pv = source.add("persistentvolumes", null, volume);
        ObjectNode spec = pv.putObject("spec");
        spec.put("storageClassName", "gp3").put("persistentVolumeReclaimPolicy", "Delete");
        spec.putObject("claimRef").put("kind", "PersistentVolumeClaim").put("namespace", "shop").put("name", claim)
                .put("uid", "uid-" + claim);
        if (driver != null) {
            spec.putObject("csi").put("driver", driver).put("volumeHandle", volumeId);
            spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject()
                    .putArray("matchExpressions").addObject().put("key", "topology.ebs.csi.aws.com/zone")
                    .put("operator", "In").putArray("values").add(zone);
        } else {
            spec.putObject("awsElasticBlockStore").put("volumeID", "aws://" + zone + "/" + volumeId);
            ((ObjectNode) pv.get("metadata")).putObject("labels").put("topology.kubernetes.io/zone", zone);
        }
    }

    BackupExecutor backupExecutor(Duration timeout) {
        return new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock, clock,
                new BackupExecutor.Settings(100, 2, 1, timeout, Duration.ofSeconds(1)), RunSignals.NONE, disks);
    }

    Backup backUp(String name) {
        backups.create(Backup.requested("p", name, "prod", "loc", List.of(), null, true, clock.instant(),
                clock.instant().plusSeconds(3600)));
        return backupExecutor(Duration.ofSeconds(30)).run("p", name);
    }

    JsonNode gz(String name, BackupFile file) throws Exception {
        byte[] bytes = store.objects().get(Layout.backupObject("team", name, file));
        return JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void eachClaimsDiskIsSnapshottedTaggedAndRecordedInVelerosShape() throws Exception {
        ec2.completeAfter(3);
        Backup done = backUp("nightly");
        assertEquals(Backup.Phase.Completed, done.phase(), done.firstErrors().toString());
        assertTrue(done.volumeSnapshots().isEmpty(), "no CSI snapshot in native mode");
        assertEquals(2, done.diskSnapshots().size());
        DiskSnapshot data = done.diskSnapshots().stream().filter(s -> s.persistentVolumeClaim().equals("data")).findFirst().orElseThrow();
        assertEquals("vol-0aaaaaaaaaaaaaaa1", data.volumeId());
        assertEquals("us-east-1a", data.volumeAZ());
        assertEquals("gp3", data.volumeType());
        assertEquals(DiskSnapshot.Phase.Completed, data.phase());
        InMemoryDiskSnapshots.Snapshot held = ec2.snapshotHeld(data.snapshotId());
        assertEquals(Map.of("lifeboat-project", "p", "lifeboat-backup", "nightly", "lifeboat-claim", "shop_data"), held.tags());
        assertEquals(3, held.looks(), "looked at until completed");
        assertTrue(ec2.allClosed());

        JsonNode velero = gz("nightly", BackupFile.VOLUME_SNAPSHOTS);
        assertEquals(2, velero.size());
        JsonNode first = velero.get(0);
        assertEquals("nightly", first.path("spec").path("backupName").asText());
        assertEquals("loc", first.path("spec").path("location").asText());
        assertEquals("pv-data", first.path("spec").path("persistentVolumeName").asText());
        assertEquals("vol-0aaaaaaaaaaaaaaa1", first.path("spec").path("providerVolumeID").asText());
        assertEquals("gp3", first.path("spec").path("volumeType").asText());
        assertEquals("us-east-1a", first.path("spec").path("volumeAZ").asText());
        assertEquals(3000, first.path("spec").path("volumeIOPS").asLong());
        assertEquals(data.snapshotId(), first.path("status").path("providerSnapshotID").asText());
        assertEquals("Completed", first.path("status").path("phase").asText());
        assertTrue(gz("nightly", BackupFile.LIFEBOAT_CSI_SNAPSHOTS).isEmpty());
    }

    /** A snapshot that stays pending makes the backup PartiallyFailed, never Completed; it stays recorded to be deleted. */
    @Test
    void aSnapshotStillPendingAtTheDeadlineIsAnErrorNeverCompleted() throws Exception {
        ec2.neverComplete();
        backups.create(Backup.requested("p", "slow", "prod", "loc", List.of(), null, true, clock.instant(),
                clock.instant().plusSeconds(3600)));
        Backup done = backupExecutor(Duration.ofSeconds(10)).run("p", "slow");
        assertEquals(Backup.Phase.PartiallyFailed, done.phase());
        assertTrue(done.firstErrors().toString().contains("not completed within 10 s"), done.firstErrors().toString());
        assertEquals(2, done.diskSnapshots().stream().filter(s -> s.snapshotId() != null
                && s.phase() == DiskSnapshot.Phase.Failed).count(), "recorded by ID, to be deleted");
        assertEquals("Failed", gz("slow", BackupFile.VOLUME_SNAPSHOTS).get(0).path("status").path("phase").asText());
    }

    @Test
    void throttledLooksAreTriedAgainAndAMissingDiskIsAnErrorOfItsNamespace() {
        ec2.throttle(3).failCreate("vol-0bbbbbbbbbbbbbbb2", new DiskException("InvalidVolume.NotFound", false,
                "The volume 'vol-0bbbbbbbbbbbbbbb2' does not exist."));
        Backup done = backUp("half");
        assertEquals(Backup.Phase.PartiallyFailed, done.phase());
        assertEquals(1, done.errors());
        assertTrue(done.firstErrors().get(0).contains("InvalidVolume.NotFound"), done.firstErrors().toString());
        DiskSnapshot data = done.diskSnapshots().stream().filter(s -> s.persistentVolumeClaim().equals("data")).findFirst().orElseThrow();
        assertTrue(data.taken(), "completed once the throttling passed");
    }

    @Test
    void aMinioLocationOrAnotherCloudsDiskIsRefusedWithTheReason() {
        InMemoryDiskSnapshots azure = new InMemoryDiskSnapshots(Cloud.azure);
        backups.create(Backup.requested("p", "wrong-cloud", "prod", "loc", List.of(), null, true, clock.instant(),
                clock.instant().plusSeconds(3600)));
        Backup done = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock, clock,
                new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(5)), RunSignals.NONE, l -> azure).run("p", "wrong-cloud");
        assertEquals(Backup.Phase.PartiallyFailed, done.phase());
        assertTrue(done.firstErrors().get(0).contains("is a aws disk, and the location's credentials reach azure"),
                done.firstErrors().toString());
        assertTrue(azure.snapshots().isEmpty());
    }

    @Test
    void autoTakesCsiWhereTheDriverHasAClassAndNativeElsewhere() {
        locations.delete("p", "loc");
        location("auto");
        source.type("snapshot.storage.k8s.io", "v1", "volumesnapshotclasses", "VolumeSnapshotClass", false);
        source.add("volumesnapshotclasses.snapshot.storage.k8s.io", null, "ebs").put("driver", "ebs.csi.aws.com");
        Backup done = backUp("auto");
        assertEquals(List.of("data"), done.volumeSnapshots().stream().map(s -> s.persistentVolumeClaim()).toList(),
                "the CSI volume of a driver with a class: CSI");
        assertEquals(List.of("logs"), done.diskSnapshots().stream().map(DiskSnapshot::persistentVolumeClaim).toList(),
                "the in-tree volume: native");
    }

    @Test
    void restorePVsMakesADiskOfEachSnapshotAndPointsTheVolumeAtIt() {
        Backup backup = backUp("nightly");
        assertEquals(Backup.Phase.Completed, backup.phase());
        Restore done = restore("back", Map.of("us-east-1b", "us-east-1c"));
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        assertEquals(2, ec2.made().size());
        InMemoryDiskSnapshots.Made logs = ec2.made().stream().filter(m -> m.tags().get("lifeboat-claim").equals("shop_logs"))
                .findFirst().orElseThrow();
        assertEquals("us-east-1c", logs.disk().zone(), "the zone mapping applies");
        assertEquals("back", logs.tags().get("lifeboat-restore"));
        assertEquals("io2", logs.volumeType(), "of the snapshotted disk's type");

        ObjectNode data = target.objects().get("persistentvolumes/pv-data");
        assertNotNull(data, "the volume is restored, pointing at the new disk");
        String dataDisk = ec2.made().stream().filter(m -> m.tags().get("lifeboat-claim").equals("shop_data"))
                .findFirst().orElseThrow().disk().id();
        assertEquals(dataDisk, data.path("spec").path("csi").path("volumeHandle").asText());
        assertEquals("us-east-1a", data.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms")
                .get(0).path("matchExpressions").get(0).path("values").get(0).asText());
        ObjectNode logsVolume = target.objects().get("persistentvolumes/pv-logs");
        assertEquals("aws://us-east-1c/" + logs.disk().id(), logsVolume.path("spec").path("awsElasticBlockStore")
                .path("volumeID").asText());
        assertEquals("us-east-1c", logsVolume.path("metadata").path("labels").path("topology.kubernetes.io/zone").asText());
        assertFalse(logsVolume.path("spec").path("claimRef").has("uid"));
        ObjectNode claim = target.objects().get("persistentvolumeclaims/shop/data");
        assertEquals("pv-data", claim.path("spec").path("volumeName").asText(), "the claim binds to the restored volume");
        assertTrue(ec2.allClosed());
    }

    /** Restoring where a volume of that name still exists makes no disk for it (it would be left unused). */
    @Test
    void aVolumeThatExistsOnTheTargetGetsNoNewDiskAndItsClaimBindsToIt() {
        backUp("nightly");
        ObjectNode existing = target.add("persistentvolumes", null, "pv-data");
        existing.putObject("spec").putObject("csi").put("driver", "ebs.csi.aws.com").put("volumeHandle", "vol-0aaaaaaaaaaaaaaa1");
        Restore done = restore("again", Map.of());
        assertEquals(List.of("shop_logs"), ec2.made().stream().map(m -> m.tags().get("lifeboat-claim")).toList());
        assertEquals("vol-0aaaaaaaaaaaaaaa1", target.objects().get("persistentvolumes/pv-data").path("spec").path("csi")
                .path("volumeHandle").asText(), "left as it was");
        assertEquals("pv-data", target.objects().get("persistentvolumeclaims/shop/data").path("spec")
                .path("volumeName").asText());
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
    }

    @Test
    void aZoneInAnotherRegionIsRefusedWithTheReasonAndTheClaimIsProvisionedAnew() {
        backUp("nightly");
        Restore done = restore("far", Map.of("us-east-1a", "eu-west-1a"));
        assertEquals(Restore.Phase.PartiallyFailed, done.phase());
        assertTrue(done.results().toString().contains("copied there first"), done.results().toString());
        assertNull(target.objects().get("persistentvolumes/pv-data"), "no disk, so the volume is not restored");
        assertFalse(target.objects().get("persistentvolumeclaims/shop/data").path("spec").has("volumeName"));
        assertEquals(1, ec2.made().size(), "the other claim's disk is made");
    }

    /** A node of the target cluster, as its kubelet registers it on EC2. */
    void targetNode(String name, String zone, String instance) {
        target.type("", "v1", "nodes", "Node", false);
        ObjectNode node = target.add("nodes", null, name);
        ((ObjectNode) node.get("metadata")).putObject("labels").put("topology.kubernetes.io/zone", zone)
                .put("topology.kubernetes.io/region", zone.substring(0, zone.length() - 1));
        node.putObject("spec").put("providerID", "aws:///" + zone + "/" + instance);
    }

    /** The disks are made for the target's nodes: the cloud is told which node, to check it is the account's. */
    @Test
    void theDisksAreMadeForANodeOfTheTargetCluster() throws Exception {
        targetNode("ip-10-0-1-5.ec2.internal", "us-east-1a", "i-0123456789abcdef0");
        backUp("nightly");
        Restore done = restore("back", Map.of());
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        assertEquals(2, ec2.nodes().size());
        for (TargetNode node : ec2.nodes()) {
            assertEquals(new TargetNode("ip-10-0-1-5.ec2.internal", Cloud.aws, null, null, "i-0123456789abcdef0",
                    "us-east-1", "us-east-1a"), node);
        }
        byte[] log = store.objects().get(Layout.restoreObject("team", "back", Layout.RestoreFile.LOGS));
        String text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(log))) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(text.contains("aws disks are made where the target cluster's node ip-10-0-1-5.ec2.internal (instance "
                + "i-0123456789abcdef0, region us-east-1) runs"), text);
    }

    /** Target nodes the cloud says run in another account get no disk: each claim's error says why. */
    @Test
    void aTargetInAnotherAccountGetsNoDiskAndEachClaimSaysWhy() {
        targetNode("ip-10-9-1-5.ec2.internal", "us-east-1a", "i-0fedcba9876543210");
        ec2.nodeCheck(new DiskException(DiskSnapshots.OTHER_ACCOUNT, false, "the node is another account's"));
        backUp("nightly");
        Restore done = restore("elsewhere", Map.of());
        assertEquals(Restore.Phase.PartiallyFailed, done.phase());
        assertEquals(List.of(), ec2.made());
        String results = done.results().toString();
        assertTrue(results.contains("claim data cannot be restored from snapshot") && results.contains("claim logs")
                && results.contains("the node is another account's"), results);
    }

    /** A check the cloud cannot answer is logged, and the disks are made in the location's account. */
    @Test
    void aNodeCheckTheCloudCannotAnswerIsLoggedAndTheDisksAreMade() throws Exception {
        targetNode("ip-10-0-1-5.ec2.internal", "us-east-1a", "i-0123456789abcdef0");
        ec2.nodeCheck("EC2 DescribeInstances answered UnauthorizedOperation");
        backUp("nightly");
        Restore done = restore("unsure", Map.of());
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        assertEquals(2, ec2.made().size());
        byte[] log = store.objects().get(Layout.restoreObject("team", "unsure", Layout.RestoreFile.LOGS));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(log))) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("could not be told (EC2 DescribeInstances answered UnauthorizedOperation): disks "
                    + "are made in the location's account"), text);
        }
    }

    /** Nodes the restore may not read (RBAC) leave the disks where the snapshots' disks were, and the log says so. */
    @Test
    void nodesThatCannotBeReadLeaveTheDisksWhereTheyWere() {
        targetNode("ip-10-0-1-5.ec2.internal", "us-east-1a", "i-0123456789abcdef0");
        target.failLists("nodes", 1);
        backUp("nightly");
        Restore done = restore("blind", Map.of());
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        assertEquals(2, ec2.made().size());
        assertTrue(ec2.nodes().stream().allMatch(java.util.Objects::isNull), ec2.nodes().toString());
    }

    /**
     * A target cluster whose nodes run in another region than the snapshots: no disk is made (it would have to be
     * copied first), the restore and its dry run say why, and the other objects are restored.
     */
    @Test
    void targetNodesInAnotherRegionAreRefusedByTheRestoreAndItsDryRun() throws Exception {
        targetNode("ip-10-8-1-5.eu-west-1.compute.internal", "eu-west-1b", "i-0fedcba9876543210");
        backUp("nightly");
        Restore planned = restore("plan-far", Map.of(), true);
        assertTrue(planned.results().toString().contains("the target cluster's node ip-10-8-1-5.eu-west-1.compute.internal"
                + " (instance i-0fedcba9876543210, region eu-west-1) runs in region eu-west-1, and the snapshot is in "
                + "us-east-1: it would have to be copied there first"), planned.results().toString());
        Restore done = restore("far", Map.of());
        assertEquals(Restore.Phase.PartiallyFailed, done.phase());
        assertTrue(done.results().toString().contains("runs in region eu-west-1, and the snapshot is in us-east-1"),
                done.results().toString());
        assertEquals(List.of(), ec2.made(), "no disk is made where no node could attach it");
        assertNull(target.objects().get("persistentvolumes/pv-data"));
        assertNotNull(target.objects().get("persistentvolumeclaims/shop/data"), "the claim is restored, to be provisioned");
    }

    @Test
    void aZoneMappingOfSomethingThatIsNoZoneIsRefusedNamingTheField() {
        io.lifeboat.restore.RestoreService service = new io.lifeboat.restore.RestoreService(restores, backups, clusters,
                locations, l -> store, clock);
        io.lifeboat.error.InvalidInputException refused = org.junit.jupiter.api.Assertions.assertThrows(
                io.lifeboat.error.InvalidInputException.class, () -> service.options(new io.lifeboat.restore.RestoreRequest(
                        "r", "nightly", "dr", null, null, true, null, null, null, null, null, null, null,
                        Map.of("us-east-1a", "US East/1"))));
        assertEquals("zoneMapping", refused.field());
        assertEquals(Map.of("us-east-1a", "us-east-1c"), service.options(new io.lifeboat.restore.RestoreRequest("r",
                "nightly", "dr", null, null, true, null, null, null, null, null, null, null,
                Map.of("us-east-1a", "us-east-1c"))).zoneMapping());
    }

    /** Native and CSI snapshots of one backup share its one deadline. */
    @Test
    void autoGivesTheCsiSnapshotsOnlyWhatTheNativeOnesLeftOfTheDeadline() {
        locations.delete("p", "loc");
        location("auto");
        source.type("snapshot.storage.k8s.io", "v1", "volumesnapshotclasses", "VolumeSnapshotClass", false);
        source.add("volumesnapshotclasses.snapshot.storage.k8s.io", null, "ebs").put("driver", "ebs.csi.aws.com");
        source.snapshotsReadyAfter(1000);
        ec2.neverComplete();
        backups.create(Backup.requested("p", "late", "prod", "loc", List.of(), null, true, clock.instant(),
                clock.instant().plusSeconds(3600)));
        java.time.Instant started = clock.instant();
        Backup done = backupExecutor(Duration.ofSeconds(10)).run("p", "late");
        assertEquals(Backup.Phase.PartiallyFailed, done.phase());
        assertTrue(Duration.between(started, clock.instant()).compareTo(Duration.ofSeconds(12)) <= 0,
                "one deadline for both: " + Duration.between(started, clock.instant()));
    }

    /** A dry run makes no disk: it plans each one (the zone mapping applied, another region refused), asking no cloud. */
    @Test
    void aDryRunPlansTheDisksItWouldMakeAndMakesNone() throws Exception {
        backUp("nightly");
        Restore done = restore("plan", Map.of("us-east-1b", "us-east-1c"), true);
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        assertTrue(ec2.made().isEmpty(), "no disk is made");
        assertNull(target.objects().get("persistentvolumes/pv-data"), "nothing is written to the cluster");
        JsonNode plan = JSON.readTree(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(store.objects()
                .get(io.lifeboat.archive.Layout.restoreObject("team", "plan", io.lifeboat.archive.Layout.RestoreFile.DRY_RUN_PLAN)))));
        List<JsonNode> disks = new java.util.ArrayList<>();
        plan.path("items").forEach(item -> {
            if (item.path("resource").asText().equals("disks")) {
                disks.add(item);
            }
        });
        assertEquals(2, disks.size(), plan.toString());
        assertTrue(disks.stream().allMatch(d -> d.path("action").asText().equals("create")), disks.toString());
        assertTrue(disks.stream().anyMatch(d -> d.path("reason").asText().contains("in zone us-east-1c")), disks.toString());
        JsonNode volume = null;
        for (JsonNode item : plan.path("items")) {
            if (item.path("resource").asText().equals("persistentvolumes") && item.path("name").asText().equals("pv-data")) {
                volume = item;
            }
        }
        assertNotNull(volume, "the volume would be restored, pointing at its new disk: " + plan);
        assertEquals("create", volume.path("action").asText());

        Restore far = restore("plan-far", Map.of("us-east-1a", "eu-west-1a"), true);
        assertEquals(Restore.Phase.PartiallyFailed, far.phase());
        assertTrue(far.results().toString().contains("copied there first"), far.results().toString());
        assertEquals(1, far.plan().refused(), far.plan().toString());
        assertTrue(ec2.made().isEmpty());
    }

    Restore restore(String name, Map<String, String> zones) {
        return restore(name, zones, false);
    }

    Restore restore(String name, Map<String, String> zones, boolean dryRun) {
        restores.create(Restore.requested("p", name, "nightly", "dr", new Restore.Request(true, false, true, List.of(),
                Map.of(), Map.of(), ExistingResourcePolicy.none, Map.of(), List.of(), dryRun, zones), clock.instant()));
        return new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> target, l -> store, clock,
                Duration.ofSeconds(1), io.lifeboat.archive.ArchiveLimits.DEFAULTS, Path.of(System.getProperty("java.io.tmpdir"),
                "lifeboat-spools-test"), RunSignals.NONE, disks).run("p", name);
    }

    @Test
    void deletingTheBackupDeletesExactlyItsSnapshotsCheckedByTag() {
        Backup done = backUp("nightly");
        // one the run started but never recorded (it died), found by its tags; and others' snapshots
        ec2.existing("snap-0lost00000000000", DiskTags.snapshot("p", "nightly", "shop", "gone"));
        ec2.existing("snap-0other0000000000", DiskTags.snapshot("p", "weekly", "shop", "data"));
        ec2.existing("snap-0elsewhere000000", DiskTags.snapshot("q", "nightly", "shop", "data"));
        ExpirySweeper sweeper = new ExpirySweeper(backups, restores, clusters, locations, (k, c) -> source, l -> store,
                clock, Duration.ofMinutes(20), disks);
        assertTrue(sweeper.deleteNow("p", "nightly"));
        List<String> expected = new java.util.ArrayList<>(done.diskSnapshots().stream().map(DiskSnapshot::snapshotId).toList());
        expected.add("snap-0lost00000000000");
        assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(ec2.deleted()));
        assertNotNull(ec2.snapshotHeld("snap-0other0000000000"));
        assertNotNull(ec2.snapshotHeld("snap-0elsewhere000000"));
        assertTrue(backups.find("p", "nightly").isEmpty());
    }

    @Test
    void aRecordedSnapshotWhoseTagsAreNotTheBackupsIsLeftAndTheBackupStaysDeleting() {
        Backup done = backUp("nightly");
        String id = done.diskSnapshots().get(0).snapshotId();
        ec2.deleteSnapshot(id);
        ec2.existing(id, DiskTags.snapshot("p", "someone-else", "shop", "data"));
        ExpirySweeper sweeper = new ExpirySweeper(backups, restores, clusters, locations, (k, c) -> source, l -> store,
                clock, Duration.ofMinutes(20), disks);
        assertFalse(sweeper.deleteNow("p", "nightly"));
        assertNotNull(ec2.snapshotHeld(id));
        Backup deleting = backups.find("p", "nightly").orElseThrow();
        assertEquals(Backup.Phase.Deleting, deleting.phase());
        assertTrue(deleting.firstErrors().toString().contains("its tags do not name backup nightly"),
                deleting.firstErrors().toString());
    }
}
