package io.lifeboat.cluster;

/**
 * A CSI snapshot taken of one claim's volume, or the reason none could be: what a cluster session answers when a
 * backup snapshots a claim, what the backup records, and what a restore provisions the claim from.
 */
public record VolumeSnapshot(String namespace, String persistentVolumeClaim, String persistentVolume, String driver,
                             String volumeSnapshotName, String snapshotHandle, String restoreSize, String error) {
    /** Created, and not yet ready nor failed. */
    public boolean pending() {
        return volumeSnapshotName != null && snapshotHandle == null && error == null;
    }

    /** Ready, with the handle a restore provisions from. */
    public boolean taken() {
        return error == null && snapshotHandle != null;
    }

    public VolumeSnapshot failed(String reason) {
        return new VolumeSnapshot(namespace, persistentVolumeClaim, persistentVolume, driver, volumeSnapshotName,
                snapshotHandle, restoreSize, reason);
    }
}
