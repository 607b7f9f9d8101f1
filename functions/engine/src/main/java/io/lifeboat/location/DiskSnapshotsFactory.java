package io.lifeboat.location;

import io.lifeboat.disk.DiskException;
import io.lifeboat.disk.DiskSnapshots;

/**
 * Opens the disk snapshots of a location's cloud, with the location's credentials: EC2 for an aws location, Microsoft
 * Compute for azure, Compute Engine for gcp. Throws {@link DiskException} when the location's cloud has no disks (minio)
 * or this Lifeboat reaches none.
 */
public interface DiskSnapshotsFactory {
    /** A Lifeboat without native snapshots: every open is refused with the reason. */
    DiskSnapshotsFactory NONE = location -> {
        throw new DiskException("Unsupported", false, "this Lifeboat is not set up to snapshot disks through a cloud's API");
    };

    DiskSnapshots open(Location location);
}
