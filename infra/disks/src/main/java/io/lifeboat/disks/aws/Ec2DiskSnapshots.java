package io.lifeboat.disks.aws;

import io.lifeboat.disk.Cloud;
import io.lifeboat.disk.Disk;
import io.lifeboat.disk.DiskException;
import io.lifeboat.disk.DiskOf;
import io.lifeboat.disk.DiskSnapshots;
import io.lifeboat.disk.SnapshotState;
import io.lifeboat.disk.TargetNode;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.CreateVolumeRequest;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * EBS snapshots through the EC2 API (AWS SDK v2): DescribeVolumes (the disk's type and IOPS, and "not found"),
 * CreateSnapshot with its tags given at once (TagSpecifications: no untagged snapshot exists even for a moment),
 * DescribeSnapshots (state, tags; by tag filters for the deletion), CreateVolume from a snapshot in a zone, and
 * DeleteSnapshot. The tags and IDs are EC2's own, unchanged; the {@code Name} tag carries Lifeboat's name.
 * Before a restore makes its disks, the target node's instance is looked up (DescribeInstances): one that EC2 does not
 * know in the credentials' account and region is another account's, where a volume made here could never be
 * attached, and the disks are refused saying so; when EC2 will not say (no permission, throttled), the restore is told
 * why and goes on.
 */
public final class Ec2DiskSnapshots implements DiskSnapshots {
    private static final Set<String> THROTTLED = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException",
            "SnapshotCreationPerVolumeRateExceeded", "ConcurrentSnapshotLimitExceeded");
    private static final Set<String> IOPS_TYPES = Set.of("io1", "io2", "gp3");

    private final Ec2Client ec2;
    private final AutoCloseable companions;

    public Ec2DiskSnapshots(Ec2Client ec2, AutoCloseable companions) {
        this.ec2 = ec2;
        this.companions = companions;
    }

    @Override
    public Cloud cloud() {
        return Cloud.aws;
    }

    @Override
    public Started createSnapshot(Disk disk, String name, Map<String, String> tags) {
        List<Volume> volumes = call("DescribeVolumes", () -> ec2.describeVolumes(r -> r.volumeIds(disk.id())).volumes());
        if (volumes.isEmpty()) {
            throw new DiskException("InvalidVolume.NotFound", false, "the volume '" + disk.id() + "' does not exist");
        }
        Volume volume = volumes.get(0);
        CreateSnapshotResponse created = call("CreateSnapshot", () -> ec2.createSnapshot(r -> r.volumeId(disk.id())
                .description("Lifeboat snapshot " + name + " of " + disk.id())
                .tagSpecifications(tagged(ResourceType.SNAPSHOT, name, tags))));
        Long iops = volume.iops() != null && IOPS_TYPES.contains(volume.volumeTypeAsString())
                ? Long.valueOf(volume.iops()) : null;
        return new Started(created.snapshotId(), volume.volumeTypeAsString(), iops);
    }

    @Override
    public SnapshotState snapshot(String snapshotId) {
        DescribeSnapshotsResponse described;
        try {
            described = call("DescribeSnapshots", () -> ec2.describeSnapshots(r -> r.snapshotIds(snapshotId)));
        } catch (DiskException e) {
            if (e.code().equals("InvalidSnapshot.NotFound")) {
                return SnapshotState.missing(snapshotId);
            }
            throw e;
        }
        if (!described.hasSnapshots() || described.snapshots().isEmpty()) {
            return SnapshotState.missing(snapshotId);
        }
        Snapshot snapshot = described.snapshots().get(0);
        SnapshotState.Status status = switch (snapshot.stateAsString()) {
            case "completed" -> SnapshotState.Status.COMPLETED;
            case "error" -> SnapshotState.Status.FAILED;
            default -> SnapshotState.Status.PENDING; // pending, recoverable, recovering
        };
        String detail = snapshot.stateMessage() != null ? snapshot.stateMessage()
                : snapshot.stateAsString() + (snapshot.progress() == null ? "" : " " + snapshot.progress());
        return new SnapshotState(snapshotId, status, detail, tags(snapshot.tags()));
    }

    @Override
    public Disk createDisk(String snapshotId, Disk original, String volumeType, Long volumeIOPS, String zone,
                           String name, Map<String, String> tags, TargetNode node) {
        String target = zone != null ? zone : original.zone();
        CreateVolumeRequest.Builder request = CreateVolumeRequest.builder().snapshotId(snapshotId)
                .availabilityZone(target).tagSpecifications(tagged(ResourceType.VOLUME, name, tags));
        if (volumeType != null && !volumeType.isEmpty()) {
            request.volumeType(volumeType);
            if (volumeIOPS != null && IOPS_TYPES.contains(volumeType)) {
                request.iops(volumeIOPS.intValue());
            }
        }
        CreateVolumeResponse created = call("CreateVolume", () -> ec2.createVolume(request.build()));
        return new Disk(Cloud.aws, created.volumeId(), created.availabilityZone(),
                DiskOf.regionOf(Cloud.aws, created.availabilityZone()), original.source());
    }

    @Override
    public boolean deleteSnapshot(String snapshotId) {
        try {
            call("DeleteSnapshot", () -> ec2.deleteSnapshot(r -> r.snapshotId(snapshotId)));
            return true;
        } catch (DiskException e) {
            if (e.code().equals("InvalidSnapshot.NotFound")) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<String> snapshotsTagged(Map<String, String> tags) {
        List<Filter> filters = new ArrayList<>();
        tags.forEach((key, value) -> filters.add(Filter.builder().name("tag:" + key).values(value).build()));
        DescribeSnapshotsRequest request = DescribeSnapshotsRequest.builder().ownerIds("self").filters(filters).build();
        List<String> ids = new ArrayList<>();
        call("DescribeSnapshots", () -> {
            ec2.describeSnapshotsPaginator(request).snapshots().forEach(s -> ids.add(s.snapshotId()));
            return ids;
        });
        return ids;
    }

    @Override
    public String checkNode(TargetNode node) {
        if (node.cloud() != Cloud.aws || node.instance() == null) {
            return null;
        }
        boolean found;
        try {
            found = call("DescribeInstances", () -> ec2.describeInstances(r -> r.instanceIds(node.instance())))
                    .reservations().stream().anyMatch(r -> r.instances().stream()
                            .anyMatch(i -> node.instance().equals(i.instanceId())));
        } catch (DiskException e) {
            if (!e.code().equals("InvalidInstanceID.NotFound")) {
                return "EC2 DescribeInstances answered " + e.code();
            }
            found = false;
        }
        if (!found) {
            throw new DiskException(OTHER_ACCOUNT, false, "the target cluster's " + node.describe() + " is not an "
                    + "instance of the account the location's credentials reach (EC2 answers InvalidInstanceID.NotFound"
                    + " in the location's region; a node of another region would be told the same): a volume made "
                    + "there could not be attached to it. Share the snapshots with the cluster's account "
                    + "(ModifySnapshotAttribute, createVolumePermission) and restore through a location whose "
                    + "credentials are in that account and region");
        }
        return null;
    }

    private static TagSpecification tagged(ResourceType type, String name, Map<String, String> tags) {
        List<Tag> list = new ArrayList<>();
        list.add(Tag.builder().key("Name").value(name).build());
        tags.forEach((key, value) -> list.add(Tag.builder().key(key).value(value).build()));
        return TagSpecification.builder().resourceType(type).tags(list).build();
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        if (tags != null) {
            tags.forEach(t -> map.put(t.key(), t.value()));
        }
        return map;
    }

    /** EC2's error code and message as a {@link DiskException}; throttling, 5xx and client failures may be retried. */
    private static <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                    ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                    ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new DiskException(code, THROTTLED.contains(code) || e.statusCode() >= 500,
                    action + ": " + message, e);
        } catch (SdkClientException e) {
            throw new DiskException("ClientError", true, action + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new DiskException("SdkError", false, action + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            ec2.close();
        } finally {
            try {
                companions.close();
            } catch (Exception ignored) {
                // the STS client of an assumed role: nothing is left to release
            }
        }
    }
}
