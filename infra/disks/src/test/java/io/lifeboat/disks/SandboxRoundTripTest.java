package io.lifeboat.disks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.disk.DiskSnapshot;
import io.lifeboat.disks.aws.Ec2Api;
import io.lifeboat.disks.aws.Ec2Clients;
import io.lifeboat.disks.aws.Ec2DiskSnapshotsTest;
import io.lifeboat.disks.azure.ArmApi;
import io.lifeboat.disks.azure.AzureDiskSnapshotsTest;
import io.lifeboat.disks.gcp.ComputeApi;
import io.lifeboat.disks.gcp.GceDiskSnapshotsTest;
import io.lifeboat.disks.http.Recorder;
import io.lifeboat.disks.providers.ProviderDiskSnapshotsFactory;
import io.lifeboat.expiry.ExpirySweeper;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.kube.KubeClients;
import io.lifeboat.kube.KubeClusterSessions;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.objectstore.InMemoryObjectStore;
import io.lifeboat.restore.ExistingResourcePolicy;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreExecutor;
import io.lifeboat.sandbox.kube.CloudDiskVolumes;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.lifeboat.signal.RunSignals;
import io.lifeboat.work.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The round trip of issue 17 with everything real but the clouds: a sandbox API server serving claims on EBS, Azure
 * Disk and GCE PD volumes (CSI and in-tree, {@link CloudDiskVolumes}) read through the cluster adapter; a backup per
 * cloud into a location in native mode, its snapshots taken through the real clients (the EC2 SDK, the ARM and Compute
 * Engine REST clients) against recorders of the clouds' APIs; a restore with restorePVs into a second sandbox, whose
 * volumes point at the disks made from the snapshots and whose claims bind to them; and the deletion, which deletes
 * those snapshots and no other. The second sandbox has a node of each cloud (its providerID and labels as each cloud's
 * kubelet registers them): the AWS one an instance EC2 knows, the Azure one in another resource group (where its
 * disks are made), the GCE one in the service account's project.
 */
class SandboxRoundTripTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static SandboxCluster source;
    static SandboxCluster target;
    static Recorder ec2Recorder;
    static Recorder armRecorder;
    static Recorder computeRecorder;
    static final Ec2Api EC2 = new Ec2Api().volume(CloudDiskVolumes.EBS_CSI.diskId(), "us-east-1a", "gp3", 3000)
            .volume(CloudDiskVolumes.EBS_IN_TREE.diskId(), "us-east-1b", "gp2", 100);
    static final ArmApi ARM = new ArmApi().disk(CloudDiskVolumes.AZURE_CSI.diskId(), "eastus2", "1", "Premium_LRS")
            .disk(CloudDiskVolumes.AZURE_IN_TREE.diskId(), "eastus2", "2", "StandardSSD_LRS");
    static final ComputeApi COMPUTE = new ComputeApi(GceDiskSnapshotsTest.KEYS.getPublic(), GceDiskSnapshotsTest.ACCOUNT)
            .disk(CloudDiskVolumes.GCE_CSI.diskId(), "pd-balanced")
            .disk("projects/shop-prod/zones/europe-west1-c/disks/" + CloudDiskVolumes.GCE_IN_TREE.diskId(), "pd-standard");

    final ManualClock clock = new ManualClock();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final KubeClusterSessions sessions = new KubeClusterSessions(KubeClients.defaults(), 60_000);

    @BeforeAll
    static void start() throws Exception {
        source = SandboxCluster.builder().name("source").start();
        CloudDiskVolumes.install(source.client());
        target = SandboxCluster.builder().name("target").start();
        node("ip-10-1-0-5.ec2.internal", "aws:///us-east-1a/i-0a1b2c3d4e5f60718", "us-east-1", "us-east-1a");
        EC2.instances.put("i-0a1b2c3d4e5f60718", "us-east-1a");
        node("aks-dr-vmss000000", "azure:///subscriptions/" + CloudDiskVolumes.AZURE_SUBSCRIPTION
                + "/resourceGroups/mc_dr_aks_eastus2/"
                + "providers/Microsoft.Compute/virtualMachineScaleSets/aks-dr-vmss/virtualMachines/0", "eastus2", "eastus2-1");
        node("gke-dr-pool-1", "gce://shop-prod/europe-west1-c/gke-dr-pool-1", "europe-west1", "europe-west1-c");
        ec2Recorder = new Recorder(EC2);
        armRecorder = new Recorder(ARM);
        computeRecorder = new Recorder(COMPUTE);
        COMPUTE.tokenUri = computeRecorder.uri() + "/token";
    }

    static void node(String name, String providerId, String region, String zone) {
        target.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("topology.kubernetes.io/region", region).addToLabels("topology.kubernetes.io/zone", zone)
                .endMetadata().withNewSpec().withProviderID(providerId).endSpec().build()).create();
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
        for (Recorder recorder : List.of(ec2Recorder, armRecorder, computeRecorder)) {
            recorder.close();
            assertEquals(List.of(), recorder.refusals());
        }
    }

    ProviderDiskSnapshotsFactory disks() {
        return new ProviderDiskSnapshotsFactory(new Ec2Clients(new Ec2Clients.Access(ec2Recorder.uri(), null, null),
                OutboundPolicy.localMode()), new ProviderDiskSnapshotsFactory.Endpoints(armRecorder.uri(),
                armRecorder.uri(), computeRecorder.uri()), OutboundPolicy.localMode(), Clock.systemUTC());
    }

    Location location(String cloud) {
        Location l = switch (cloud) {
            case "aws" -> Ec2DiskSnapshotsTest.location();
            case "azure" -> AzureDiskSnapshotsTest.location(armRecorder, ArmApi.SECRET);
            default -> GceDiskSnapshotsTest.location(computeRecorder);
        };
        return new Location(l.project(), cloud, l.provider(), l.bucket(), cloud, l.fields(), l.status(), l.createdAt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws", "azure", "gcp"})
    void eachCloudsDisksAreSnapshottedRestoredAndDeleted(String cloud) throws Exception {
        String namespace = cloud + "-disks";
        List<CloudDiskVolumes.Volume> volumes = CloudDiskVolumes.ALL.stream().filter(v -> v.namespace().equals(namespace)).toList();
        clusters.create(new Cluster("p", "source", source.kubeconfigYaml(), null, source.url(), ClusterStatus.unknown(), clock.instant()));
        clusters.create(new Cluster("p", "target", target.kubeconfigYaml(), null, target.url(), ClusterStatus.unknown(), clock.instant()));
        locations.create(location(cloud));
        String backupName = "nightly-" + cloud;
        backups.create(Backup.requested("p", backupName, "source", cloud, List.of(namespace), null, true, clock.instant(),
                clock.instant().plusSeconds(3600)));
        Backup backup = new BackupExecutor(backups, clusters, locations, sessions, l -> store, clock, clock,
                new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(60), Duration.ofSeconds(1)), RunSignals.NONE,
                disks()).run("p", backupName);

        assertEquals(Backup.Phase.Completed, backup.phase(), backup.firstErrors().toString());
        assertEquals(volumes.size(), backup.diskSnapshots().size());
        assertTrue(backup.diskSnapshots().stream().allMatch(DiskSnapshot::taken), backup.diskSnapshots().toString());
        JsonNode velero = JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(store.objects().get(
                Layout.backupObject(cloud, backupName, Layout.BackupFile.VOLUME_SNAPSHOTS)))));
        assertEquals(volumes.size(), velero.size());
        for (JsonNode snapshot : velero) {
            assertEquals("Completed", snapshot.path("status").path("phase").asText());
            assertTrue(volumes.stream().anyMatch(v -> v.volume().equals(snapshot.path("spec").path("persistentVolumeName").asText())));
        }

        String restoreName = "back-" + cloud;
        restores.create(Restore.requested("p", restoreName, backupName, "target", new Restore.Request(false, false, true,
                List.of(), Map.of(), Map.of(), ExistingResourcePolicy.none, Map.of(), List.of(), false, Map.of()), clock.instant()));
        Restore restore = new RestoreExecutor(restores, backups, clusters, locations, sessions, l -> store, clock,
                Duration.ofSeconds(5), ArchiveLimits.DEFAULTS, Path.of(System.getProperty("java.io.tmpdir"),
                "lifeboat-spools-disks"), RunSignals.NONE, disks()).run("p", restoreName);
        assertEquals(Restore.Phase.Completed, restore.phase(), restore.results().toString());
        if (cloud.equals("aws")) {
            assertTrue(ec2Recorder.requests().stream().anyMatch(r -> "DescribeInstances".equals(r.form().get("Action"))
                    && "i-0a1b2c3d4e5f60718".equals(r.form().get("InstanceId.1"))), "the node's instance is checked");
        }
        for (CloudDiskVolumes.Volume v : volumes) {
            PersistentVolume restored = target.client().persistentVolumes().withName(v.volume()).get();
            assertTrue(restored != null, v.volume() + " is restored, pointing at its new disk");
            String disk = diskOf(restored);
            assertNotEquals(v.diskId(), disk, "a new disk, made from the snapshot");
            assertTrue(disk.contains("lb-" + restoreName) || disk.startsWith("aws://") || disk.startsWith("vol-"), disk);
            if (cloud.equals("azure")) {
                assertTrue(disk.startsWith("/subscriptions/" + CloudDiskVolumes.AZURE_SUBSCRIPTION
                        + "/resourceGroups/mc_dr_aks_eastus2/providers/Microsoft.Compute/disks/"), "the node's group: " + disk);
            }
            assertEquals(v.volume(), target.client().persistentVolumeClaims().inNamespace(namespace).withName(v.claim())
                    .get().getSpec().getVolumeName(), "the claim binds to the restored volume");
        }

        ExpirySweeper sweeper = new ExpirySweeper(backups, restores, clusters, locations, sessions, l -> store, clock,
                Duration.ofMinutes(20), disks());
        int before = deleted(cloud).size();
        assertTrue(sweeper.deleteNow("p", backupName));
        List<String> deletedNow = deleted(cloud).subList(before, deleted(cloud).size());
        assertEquals(backup.diskSnapshots().stream().map(DiskSnapshot::snapshotId).sorted().toList(),
                deletedNow.stream().sorted().toList());
    }

    private static List<String> deleted(String cloud) {
        return switch (cloud) {
            case "aws" -> EC2.deleted;
            case "azure" -> ARM.deleted;
            default -> COMPUTE.deleted;
        };
    }

    private static String diskOf(PersistentVolume volume) {
        var spec = volume.getSpec();
        if (spec.getCsi() != null) {
            return spec.getCsi().getVolumeHandle();
        }
        if (spec.getAwsElasticBlockStore() != null) {
            return spec.getAwsElasticBlockStore().getVolumeID();
        }
        if (spec.getAzureDisk() != null) {
            return spec.getAzureDisk().getDiskURI();
        }
        return spec.getGcePersistentDisk().getPdName();
    }
}
