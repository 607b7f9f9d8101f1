package io.lifeboat.disks.aws;

import io.lifeboat.disk.Cloud;
import io.lifeboat.disk.Disk;
import io.lifeboat.disk.DiskException;
import io.lifeboat.disk.DiskSnapshots;
import io.lifeboat.disk.DiskTags;
import io.lifeboat.disk.SnapshotState;
import io.lifeboat.disks.http.Recorder;
import io.lifeboat.disks.providers.ProviderDiskSnapshotsFactory;
import io.lifeboat.disks.providers.RecorderFactories;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EC2 adapter, through the real AWS SDK client, against a recorder speaking EC2's Query protocol on loopback. */
public class Ec2DiskSnapshotsTest {
    static final Disk DISK = new Disk(Cloud.aws, "vol-0aaaaaaaaaaaaaaa1", "us-east-1a", "us-east-1", "ebs.csi.aws.com");
    final Ec2Api api = new Ec2Api().volume("vol-0aaaaaaaaaaaaaaa1", "us-east-1a", "io2", 4000);
    Recorder recorder;
    DiskSnapshots ec2;

    public static Location location() {
        return new Location("p", "loc", Provider.AWS, "bucket", "", Map.of(LocationField.REGION, "us-east-1",
                LocationField.ACCESS_KEY_ID, "AKIDLIFEBOAT", LocationField.SECRET_ACCESS_KEY, "secret-key-of-test",
                LocationField.SNAPSHOT_MODE, "native"), LocationStatus.available(Instant.EPOCH), Instant.EPOCH);
    }

    static ProviderDiskSnapshotsFactory factory(Recorder recorder) {
        return RecorderFactories.to(recorder);
    }

    @BeforeEach
    void setUp() throws Exception {
        recorder = new Recorder(api);
        ec2 = factory(recorder).open(location());
    }

    @AfterEach
    void tearDown() {
        ec2.close();
        recorder.close();
        assertEquals(List.of(), recorder.refusals(), "every request kept EC2's rules");
    }

    @Test
    void aSnapshotIsTakenWithItsTagsAndLookedAtUntilCompleted() {
        DiskSnapshots.Started started = ec2.createSnapshot(DISK, "lb-nightly-0123", DiskTags.snapshot("p", "nightly", "shop", "data"));
        assertTrue(started.snapshotId().startsWith("snap-0"));
        assertEquals("io2", started.volumeType());
        assertEquals(4000L, started.volumeIOPS());
        List<String> actions = recorder.requests().stream().map(r -> r.form().get("Action")).toList();
        assertEquals(List.of("DescribeVolumes", "CreateSnapshot"), actions);
        Map<String, String> create = recorder.requests().get(1).form();
        assertEquals("vol-0aaaaaaaaaaaaaaa1", create.get("VolumeId"));
        assertEquals("Name", create.get("TagSpecification.1.Tag.1.Key"));
        assertEquals("lb-nightly-0123", create.get("TagSpecification.1.Tag.1.Value"));
        assertEquals(Map.of("Name", "lb-nightly-0123", "lifeboat-project", "p", "lifeboat-backup", "nightly",
                "lifeboat-claim", "shop_data"), api.snapshots.get(started.snapshotId()).tags);

        SnapshotState first = ec2.snapshot(started.snapshotId());
        assertEquals(SnapshotState.Status.PENDING, first.status());
        SnapshotState second = ec2.snapshot(started.snapshotId());
        assertEquals(SnapshotState.Status.COMPLETED, second.status());
        assertEquals("nightly", second.tags().get("lifeboat-backup"));
    }

    @Test
    void aMissingVolumeOrSnapshotIsSaidAsEc2SaysIt() {
        DiskException missing = assertThrows(DiskException.class, () -> ec2.createSnapshot(
                new Disk(Cloud.aws, "vol-0ffffffffffffffff", "us-east-1a", "us-east-1", "ebs.csi.aws.com"), "n", Map.of()));
        assertEquals("InvalidVolume.NotFound", missing.code());
        assertFalse(missing.retryable());
        assertTrue(missing.getMessage().contains("vol-0ffffffffffffffff"), missing.getMessage());
        assertEquals(SnapshotState.Status.MISSING, ec2.snapshot("snap-0123456789abcdef0").status());
        assertFalse(ec2.deleteSnapshot("snap-0123456789abcdef0"), "already gone");
    }

    @Test
    void throttlingIsRetriedByTheClientAndWhenItLastsIsARetryableError() {
        String id = ec2.createSnapshot(DISK, "n", DiskTags.snapshot("p", "b", "ns", "c")).snapshotId();
        api.throttle = 1;
        int before = recorder.requests().size();
        assertEquals(SnapshotState.Status.PENDING, ec2.snapshot(id).status());
        assertEquals(before + 2, recorder.requests().size(), "one throttled, one answered");

        api.throttle = 100;
        DiskException throttled = assertThrows(DiskException.class, () -> ec2.snapshot(id));
        assertEquals("RequestLimitExceeded", throttled.code());
        assertTrue(throttled.retryable());
        api.throttle = 0;
    }

    @Test
    void aDiskIsMadeFromASnapshotInTheZoneAskedWithItsTypeAndTags() {
        String id = ec2.createSnapshot(DISK, "n", DiskTags.snapshot("p", "b", "ns", "c")).snapshotId();
        ec2.snapshot(id);
        ec2.snapshot(id);
        Disk made = ec2.createDisk(id, DISK, "io2", 4000L, "us-east-1c", "lb-back-42",
                DiskTags.restoredDisk("p", "back", "ns", "c"), null);
        assertTrue(made.id().startsWith("vol-0"));
        assertEquals("us-east-1c", made.zone());
        assertEquals("us-east-1", made.region());
        Map<String, String> form = api.createdVolumes.get(0);
        assertEquals(id, form.get("SnapshotId"));
        assertEquals("us-east-1c", form.get("AvailabilityZone"));
        assertEquals("io2", form.get("VolumeType"));
        assertEquals("4000", form.get("Iops"));
        assertEquals("lifeboat-restore", form.get("TagSpecification.1.Tag.3.Key"));
    }

    /**
     * A target node that is an instance of the credentials' account passes the check (one DescribeInstances); one EC2
     * does not know (another account's) is refused, saying how to share the snapshots; when EC2 will not say
     * (throttled here), the check says why and the restore may go on.
     */
    @Test
    void theTargetNodeMustBeAnInstanceOfTheCredentialsAccount() throws Exception {
        api.instances.put("i-0123456789abcdef0", "us-east-1b");
        assertEquals(null, ec2.checkNode(node("ip-10-0-1-5", "aws:///us-east-1b/i-0123456789abcdef0")));
        Recorder.Request asked = recorder.requests().stream()
                .filter(r -> "DescribeInstances".equals(r.form().get("Action"))).findFirst().orElseThrow();
        assertEquals("i-0123456789abcdef0", asked.form().get("InstanceId.1"));

        DiskException refused = assertThrows(DiskException.class,
                () -> ec2.checkNode(node("ip-10-9-1-5", "aws:///us-east-1b/i-0fedcba9876543210")));
        assertEquals(DiskSnapshots.OTHER_ACCOUNT, refused.code());
        assertFalse(refused.retryable());
        assertTrue(refused.getMessage().contains("node ip-10-9-1-5 (instance i-0fedcba9876543210, region us-east-1)")
                && refused.getMessage().contains("Share the snapshots with the cluster's account"), refused.getMessage());

        api.throttle = 100;
        assertEquals("EC2 DescribeInstances answered RequestLimitExceeded",
                ec2.checkNode(node("ip-10-0-1-5", "aws:///us-east-1b/i-0123456789abcdef0")));
        api.throttle = 0;
        assertEquals(List.of(), api.createdVolumes, "a check makes nothing");
    }

    static io.lifeboat.disk.TargetNode node(String name, String providerId) throws Exception {
        return io.lifeboat.disk.TargetNode.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"providerID\":\"" + providerId + "\"}}"));
    }

    @Test
    void snapshotsAreListedByTagPageByPageAndDeleted() {
        api.pageSize = 1;
        String a = ec2.createSnapshot(DISK, "a", DiskTags.snapshot("p", "nightly", "ns", "a")).snapshotId();
        String b = ec2.createSnapshot(DISK, "b", DiskTags.snapshot("p", "nightly", "ns", "b")).snapshotId();
        ec2.createSnapshot(DISK, "c", DiskTags.snapshot("p", "weekly", "ns", "a"));
        assertEquals(List.of(a, b), ec2.snapshotsTagged(DiskTags.backup("p", "nightly")));
        Recorder.Request list = recorder.requests().stream().filter(r -> "DescribeSnapshots".equals(r.form().get("Action")))
                .findFirst().orElseThrow();
        assertEquals("tag:lifeboat-project", list.form().get("Filter.1.Name"));
        assertEquals("p", list.form().get("Filter.1.Value.1"));
        assertTrue(ec2.deleteSnapshot(a));
        assertEquals(List.of(a), api.deleted);
    }
}
