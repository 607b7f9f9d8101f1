package io.lifeboat.disk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backup's native snapshots in Velero's shape, for {@code <name>-volumesnapshots.json.gz} (pkg/volume/snapshot.go:
 * {@code spec} backupName, backupUID, location, persistentVolumeName, providerVolumeID, volumeType, volumeAZ,
 * volumeIOPS; {@code status} providerSnapshotID, phase), with IDs as Velero's AWS, Azure and GCP plugins give them: the
 * volume's ID is the EBS volume ID or the disk's name; the snapshot's is the EBS snapshot ID, the Azure snapshot's
 * resource ID, or the Compute Engine snapshot's name. Only snapshots the cloud accepted are written.
 */
public final class VeleroVolumeSnapshots {
    private VeleroVolumeSnapshots() {
    }

    public static List<Map<String, Object>> of(List<DiskSnapshot> snapshots, String backup, String backupUid,
                                               String location) {
        return snapshots.stream().filter(s -> s.snapshotId() != null).map(s -> {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("backupName", backup);
            spec.put("backupUID", backupUid == null ? "" : backupUid);
            spec.put("location", location);
            spec.put("persistentVolumeName", s.persistentVolume());
            spec.put("providerVolumeID", s.disk().name());
            spec.put("volumeType", s.volumeType() == null ? "" : s.volumeType());
            if (s.volumeAZ() != null) {
                spec.put("volumeAZ", s.volumeAZ());
            }
            if (s.volumeIOPS() != null) {
                spec.put("volumeIOPS", s.volumeIOPS());
            }
            Map<String, Object> status = new LinkedHashMap<>();
            // Velero's GCP plugin names a snapshot by its name alone, in its own project
            status.put("providerSnapshotID", s.cloud() == Cloud.gcp
                    ? s.snapshotId().substring(s.snapshotId().lastIndexOf('/') + 1) : s.snapshotId());
            status.put("phase", s.phase() == DiskSnapshot.Phase.Completed ? "Completed"
                    : s.phase() == DiskSnapshot.Phase.Failed ? "Failed" : "InProgress");
            Map<String, Object> snapshot = new LinkedHashMap<>();
            snapshot.put("spec", spec);
            snapshot.put("status", status);
            return snapshot;
        }).toList();
    }
}
