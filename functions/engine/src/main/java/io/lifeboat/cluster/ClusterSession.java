package io.lifeboat.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.discovery.Discovery;
import io.lifeboat.discovery.PreferredResources;
import io.lifeboat.discovery.ResourceType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One open connection to a cluster, the one port through which Lifeboat reaches clusters: what its kubeconfig leads
 * to and whether it answers (registration), discovery, lists one page at a time (backup), lookups, creates and
 * updates (restore), and CSI snapshots of volumes (backup, and the expiry that deletes them). Opened by
 * {@link ClusterSessions}; closing it releases the connection.
 */
public interface ClusterSession extends AutoCloseable {
    /** The context the kubeconfig selects, its API server, and whether it turns TLS verification off. */
    KubeconfigTarget target();

    /** Asks the API server for its version, and proves the credentials with a small list; never throws. */
    ClusterStatus health();

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

    /** The type the cluster serves for a resource folder of the archive ({@code deployments.apps}), at its preferred version. */
    Optional<ResourceType> type(String resourceFolder);

    /** Waits until the cluster serves the type (after its CRD was created); false on timeout. */
    boolean awaitType(String resourceFolder, Duration timeout);

    /** The live object, or empty. */
    Optional<ObjectNode> get(ResourceType type, String namespace, String name);

    /** Creates the object; throws {@link Rejected} when the API server refuses it (409 AlreadyExists included). */
    void create(ResourceType type, ObjectNode item);

    /** Replaces the live object's content with the item's (keeping the live resourceVersion). */
    void update(ResourceType type, ObjectNode item, ObjectNode live);

    boolean storageClassExists(String name);

    /**
     * Creates the CSI VolumeSnapshot {@code name} (see {@code snapshot.SnapshotNames}) of a claim's volume, of the
     * driver's class and labelled with the backup, and returns at once: the snapshot started (its name set, no handle
     * yet), or why none could be (error set, never an exception). A VolumeSnapshot of that name is taken only when this
     * backup created it (its labels and its source claim say so, as after a retry); any other is an error of the
     * claim, is left untouched, and is not named in the result.
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

    /** The context a kubeconfig selects, its server, and whether it turns TLS verification off. */
    record KubeconfigTarget(String context, String server, boolean insecureSkipTlsVerify) {
    }

    /** A PersistentVolumeClaim in a backup, and the volume bound to it. */
    record Claim(String namespace, String name, String volumeName) {
    }

    /** A page and the token of the next one (null on the last page); remaining is the server's estimate, or -1. */
    record Page(List<ObjectNode> items, String continueToken, long remaining) {
    }

    /** A failed read; {@code retryable} for 5xx, 429 and timeouts. */
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

    /** The API server refused a write or a lookup; {@code status} is its HTTP status (409 for AlreadyExists). */
    class Rejected extends RuntimeException {
        private final int status;

        public Rejected(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    @Override
    default void close() {
    }
}
