package io.lifeboat.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.discovery.Discovery;
import io.lifeboat.discovery.PreferredResources;
import io.lifeboat.discovery.ResourceType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One open connection to a cluster, the one port through which Lifeboat reaches clusters: what its kubeconfig leads
 * to and whether it answers (registration), discovery, lists one page at a time (backup), lookups, creates and
 * updates (restore; also without waiting, so that one thread keeps many writes in flight), and CSI snapshots of volumes (backup, and the expiry that deletes them). Opened by
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

    /** The live object, or empty; throws {@link Rejected} when the lookup is refused. */
    Optional<ObjectNode> get(ResourceType type, String namespace, String name);

    /** Creates the object; throws {@link Rejected} when the API server refuses it (409 AlreadyExists included). */
    void create(ResourceType type, ObjectNode item);

    /**
     * Replaces the live object's content with the item's (keeping the live resourceVersion); throws {@link Rejected}
     * when the API server refuses it.
     */
    void update(ResourceType type, ObjectNode item, ObjectNode live);

    /**
     * {@link #create}, without waiting for the answer: the future completes when the API server has answered,
     * exceptionally with {@link Rejected} when it refused (409 AlreadyExists included). An adapter whose client is
     * asynchronous holds no thread while the request is in flight, nor while a 429 is waited out. This default calls
     * {@link #create} on the caller's thread (for fakes and blocking adapters: one write at a time per caller).
     */
    default CompletableFuture<Void> createAsync(ResourceType type, ObjectNode item) {
        try {
            create(type, item);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@link #get}, without waiting, as {@link #createAsync} says; by default on the caller's thread. */
    default CompletableFuture<Optional<ObjectNode>> getAsync(ResourceType type, String namespace, String name) {
        try {
            return CompletableFuture.completedFuture(get(type, namespace, name));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@link #update}, without waiting, as {@link #createAsync} says; by default on the caller's thread. */
    default CompletableFuture<Void> updateAsync(ResourceType type, ObjectNode item, ObjectNode live) {
        try {
            update(type, item, live);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    boolean storageClassExists(String name);

    /**
     * The storage classes the cluster offers, in name order: what a restore's storage-class mapping may name. Throws
     * {@link Rejected} when they cannot be read.
     */
    List<StorageClass> storageClasses();

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

    /**
     * A storage class of the cluster: its name, its provisioner, and whether it is the default one (the annotation
     * {@code storageclass.kubernetes.io/is-default-class: "true"}).
     */
    record StorageClass(String name, String provisioner, boolean isDefault) {
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
