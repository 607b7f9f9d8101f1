package io.lifeboat.disks.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.disk.DiskSnapshot;
import io.lifeboat.disks.http.Recorder;
import io.lifeboat.expiry.ExpirySweeper;
import io.lifeboat.location.DiskSnapshotsFactory;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.objectstore.InMemoryObjectStore;
import io.lifeboat.restore.ExistingResourcePolicy;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreExecutor;
import io.lifeboat.signal.RunSignals;
import io.lifeboat.work.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup with "include all disks" in native mode, its restore with restorePVs and its deletion, with the engine's runs
 * against an in-memory cluster and the real EC2 client against the recorder: one snapshot per EBS volume, a volume made
 * from each, and exactly those snapshots deleted.
 */
class Ec2NativeBackupTest {
    final ManualClock clock = new ManualClock();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession source = new InMemoryClusterSession();
    final InMemoryClusterSession target = new InMemoryClusterSession();
    final Ec2Api api = new Ec2Api().volume("vol-0aaaaaaaaaaaaaaa1", "us-east-1a", "gp3", 3000)
            .volume("vol-0bbbbbbbbbbbbbbb2", "us-east-1b", "gp2", 100);
    Recorder recorder;
    DiskSnapshotsFactory disks;

    @BeforeEach
    void setUp() throws Exception {
        recorder = new Recorder(api);
        disks = Ec2DiskSnapshotsTest.factory(recorder);
        for (InMemoryClusterSession cluster : List.of(source, target)) {
            cluster.type("", "v1", "namespaces", "Namespace", false)
                    .type("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true)
                    .type("", "v1", "persistentvolumes", "PersistentVolume", false);
        }
        source.add("namespaces", null, "shop");
        claim("data", "pv-data", "vol-0aaaaaaaaaaaaaaa1", "us-east-1a", true);
        claim("logs", "pv-logs", "vol-0bbbbbbbbbbbbbbb2", "us-east-1b", false);
        clusters.create(new Cluster("p", "prod", "k", null, "https://k", ClusterStatus.unknown(), clock.instant()));
        clusters.create(new Cluster("p", "dr", "k2", null, "https://dr", ClusterStatus.unknown(), clock.instant()));
        locations.create(Ec2DiskSnapshotsTest.location());
    }

    @AfterEach
    void tearDown() {
        recorder.close();
        assertEquals(List.of(), recorder.refusals());
    }

    void claim(String claim, String volume, String volumeId, String zone, boolean csi) {
        source.add("persistentvolumeclaims", "shop", claim).putObject("spec").put("volumeName", volume);
        ObjectNode pv = source.add("persistentvolumes", null, volume);
        ObjectNode spec = pv.putObject("spec").put("persistentVolumeReclaimPolicy", "Delete");
        spec.putObject("claimRef").put("namespace", "shop").put("name", claim);
        if (csi) {
            spec.putObject("csi").put("driver", "ebs.csi.aws.com").put("volumeHandle", volumeId);
            spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject()
                    .putArray("matchExpressions").addObject().put("key", "topology.ebs.csi.aws.com/zone")
                    .put("operator", "In").putArray("values").add(zone);
        } else {
            spec.putObject("awsElasticBlockStore").put("volumeID", "aws://" + zone + "/" + volumeId);
        }
    }

    Backup backUp(String name, Duration timeout) {
        backups.create(Backup.requested("p", name, "prod", "loc", List.of(), null, true, clock.instant(),
                clock.instant().plusSeconds(3600)));
        return new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock, clock,
                new BackupExecutor.Settings(100, 2, 1, timeout, Duration.ofSeconds(1)), RunSignals.NONE, disks)
                .run("p", name);
    }

    @Test
    void backupRestoreAndDeletionThroughEc2() {
        Backup backup = backUp("nightly", Duration.ofSeconds(30));
        assertEquals(Backup.Phase.Completed, backup.phase(), backup.firstErrors().toString());
        assertEquals(2, api.snapshots.size(), "one snapshot per EBS volume");
        assertEquals(List.of("vol-0aaaaaaaaaaaaaaa1", "vol-0bbbbbbbbbbbbbbb2"),
                backup.diskSnapshots().stream().map(DiskSnapshot::volumeId).toList());
        assertTrue(backup.diskSnapshots().stream().allMatch(DiskSnapshot::taken));

        restores.create(Restore.requested("p", "back", "nightly", "dr", new Restore.Request(true, false, true, List.of(),
                Map.of(), Map.of(), ExistingResourcePolicy.none, Map.of(), List.of(), false, Map.of()), clock.instant()));
        Restore restore = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> target, l -> store, clock,
                Duration.ofSeconds(1), ArchiveLimits.DEFAULTS, Path.of(System.getProperty("java.io.tmpdir"),
                "lifeboat-spools-ec2"), RunSignals.NONE, disks).run("p", "back");
        assertEquals(Restore.Phase.Completed, restore.phase(), restore.results().toString());
        assertEquals(2, api.createdVolumes.size());
        String dataHandle = target.objects().get("persistentvolumes/pv-data").path("spec").path("csi")
                .path("volumeHandle").asText();
        assertTrue(api.volumes.containsKey(dataHandle) && !dataHandle.equals("vol-0aaaaaaaaaaaaaaa1"), dataHandle);
        String logsId = target.objects().get("persistentvolumes/pv-logs").path("spec").path("awsElasticBlockStore")
                .path("volumeID").asText();
        assertTrue(logsId.startsWith("aws://us-east-1b/vol-0") && !logsId.endsWith("vol-0bbbbbbbbbbbbbbb2"), logsId);
        assertEquals("pv-data", target.objects().get("persistentvolumeclaims/shop/data").path("spec")
                .path("volumeName").asText());

        // a snapshot of another backup stays
        String other = backUp("weekly", Duration.ofSeconds(30)).diskSnapshots().get(0).snapshotId();
        ExpirySweeper sweeper = new ExpirySweeper(backups, restores, clusters, locations, (k, c) -> source, l -> store,
                clock, Duration.ofMinutes(20), disks);
        assertTrue(sweeper.deleteNow("p", "nightly"));
        assertEquals(backup.diskSnapshots().stream().map(DiskSnapshot::snapshotId).sorted().toList(),
                api.deleted.stream().sorted().toList());
        assertTrue(api.snapshots.containsKey(other));
    }

    @Test
    void aSnapshotThatStaysPendingIsReportedAndTheBackupIsNeverCompleted() {
        api.neverComplete = true;
        Backup backup = backUp("slow", Duration.ofSeconds(5));
        assertEquals(Backup.Phase.PartiallyFailed, backup.phase());
        assertEquals(2, backup.errors());
        assertTrue(backup.firstErrors().get(0).contains("not completed within 5 s"), backup.firstErrors().toString());
        assertEquals(2, backup.diskSnapshots().stream().filter(s -> s.snapshotId() != null).count(),
                "recorded, so that they are deleted with the backup");
    }
}
