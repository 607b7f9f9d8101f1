package io.lifeboat.disk;

/**
 * A native snapshot a backup took of one claim's disk through the cloud's API, or the reason none could be: what the
 * backup records (in its record, and in Velero's shape in {@code <name>-volumesnapshots.json.gz}), what a restore
 * creates a disk from, and what the backup's deletion deletes. {@code volumeId} is the disk ({@link Disk#id()}),
 * {@code source} where the PV named it; {@code snapshotId} is set as soon as the cloud accepted the snapshot, so that a
 * backup that fails still knows what to delete.
 */
public record DiskSnapshot(String namespace, String persistentVolumeClaim, String persistentVolume, Cloud cloud,
                           String volumeId, String volumeAZ, String volumeRegion, String source, String volumeType,
                           Long volumeIOPS, String snapshotId, Phase phase, String error) {

    /** Velero's phases of a native snapshot (pkg/volume/snapshot.go), and ours while it is being taken. */
    public enum Phase { New, InProgress, Completed, Failed }

    /** The disk it was taken of. */
    public Disk disk() {
        return new Disk(cloud, volumeId, volumeAZ, volumeRegion, source);
    }

    /** Accepted by the cloud, and neither completed nor failed. */
    public boolean pending() {
        return snapshotId != null && phase == Phase.InProgress && error == null;
    }

    /** Completed: a restore can create a disk from it. */
    public boolean taken() {
        return snapshotId != null && phase == Phase.Completed && error == null;
    }

    /** Not started yet: the claim's disk, as its PV names it. */
    public static DiskSnapshot of(String namespace, String claim, String volume, Disk disk) {
        return new DiskSnapshot(namespace, claim, volume, disk.cloud(), disk.id(), disk.zone(), disk.region(),
                disk.source(), null, null, null, Phase.New, null);
    }

    /** A claim whose disk cannot be snapshotted natively, and why. */
    public static DiskSnapshot refused(String namespace, String claim, String volume, String reason) {
        return new DiskSnapshot(namespace, claim, volume, null, null, null, null, null, null, null, null, Phase.Failed,
                reason);
    }

    public DiskSnapshot started(DiskSnapshots.Started started) {
        return new DiskSnapshot(namespace, persistentVolumeClaim, persistentVolume, cloud, volumeId, volumeAZ,
                volumeRegion, source, started.volumeType(), started.volumeIOPS(), started.snapshotId(), Phase.InProgress,
                null);
    }

    public DiskSnapshot completed() {
        return new DiskSnapshot(namespace, persistentVolumeClaim, persistentVolume, cloud, volumeId, volumeAZ,
                volumeRegion, source, volumeType, volumeIOPS, snapshotId, Phase.Completed, null);
    }

    public DiskSnapshot failed(String reason) {
        return new DiskSnapshot(namespace, persistentVolumeClaim, persistentVolume, cloud, volumeId, volumeAZ,
                volumeRegion, source, volumeType, volumeIOPS, snapshotId, Phase.Failed, reason);
    }
}
