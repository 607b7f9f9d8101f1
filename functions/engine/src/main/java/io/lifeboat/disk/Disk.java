package io.lifeboat.disk;

/**
 * The cloud disk behind a PersistentVolume, as {@link DiskOf} reads it.
 * <ul>
 * <li>{@code id}: the EBS volume ID ({@code vol-…}); the Azure disk's resource ID
 * ({@code /subscriptions/S/resourceGroups/G/providers/Microsoft.Compute/disks/D}); the persistent disk's path
 * ({@code projects/P/zones/Z/disks/D}, or {@code zones/Z/disks/D} when the PV does not say the project: an in-tree
 * {@code gcePersistentDisk}, whose project is the location's).</li>
 * <li>{@code zone}: the availability zone ({@code us-east-1a}, {@code eastus-1}, {@code europe-west1-b}), or null
 * when the PV says none (an Azure disk outside zones).</li>
 * <li>{@code region}: the region, when known.</li>
 * <li>{@code source}: where the PV names it: its CSI driver, or its in-tree field.</li>
 * </ul>
 */
public record Disk(Cloud cloud, String id, String zone, String region, String source) {
    /** The last segment of the id: the disk's own name. */
    public String name() {
        int slash = id.lastIndexOf('/');
        return slash < 0 ? id : id.substring(slash + 1);
    }
}
