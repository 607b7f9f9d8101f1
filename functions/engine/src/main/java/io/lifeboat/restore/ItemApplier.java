package io.lifeboat.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.run.Results;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Applies one judged item to the target cluster. When the target's objects of the type were listed first
 * ({@link LiveObjects}), an item listed there is decided without a create: identical (compared as
 * {@link ObjectComparison} says), it is skipped; different, it is kept and warned about (policy {@code none}, or a
 * cluster-scoped object without includeClusterResources), or looked up and updated (policy {@code update}). Any other
 * item is created; when the API server answers 409 (it exists, unlisted), it is looked up and decided the same way.
 * A refusal is an error of the item's namespace.
 *
 * <p>It waits for nothing: each request goes through the session's asynchronous writes and lookups, and what follows
 * an answer (the next request, the decision, the messages) runs on {@code decisions}, never on the thread that
 * completed the answer (an HTTP client's event loop, a timer). Safe to call from several threads at once.
 */
final class ItemApplier {
    /** What became of an item. */
    enum Applied { CREATED, UPDATED, SKIPPED, FAILED }

    private final ClusterSession session;
    private final Results results;
    private final boolean update;
    private final boolean includeClusterResources;
    private final Executor decisions;

    ItemApplier(ClusterSession session, Results results, boolean update, boolean includeClusterResources,
                Executor decisions) {
        this.session = session;
        this.results = results;
        this.update = update;
        this.includeClusterResources = includeClusterResources;
        this.decisions = decisions;
    }

    /**
     * Starts applying the item: decided from what was listed of the type, when the item was listed there, created
     * otherwise. The future completes with what became of it; a refusal does not fail it (the item is an error of its
     * namespace, and {@link Applied#FAILED}), anything else that goes wrong does.
     */
    CompletableFuture<Applied> apply(ResourceType type, ObjectNode item, LiveObjects listed) {
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
        String name = item.path("metadata").path("name").asText();
        String id = id(type, namespace, name);
        item.put("apiVersion", type.groupVersion());
        CompletableFuture<Applied> decided;
        try {
            decided = decide(type, item, listed, namespace, name, id);
        } catch (RuntimeException e) {
            decided = CompletableFuture.failedFuture(e);
        }
        return decided.handle((applied, failure) -> {
            if (failure == null) {
                return applied;
            }
            if (cause(failure) instanceof ClusterSession.Rejected e) { // a lookup failed
                results.error(namespace, id + " could not be restored: " + e.getMessage());
                return Applied.FAILED;
            }
            throw new CompletionException(cause(failure));
        });
    }

    private CompletableFuture<Applied> decide(ResourceType type, ObjectNode item, LiveObjects listed, String namespace,
                                              String name, String id) {
        if (listed.contains(namespace, name)) {
            if (listed.same(namespace, name, item)) {
                return done(Applied.SKIPPED);
            }
            if (!update || keptAsItIs(type)) {
                return done(differs(type, namespace, id));
            }
            return answer(session.getAsync(type, namespace, name)).thenCompose(live -> live.isEmpty()
                    ? create(type, item, namespace, name, id) // deleted since it was listed
                    : existing(type, item, live.get(), namespace, id));
        }
        return create(type, item, namespace, name, id);
    }

    private CompletableFuture<Applied> create(ResourceType type, ObjectNode item, String namespace, String name,
                                              String id) {
        return answer(session.createAsync(type, item)).handle((created, failure) -> {
            if (failure == null) {
                return done(Applied.CREATED);
            }
            if (!(cause(failure) instanceof ClusterSession.Rejected refused)) {
                return CompletableFuture.<Applied>failedFuture(cause(failure));
            }
            if (refused.status() != 409) {
                results.error(namespace, id + " was refused by the API server: " + refused.getMessage());
                return done(Applied.FAILED);
            }
            return answer(session.getAsync(type, namespace, name)).thenCompose(live -> live.isEmpty()
                    ? done(differs(type, namespace, id)) // it existed a moment ago; as it is now is unknown
                    : existing(type, item, live.get(), namespace, id));
        }).thenCompose(Function.identity());
    }

    /** The item exists already, as {@code live}. */
    private CompletableFuture<Applied> existing(ResourceType type, ObjectNode item, ObjectNode live, String namespace,
                                                String id) {
        if (ObjectComparison.same(live, item)) {
            return done(Applied.SKIPPED);
        }
        if (!update || keptAsItIs(type)) {
            return done(differs(type, namespace, id));
        }
        return answer(session.updateAsync(type, item, live)).handle((updated, failure) -> {
            if (failure == null) {
                return Applied.UPDATED;
            }
            if (cause(failure) instanceof ClusterSession.Rejected refused) {
                results.error(namespace, id + " could not be updated: " + refused.getMessage());
                return Applied.FAILED;
            }
            throw new CompletionException(cause(failure));
        });
    }

    /** The session's answer, what follows it moved onto {@code decisions}. */
    private <T> CompletableFuture<T> answer(CompletableFuture<T> sent) {
        return sent.whenCompleteAsync((answered, failure) -> {
        }, decisions);
    }

    private static CompletableFuture<Applied> done(Applied applied) {
        return CompletableFuture.completedFuture(applied);
    }

    /** What failed, without the wrapping of the stages it went through. */
    static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private boolean keptAsItIs(ResourceType type) {
        return keptAsItIs(type, includeClusterResources);
    }

    /**
     * A restore without includeClusterResources never changes an existing cluster-scoped object. With
     * {@link #warnDiffers}, the one rule for an existing object that differs, which a dry run follows too.
     */
    static boolean keptAsItIs(ResourceType type, boolean includeClusterResources) {
        return !type.namespaced() && !includeClusterResources;
    }

    /** The item exists and differs, and is kept as it is. */
    private Applied differs(ResourceType type, String namespace, String id) {
        warnDiffers(results, type, namespace, id, includeClusterResources);
        return Applied.SKIPPED;
    }

    /** The warning of an item that exists, differs, and is kept as it is. */
    static void warnDiffers(Results results, ResourceType type, String namespace, String id,
                            boolean includeClusterResources) {
        if (keptAsItIs(type, includeClusterResources)) {
            results.warn(null, id + " already exists and differs from the backup; kept as it is (a restore "
                    + "without includeClusterResources never changes an existing cluster-scoped object)");
        } else {
            results.warn(namespace, id + " already exists and differs from the backup; kept as it is "
                    + "(existingResourcePolicy none)");
        }
    }

    /** How a restore names an item in its messages: {@code deployments.apps shop/web}. */
    static String id(ResourceType type, String namespace, String name) {
        return type.groupResource() + " " + (namespace == null ? "" : namespace + "/") + name;
    }
}
