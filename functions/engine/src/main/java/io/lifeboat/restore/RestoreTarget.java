package io.lifeboat.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.discovery.ResourceType;

import java.time.Duration;
import java.util.Optional;

/** What a restore asks of the cluster it restores into. */
public interface RestoreTarget extends AutoCloseable {
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

    /** The API server refused a request; {@code status} is its HTTP status (409 for AlreadyExists). */
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
