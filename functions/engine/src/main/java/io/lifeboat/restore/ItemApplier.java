package io.lifeboat.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.run.Results;

import java.util.List;

/**
 * Applies one judged item to the target cluster: creates it; when it exists already, compares it with the live object
 * (without what servers own and without the labels naming a backup and a restore) and skips an identical one;
 * otherwise keeps a cluster-scoped object as it is when includeClusterResources is off, updates it with the
 * {@code update} policy, or warns ({@code none}). A refusal is an error of the item's namespace. Safe to call from
 * several threads at once.
 */
final class ItemApplier {
    private static final List<String> COMPARED_AWAY = List.of("generateName", "selfLink", "uid", "resourceVersion",
            "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences",
            "managedFields");

    /** What became of an item. */
    enum Applied { CREATED, UPDATED, SKIPPED, FAILED }

    private final ClusterSession session;
    private final Results results;
    private final boolean update;
    private final boolean includeClusterResources;

    ItemApplier(ClusterSession session, Results results, boolean update, boolean includeClusterResources) {
        this.session = session;
        this.results = results;
        this.update = update;
        this.includeClusterResources = includeClusterResources;
    }

    Applied apply(ResourceType type, ObjectNode item) {
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
        String name = item.path("metadata").path("name").asText();
        String id = type.groupResource() + " " + (namespace == null ? "" : namespace + "/") + name;
        item.put("apiVersion", type.groupVersion());
        try {
            session.create(type, item);
            return Applied.CREATED;
        } catch (ClusterSession.Rejected e) {
            if (e.status() != 409) {
                results.error(namespace, id + " was refused by the API server: " + e.getMessage());
                return Applied.FAILED;
            }
            return conflict(type, item, namespace, name, id);
        }
    }

    /** The item exists already. */
    private Applied conflict(ResourceType type, ObjectNode item, String namespace, String name, String id) {
        ObjectNode live = session.get(type, namespace, name).orElse(null);
        if (live != null && comparable(live).equals(comparable(item))) {
            return Applied.SKIPPED;
        }
        if (live != null && !type.namespaced() && !includeClusterResources) {
            results.warn(null, id + " already exists and differs from the backup; kept as it is (a restore "
                    + "without includeClusterResources never changes an existing cluster-scoped object)");
            return Applied.SKIPPED;
        }
        if (update && live != null) {
            try {
                session.update(type, item, live);
                return Applied.UPDATED;
            } catch (ClusterSession.Rejected refused) {
                results.error(namespace, id + " could not be updated: " + refused.getMessage());
                return Applied.FAILED;
            }
        }
        results.warn(namespace, id + " already exists and differs from the backup; kept as it is "
                + "(existingResourcePolicy none)");
        return Applied.SKIPPED;
    }

    /** An object without what servers own and without the labels naming a backup and a restore. */
    static ObjectNode comparable(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("status");
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            COMPARED_AWAY.forEach(metadata::remove);
            if (metadata.get("labels") instanceof ObjectNode labels) {
                labels.remove(ItemRules.BACKUP_LABEL);
                labels.remove(ItemRules.RESTORE_LABEL);
                if (labels.isEmpty()) {
                    metadata.remove("labels");
                }
            }
        }
        return copy;
    }
}
