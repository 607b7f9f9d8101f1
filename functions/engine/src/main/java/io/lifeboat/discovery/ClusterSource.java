package io.lifeboat.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.lifeboat.backup.Backup;

import java.time.Duration;
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
     * Takes a CSI snapshot of a claim's volume (a VolumeSnapshot of the driver's class, waited for until ready) and
     * says what it got; a volume that cannot be snapshotted comes back with {@code error} set, never as an exception.
     */
    Backup.VolumeSnapshot snapshotVolume(String backup, Claim claim, Duration timeout);

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
