package io.lifeboat.disk;

import io.lifeboat.run.Results;
import io.lifeboat.run.RunLog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A restore's native disks: for each completed snapshot of an included claim, a new disk made from it through the
 * cloud's API, in the snapshot's zone or the one the zone mapping names, tagged with the project, restore and claim,
 * where a node of the target cluster runs (its resource group or project, only within the location's or the original
 * disk's subscription or project; on AWS its account must be the credentials'). A zone in another region, or target nodes in another region than the snapshot's, is refused
 * with the reason (the snapshot would have to be copied there first, which Lifeboat does not do), and so is a
 * snapshot of another cloud than the location's. A disk that cannot be made is an error of the claim's namespace;
 * its volume is then not restored.
 */
public final class DiskRestorer {
    private final DiskSnapshots cloud;
    private final RunLog log;
    private final Results results;

    public DiskRestorer(DiskSnapshots cloud, RunLog log, Results results) {
        this.cloud = cloud;
        this.log = log;
        this.results = results;
    }

    /**
     * Makes the disks; returns, by backed-up volume name, the disks made. {@code targetNamespace} maps a backed-up
     * namespace to the restored one (for the tags and the messages).
     */
    public Map<String, Disk> restore(String project, String restore, List<DiskSnapshot> snapshots,
                                     Map<String, String> zoneMapping, UnaryOperator<String> targetNamespace,
                                     TargetNode node) {
        TargetNode target = node != null && node.cloud() == cloud.cloud() ? node : null;
        Map<String, Disk> made = new LinkedHashMap<>();
        String otherAccount = target == null ? null : checkNode(target);
        for (DiskSnapshot snapshot : snapshots) {
            String namespace = targetNamespace.apply(snapshot.namespace());
            String claim = snapshot.persistentVolumeClaim();
            Disk original = snapshot.disk();
            String zone = zoneOf(snapshot, zoneMapping);
            String refused = otherAccount != null ? otherAccount : refusal(snapshot, zone, target);
            if (refused != null) {
                results.error(namespace, "claim " + claim + " cannot be restored from snapshot " + snapshot.snapshotId()
                        + ": " + refused);
                continue;
            }
            try {
                Disk disk = cloud.createDisk(snapshot.snapshotId(), original, snapshot.volumeType(),
                        snapshot.volumeIOPS(), zone,
                        DiskSnapshotNames.of(project, restore, namespace, claim),
                        DiskTags.restoredDisk(project, restore, namespace, claim), target);
                made.put(snapshot.persistentVolume(), disk);
                log.info("claim " + namespace + "/" + claim + ": disk " + disk.id() + " made from snapshot "
                        + snapshot.snapshotId() + (disk.zone() == null ? "" : " in zone " + disk.zone())
                        + "; volume " + snapshot.persistentVolume() + " is restored pointing at it");
            } catch (DiskException e) {
                results.error(namespace, "claim " + claim + ": no disk could be made from snapshot "
                        + snapshot.snapshotId() + ": " + e.code() + ": " + e.getMessage());
            }
        }
        return made;
    }

    /**
     * The cloud's check of the target's node: why no disk can be made for it (another account), or null; a check the
     * cloud could not answer is logged, and the disks are made.
     */
    private String checkNode(TargetNode node) {
        try {
            String unknown = cloud.checkNode(node);
            if (unknown != null) {
                log.warn("whether the target cluster's " + node.describe() + " runs in the location's account could "
                        + "not be told (" + unknown + "): disks are made in the location's account");
            }
            return null;
        } catch (DiskException e) {
            if (e.code().equals(DiskSnapshots.OTHER_ACCOUNT)) {
                return e.getMessage();
            }
            log.warn("the target cluster's " + node.describe() + " could not be checked (" + e.code() + ": "
                    + e.getMessage() + "): disks are made in the location's account");
            return null;
        }
    }

    /** The zone the disk made from {@code snapshot} goes to: its disk's, or the one the zone mapping names. */
    public static String zoneOf(DiskSnapshot snapshot, Map<String, String> zoneMapping) {
        return snapshot.volumeAZ() == null ? null : zoneMapping.getOrDefault(snapshot.volumeAZ(), snapshot.volumeAZ());
    }

    private String refusal(DiskSnapshot snapshot, String zone, TargetNode node) {
        if (snapshot.cloud() != cloud.cloud()) {
            return "it is a " + snapshot.cloud() + " snapshot, and the location's credentials reach " + cloud.cloud()
                    + " only";
        }
        return placeRefusal(snapshot, zone, node);
    }

    /**
     * Why no disk can be made from {@code snapshot} in {@code zone} for the target's {@code node}, as far as is known
     * without asking the cloud: the zone is in another region than the snapshot's, or the node runs in another region;
     * null when nothing is known against it. A dry run plans with it, and asks no cloud.
     */
    public static String placeRefusal(DiskSnapshot snapshot, String zone, TargetNode node) {
        String region = regionRefusal(snapshot, zone);
        return region != null ? region : nodeRefusal(snapshot, zone, node);
    }

    /** The node runs in another region than the disk would be made in (null when not, or nothing is known of it). */
    private static String nodeRefusal(DiskSnapshot snapshot, String zone, TargetNode node) {
        if (node == null || node.cloud() != snapshot.cloud() || node.region() == null) {
            return null;
        }
        String diskRegion = zone != null ? DiskOf.regionOf(snapshot.cloud(), zone) : null;
        String snapshotRegion = DiskOf.regionOf(snapshot.cloud(), snapshot.volumeAZ());
        String region = diskRegion != null ? diskRegion : snapshotRegion;
        if (region != null && !region.equals(node.region())) {
            return "the target cluster's " + node.describe() + " runs in region " + node.region() + ", and the snapshot is"
                    + " in " + region + ": it would have to be copied there first, which Lifeboat does not do";
        }
        return null;
    }

    /** The zone is in another region than the snapshot's (null when not, or nothing is known of them). */
    private static String regionRefusal(DiskSnapshot snapshot, String zone) {
        String from = DiskOf.regionOf(snapshot.cloud(), snapshot.volumeAZ());
        String to = DiskOf.regionOf(snapshot.cloud(), zone);
        if (from != null && to != null && !Objects.equals(from, to)) {
            return "zone " + zone + " is in region " + to + ", and the snapshot is in " + from + ": it would have to be "
                    + "copied there first, which Lifeboat does not do";
        }
        return null;
    }
}
