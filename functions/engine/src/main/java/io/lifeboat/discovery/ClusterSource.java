package io.lifeboat.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.lifeboat.backup.Backup;
import io.lifeboat.cluster.VolumeSnapshot;

import java.util.List;

/** What a backup asks of a cluster: discovery, lists one page at a time, and CSI snapshots of volumes. */
public interface ClusterSource extends AutoCloseable {
    /**
     * Every resource type the server serves, each at the version {@link PreferredResources} chooses (subresources
     * included), and the group versions that could not be read. Throws {@link SourceException} when the server's list
     * of groups, or its core group, cannot be read.
     */
    Discovery discover();

    /**
     * One page of a list across all namespaces (or one namespace, when not null). Objects come back as the API
     * server returned them, status included, with apiVersion and kind set. Throws {@link SourceException} on failure.
     */
    Page list(ResourceType type, String namespace, String continueToken, int limit);

    /**
     * Creates the CSI VolumeSnapshot {@code name} (see {@code SnapshotNames}) of a claim's volume, of the driver's
     * class and labelled with the backup, and returns at once: the snapshot started (its name set, no handle yet), or
     * why none could be (error set, never an exception). A VolumeSnapshot of that name is taken only when this backup
     * created it (its labels and its source claim say so, as after a retry); any other is an error of the claim, is
     * left untouched, and is not named in the result.
     */
    VolumeSnapshot startSnapshot(String project, String backup, Claim claim, String name);

    /**
     * Looks once at a snapshot {@link #startSnapshot} started: ready (its handle set), failed (error set, its name
     * kept so that the snapshot is deleted with the backup), or still pending (returned as it was given).
     */
    VolumeSnapshot checkSnapshot(VolumeSnapshot started);

    /**
     * Deletes a VolumeSnapshot a backup created; true when it is gone (or was never there). Throws
     * {@link SourceException} when the cluster cannot be reached.
     */
    boolean deleteVolumeSnapshot(String namespace, String name);

    /** A PersistentVolumeClaim in a backup, and the volume bound to it. */
    record Claim(String namespace, String name, String volumeName) {
    }

    /** A page and the token of the next one (null on the last page); remaining is the server's estimate, or -1. */
    record Page(List<ObjectNode> items, String continueToken, long remaining) {
    }

    /** A failed request; {@code retryable} for 5xx, 429 and timeouts. */
    class SourceException extends RuntimeException {
        private final boolean retryable;

        public SourceException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    @Override
    default void close() {
    }
}
