package io.lifeboat.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.disk.DiskOf;
import io.lifeboat.disk.DiskSnapshotTaker;
import io.lifeboat.location.SnapshotMode;
import io.lifeboat.run.RunLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which claims of a backup with "include all disks" get a CSI VolumeSnapshot and which a native snapshot, by the
 * location's {@link SnapshotMode}: all CSI, all native, or (auto) CSI where the claim's volume is of a CSI driver that
 * has a VolumeSnapshotClass in the cluster, native where {@link DiskOf} finds a cloud disk otherwise, and CSI for the
 * rest (which then says why it cannot).
 */
record DiskChoice(List<ClusterSession.Claim> byCsi, List<DiskSnapshotTaker.ClaimDisk> natively) {
    static final String CLASSES = "volumesnapshotclasses.snapshot.storage.k8s.io";

    static DiskChoice of(SnapshotMode mode, ClusterSession session, List<ClusterSession.Claim> claims,
                         Map<String, ObjectNode> volumes, RunLog log) {
        if (mode == SnapshotMode.CSI) {
            return new DiskChoice(claims, List.of());
        }
        Set<String> drivers = mode == SnapshotMode.AUTO ? classDrivers(session, log) : Set.of();
        List<ClusterSession.Claim> csi = new ArrayList<>();
        List<DiskSnapshotTaker.ClaimDisk> natively = new ArrayList<>();
        for (ClusterSession.Claim claim : claims) {
            ObjectNode volume = volumes.get(claim.volumeName());
            String driver = volume == null ? "" : volume.path("spec").path("csi").path("driver").asText("");
            boolean viaCsi = mode == SnapshotMode.AUTO && volume != null
                    && (drivers.contains(driver) || !DiskOf.of(volume).found());
            if (viaCsi) {
                csi.add(claim);
            } else {
                natively.add(new DiskSnapshotTaker.ClaimDisk(claim.namespace(), claim.name(), claim.volumeName(), volume));
            }
            if (mode == SnapshotMode.AUTO) {
                log.info("claim " + claim.namespace() + "/" + claim.name() + ": " + (viaCsi
                        ? "CSI snapshot" + (drivers.contains(driver) ? " (driver " + driver + " has a VolumeSnapshotClass)"
                        : " (its volume is no cloud disk)") : "native snapshot (no VolumeSnapshotClass for its driver)"));
            }
        }
        return new DiskChoice(csi, natively);
    }

    /** The drivers of the cluster's VolumeSnapshotClasses; none when the cluster serves none or they cannot be read. */
    private static Set<String> classDrivers(ClusterSession session, RunLog log) {
        Set<String> drivers = new TreeSet<>();
        Optional<ResourceType> type = session.type(CLASSES);
        if (type.isEmpty()) {
            return drivers;
        }
        try {
            String token = null;
            do {
                ClusterSession.Page page = session.list(type.get(), null, token, 500);
                for (JsonNode item : page.items()) {
                    drivers.add(item.path("driver").asText(""));
                }
                token = page.continueToken();
            } while (token != null && !token.isEmpty());
        } catch (ClusterSession.SourceException e) {
            log.error("the VolumeSnapshotClasses could not be read (" + e.getMessage() + "): every cloud disk is "
                    + "snapshotted natively");
        }
        return drivers;
    }
}
