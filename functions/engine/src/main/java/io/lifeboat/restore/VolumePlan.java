package io.lifeboat.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.backup.Backup;
import io.lifeboat.snapshot.SnapshotNames;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.disk.Disk;
import io.lifeboat.disk.DiskSnapshot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a restore does with each backed-up PersistentVolume and, following from it, with its claim: Velero's rules
 * (pkg/restore/restore.go), decided in this one place before anything is applied.
 * <ul>
 * <li>A volume whose claim was snapshotted is not restored: its claim is provisioned anew, from the snapshot
 * ({@code dataSource}) with restorePVs, empty without.</li>
 * <li>A volume without a snapshot whose reclaim policy is Delete is not restored either: its claim loses
 * {@code volumeName}, to be provisioned anew (Velero: "resetting PersistentVolumeClaim for dynamic provisioning").</li>
 * <li>A volume without a snapshot whose reclaim policy is anything else (Retain) is restored as it was, its claimRef
 * without uid and resourceVersion; its claim keeps {@code volumeName}, and binds again to the same disk.</li>
 * </ul>
 * Every claim with a volumeName loses the annotations of the old binding. The decision for a volume depends on the
 * volume alone, whatever filters keep it out of the restore, so its claim is treated the same either way.
 */
public final class VolumePlan {
    public static final String RECLAIM_DELETE = "Delete";

    /** What happens to a volume of the backup. */
    public enum Fate {
        FROM_SNAPSHOT(true, "not restored: its claim is provisioned anew from its snapshot (restorePVs)"),
        SNAPSHOT_NOT_RESTORED(true, "not restored: it has a snapshot, but restorePVs is off, so its claim is provisioned "
                + "anew, empty"),
        DELETE_POLICY(true, "not restored: it has no snapshot and its reclaim policy is Delete, so its claim is "
                + "provisioned anew, empty"),
        RESTORED(false, "restored as it was, since it has no snapshot and its reclaim policy is not Delete; its claim "
                + "binds to it again"),
        FROM_DISK_SNAPSHOT(false, "restored pointing at a new disk made from its native snapshot (restorePVs); its "
                + "claim binds to it again"),
        DISK_KEPT(false, "restored as it was: a volume of that name exists on the target, so no disk was made from its "
                + "native snapshot; its claim binds to it again"),
        DISK_NOT_MADE(true, "not restored: no disk was made from its native snapshot (its claim is not restored, or "
                + "the disk could not be made: see the errors), so its claim is provisioned anew, empty");

        private final boolean provisionedAnew;
        private final String reason;

        Fate(boolean provisionedAnew, String reason) {
            this.provisionedAnew = provisionedAnew;
            this.reason = reason;
        }

        /** True when the volume is not restored, and its claim gets a new one. */
        public boolean provisionedAnew() {
            return provisionedAnew;
        }

        public String reason() {
            return reason;
        }
    }

    /** What happens to a claim: the snapshot it is provisioned from, whether it keeps its volumeName, and why. */
    public record ClaimPlan(String dataSourceSnapshot, boolean keepsVolumeName, boolean dropsDataSource, String reason) {
    }

    private final RestoreOptions options;
    /** Backed-up volume name to its snapshot, for the snapshots that were taken. */
    private final Map<String, VolumeSnapshot> snapshotsByVolume = new HashMap<>();
    /** "namespace/claim" (as backed up) to its snapshot. */
    private final Map<String, VolumeSnapshot> snapshotsByClaim = new HashMap<>();
    /** Backed-up volume name to what happens to it. */
    private final Map<String, Fate> fates = new HashMap<>();

    /** Backed-up volume name to its completed native snapshot. */
    private final Map<String, DiskSnapshot> diskSnapshotsByVolume = new HashMap<>();
    /** Backed-up volume name to the disk made from its native snapshot. */
    private final Map<String, Disk> madeDisks = new HashMap<>();
    /** Backed-up volumes a dry run would make a disk for (none is made): their volumes count as restored. */
    private final java.util.Set<String> plannedDisks = new java.util.HashSet<>();
    /** Backed-up volumes with a native snapshot that exist on the target already: no disk is made for them. */
    private final java.util.Set<String> keptVolumes = new java.util.HashSet<>();

    /** A plan from the backup's CSI snapshots; the archive's volumes are added with {@link #add}. */
    public VolumePlan(RestoreOptions options, List<VolumeSnapshot> snapshots) {
        this(options, snapshots, List.of());
    }

    /** A plan from the backup's CSI and native snapshots. */
    public VolumePlan(RestoreOptions options, List<VolumeSnapshot> snapshots, List<DiskSnapshot> diskSnapshots) {
        this.options = options;
        for (DiskSnapshot snapshot : diskSnapshots) {
            if (snapshot.taken()) {
                diskSnapshotsByVolume.put(snapshot.persistentVolume(), snapshot);
            }
        }
        for (VolumeSnapshot snapshot : snapshots) {
            if (snapshot.taken()) {
                snapshotsByVolume.put(snapshot.persistentVolume(), snapshot);
                snapshotsByClaim.put(snapshot.namespace() + "/" + snapshot.persistentVolumeClaim(), snapshot);
            }
        }
    }

    /** Takes note of a PersistentVolume of the archive, before anything is restored. */
    public void add(ObjectNode volume) {
        fates.put(volume.path("metadata").path("name").asText(), fate(volume));
    }

    /** The fate of a PersistentVolume, from its own fields and the backup's snapshots. */
    public Fate fate(ObjectNode volume) {
        String name = volume.path("metadata").path("name").asText();
        if (diskSnapshotsByVolume.containsKey(name)) {
            return diskFate(name);
        }
        if (snapshotsByVolume.containsKey(name)) {
            return options.restorePVs() ? Fate.FROM_SNAPSHOT : Fate.SNAPSHOT_NOT_RESTORED;
        }
        String policy = volume.path("spec").path("persistentVolumeReclaimPolicy").asText("");
        return policy.equals(RECLAIM_DELETE) ? Fate.DELETE_POLICY : Fate.RESTORED;
    }

    /** The snapshots a restore re-creates (restorePVs), for the claims of the included namespaces. */
    public List<VolumeSnapshot> snapshotsToRestore() {
        if (!options.restorePVs()) {
            return List.of();
        }
        return snapshotsByClaim.values().stream()
                .filter(s -> options.namespaces().isEmpty() || options.namespaces().contains(s.namespace()))
                .sorted(java.util.Comparator.comparing((VolumeSnapshot s) -> s.namespace())
                        .thenComparing(VolumeSnapshot::persistentVolumeClaim))
                .toList();
    }

    /** The native snapshots a restore makes disks from (restorePVs), for the claims of the included namespaces. */
    public List<DiskSnapshot> diskSnapshotsToRestore() {
        if (!options.restorePVs()) {
            return List.of();
        }
        return diskSnapshotsByVolume.values().stream()
                .filter(s -> options.namespaces().isEmpty() || options.namespaces().contains(s.namespace()))
                .sorted(java.util.Comparator.comparing((DiskSnapshot s) -> s.namespace())
                        .thenComparing(DiskSnapshot::persistentVolumeClaim))
                .toList();
    }

    private Fate diskFate(String volume) {
        return !options.restorePVs() ? Fate.SNAPSHOT_NOT_RESTORED
                : madeDisks.containsKey(volume) || plannedDisks.contains(volume) ? Fate.FROM_DISK_SNAPSHOT
                : keptVolumes.contains(volume) ? Fate.DISK_KEPT : Fate.DISK_NOT_MADE;
    }

    /** Takes note of volumes that exist on the target: no disk is made for them, and they are kept as they are. */
    public void disksKept(java.util.Collection<String> volumes) {
        keptVolumes.addAll(volumes);
    }

    /** Takes note of the disks made from native snapshots, by backed-up volume name: those volumes are restored. */
    public void disksMade(Map<String, Disk> disks) {
        madeDisks.putAll(disks);
    }

    /**
     * Takes note of the volumes a dry run would make a disk for: their fate is the one a restore that made the disk
     * gives them (the volume is restored, its claim binds to it), though no disk exists to point the volume at.
     */
    public void disksPlanned(java.util.Collection<String> volumes) {
        plannedDisks.addAll(volumes);
    }

    /** The disk made for a backed-up volume, and the one it was a snapshot of; empty when none was made. */
    public Optional<Map.Entry<Disk, Disk>> madeDisk(String volumeName) {
        Disk made = madeDisks.get(volumeName);
        DiskSnapshot snapshot = diskSnapshotsByVolume.get(volumeName);
        return made == null || snapshot == null ? Optional.empty() : Optional.of(Map.entry(snapshot.disk(), made));
    }

    /** The name of the VolumeSnapshot (and of its VolumeSnapshotContent) a restored claim is provisioned from. */
    public String restoredSnapshotName(VolumeSnapshot snapshot) {
        return SnapshotNames.of(options.restore(), options.targetNamespace(snapshot.namespace()),
                snapshot.persistentVolumeClaim());
    }

    /** What happens to a claim of the archive, by its namespace and name as backed up. */
    public ClaimPlan claim(String namespace, String name, String volumeName) {
        String id = "claim " + namespace + "/" + name;
        VolumeSnapshot snapshot = snapshotsByClaim.get(namespace + "/" + name);
        if (snapshot != null && options.restorePVs()) {
            String source = restoredSnapshotName(snapshot);
            return new ClaimPlan(source, false, false, id + " is provisioned anew from VolumeSnapshot " + source);
        }
        if (volumeName == null || volumeName.isEmpty()) {
            return new ClaimPlan(null, false, false, null);
        }
        DiskSnapshot disk = diskSnapshotsByVolume.get(volumeName);
        if (disk != null) {
            Fate diskFate = diskFate(volumeName);
            return diskFate.provisionedAnew()
                    ? new ClaimPlan(null, false, false, id + " is reset for dynamic provisioning; volume " + volumeName
                    + " is " + diskFate.reason())
                    : new ClaimPlan(null, true, false, id + " keeps volumeName " + volumeName + ", which is "
                    + diskFate.reason());
        }
        Optional<Fate> fate = Optional.ofNullable(fates.get(volumeName));
        if (snapshot != null || fate.map(Fate::provisionedAnew).orElse(false)) {
            return new ClaimPlan(null, false, snapshot != null, id + " is reset for dynamic provisioning; volume "
                    + volumeName + " is " + fate.orElse(Fate.SNAPSHOT_NOT_RESTORED).reason());
        }
        return new ClaimPlan(null, true, false, id + " keeps volumeName " + volumeName + (fate.isPresent()
                ? ", to bind again to the restored volume" : " (the volume is not in the backup)"));
    }
}
