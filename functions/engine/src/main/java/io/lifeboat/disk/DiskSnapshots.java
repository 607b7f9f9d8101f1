package io.lifeboat.disk;

import java.util.List;
import java.util.Map;

/**
 * A cloud's disk snapshots, reached through its own API with a location's credentials: the port the native
 * snapshots of a backup, their restore and their deletion go through. Every failure is a {@link DiskException}.
 */
public interface DiskSnapshots extends AutoCloseable {
    /** The cloud whose disks this reaches. */
    Cloud cloud();

    /**
     * Looks the disk up (its type and provisioned IOPS, as Velero records them; {@link DiskException} with the cloud's
     * "not found" when it is gone), then starts a snapshot of it, named {@code name} where the cloud names snapshots,
     * carrying {@code tags}; returns at once, before the snapshot completes.
     */
    Started createSnapshot(Disk disk, String name, Map<String, String> tags);

    /** A snapshot the cloud accepted: its ID, and the disk's type and provisioned IOPS (null when it has none). */
    record Started(String snapshotId, String volumeType, Long volumeIOPS) {
    }

    /** How a snapshot stands now; {@link SnapshotState.Status#MISSING} when the cloud does not know it. */
    SnapshotState snapshot(String snapshotId);

    /**
     * Starts making a disk from a snapshot of {@code original}, in {@code zone} (null: where the cloud puts it), of
     * {@code volumeType} and {@code volumeIOPS} (null: the cloud's default) and the snapshot's size, named {@code name}
     * where the cloud names disks, carrying {@code tags}; returns the new disk, as a PV would name it.
     * {@code node} is a node of the target cluster of this cloud (null when none is known). The disk is made where it
     * runs (its Azure resource group, its GCP project) only within the location's own subscription or project or the
     * original disk's: a node that says it runs in any other is refused with {@link DiskException} code
     * {@value #OTHER_ACCOUNT}, so that a target cluster cannot send copies of a backup's disks to an account it
     * names. Without a node, the disk is made where the original was.
     */
    Disk createDisk(String snapshotId, Disk original, String volumeType, Long volumeIOPS, String zone, String name,
                    Map<String, String> tags, TargetNode node);

    /**
     * Checks, once before a restore makes its disks, whether disks made with these credentials could serve the target
     * cluster's {@code node}: throws {@link DiskException} code {@value #OTHER_ACCOUNT} when the node runs in another
     * account (on AWS: EC2 does not know its instance); returns null when it can, or when this cloud checks each
     * disk's place in {@link #createDisk} instead; returns why it could not be told (the cloud refused to say) when
     * so, and the restore goes on and logs it.
     */
    default String checkNode(TargetNode node) {
        return null;
    }

    /** The code of a disk refused because the target's nodes run in another account than the credentials reach. */
    String OTHER_ACCOUNT = "OtherAccount";

    /** Deletes a snapshot; false when the cloud did not know it (already gone). */
    boolean deleteSnapshot(String snapshotId);

    /** The IDs of the snapshots carrying every one of {@code tags}. */
    List<String> snapshotsTagged(Map<String, String> tags);

    @Override
    default void close() {
    }
}
