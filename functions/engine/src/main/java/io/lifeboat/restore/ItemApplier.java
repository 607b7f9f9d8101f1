package io.lifeboat.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.run.Results;

/**
 * Applies one judged item to the target cluster. When the target's objects of the type were listed first
 * ({@link LiveObjects}), an item listed there is decided without a create: identical (compared as
 * {@link ObjectComparison} says), it is skipped; different, it is kept and warned about (policy {@code none}, or a
 * cluster-scoped object without includeClusterResources), or looked up and updated (policy {@code update}). Any other
 * item is created; when the API server answers 409 (it exists, unlisted), it is looked up and decided the same way.
 * A refusal is an error of the item's namespace. Safe to call from several threads at once.
 */
final class ItemApplier {
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

    /** Creates the item, and decides on a refused create (409) from a lookup. */
    Applied apply(ResourceType type, ObjectNode item) {
        return apply(type, item, LiveObjects.NONE);
    }

    /** Decides from what was listed of the type, when the item was; creates it otherwise. */
    Applied apply(ResourceType type, ObjectNode item, LiveObjects listed) {
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
        String name = item.path("metadata").path("name").asText();
        String id = type.groupResource() + " " + (namespace == null ? "" : namespace + "/") + name;
        item.put("apiVersion", type.groupVersion());
        try {
            return decide(type, item, listed, namespace, name, id);
        } catch (ClusterSession.Rejected e) {
            results.error(namespace, id + " could not be restored: " + e.getMessage()); // a lookup failed
            return Applied.FAILED;
        }
    }

    private Applied decide(ResourceType type, ObjectNode item, LiveObjects listed, String namespace, String name,
                           String id) {
        if (listed.contains(namespace, name)) {
            if (listed.same(namespace, name, item)) {
                return Applied.SKIPPED;
            }
            if (!update || keptAsItIs(type)) {
                return differs(type, namespace, id);
            }
            ObjectNode live = session.get(type, namespace, name).orElse(null);
            if (live == null) {
                return create(type, item, namespace, name, id); // deleted since it was listed
            }
            return existing(type, item, live, namespace, id);
        }
        return create(type, item, namespace, name, id);
    }

    private Applied create(ResourceType type, ObjectNode item, String namespace, String name, String id) {
        try {
            session.create(type, item);
            return Applied.CREATED;
        } catch (ClusterSession.Rejected e) {
            if (e.status() != 409) {
                results.error(namespace, id + " was refused by the API server: " + e.getMessage());
                return Applied.FAILED;
            }
            ObjectNode live = session.get(type, namespace, name).orElse(null);
            if (live == null) {
                return differs(type, namespace, id); // it existed a moment ago; as it is now is unknown
            }
            return existing(type, item, live, namespace, id);
        }
    }

    /** The item exists already, as {@code live}. */
    private Applied existing(ResourceType type, ObjectNode item, ObjectNode live, String namespace, String id) {
        if (ObjectComparison.same(live, item)) {
            return Applied.SKIPPED;
        }
        if (!update || keptAsItIs(type)) {
            return differs(type, namespace, id);
        }
        try {
            session.update(type, item, live);
            return Applied.UPDATED;
        } catch (ClusterSession.Rejected refused) {
            results.error(namespace, id + " could not be updated: " + refused.getMessage());
            return Applied.FAILED;
        }
    }

    /** A restore without includeClusterResources never changes an existing cluster-scoped object. */
    private boolean keptAsItIs(ResourceType type) {
        return !type.namespaced() && !includeClusterResources;
    }

    /** The item exists and differs, and is kept as it is. */
    private Applied differs(ResourceType type, String namespace, String id) {
        if (keptAsItIs(type)) {
            results.warn(null, id + " already exists and differs from the backup; kept as it is (a restore "
                    + "without includeClusterResources never changes an existing cluster-scoped object)");
        } else {
            results.warn(namespace, id + " already exists and differs from the backup; kept as it is "
                    + "(existingResourcePolicy none)");
        }
        return Applied.SKIPPED;
    }
}
