package io.lifeboat.location;

import java.util.Locale;

/**
 * How a backup with "include all disks" snapshots the disks of its claims: through CSI VolumeSnapshots (the cluster's
 * snapshot controller), through the cloud's own API with the location's credentials (native), or CSI where the claim's
 * driver has a VolumeSnapshotClass in the cluster and native otherwise (auto).
 */
public enum SnapshotMode {
    CSI, NATIVE, AUTO;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode of a wire name, or null. */
    public static SnapshotMode fromWire(String value) {
        for (SnapshotMode mode : values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        return null;
    }
}
