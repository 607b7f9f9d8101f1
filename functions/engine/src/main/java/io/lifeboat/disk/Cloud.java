package io.lifeboat.disk;

/** The clouds whose disks Lifeboat snapshots through their own API. */
public enum Cloud {
    /** EBS volumes, through EC2. */
    aws,
    /** Managed disks, through Microsoft.Compute. */
    azure,
    /** Persistent disks, through Compute Engine. */
    gcp
}
