package io.lifeboat.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.discovery.ResourceType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The objects of one type that exist in the target before the type is applied, read with one paged list (across all
 * namespaces, or one list per restored namespace when they are few) and kept as the {@link ObjectComparison#digest}
 * of each, by namespace and name: about 150 bytes an object, and never more than {@code budget} objects listed.
 * A restore decides from it, without a request, that an object exists and whether it differs, as Velero does from its
 * informer cache.
 *
 * <p>What it holds is what the list saw: an object it does not hold may still exist (the list failed, stopped at its
 * budget, or the object appeared since), and is created and, when the API server answers 409, looked up, as without
 * it. So a list that fails, or stops, only costs speed.
 */
final class LiveObjects {
    /** Objects asked for in each page. */
    static final int PAGE = 500;
    /** Up to this many restored namespaces are listed one by one; more are listed across all namespaces. */
    static final int NAMESPACES_LISTED_ONE_BY_ONE = 8;

    /** Knows of no object: every item is created first. */
    static final LiveObjects NONE = new LiveObjects(Map.of(), false);

    private final Map<String, byte[]> digests;
    private final boolean complete;

    private LiveObjects(Map<String, byte[]> digests, boolean complete) {
        this.digests = digests;
        this.complete = complete;
    }

    /**
     * Lists the type's objects in the target. {@code namespaces} are the restored ones of a namespaced type (null:
     * any namespace, or a cluster-scoped type); objects of other namespaces are not kept. Lists at most {@code budget}
     * objects. A list that fails is said to {@code note} (why, never the body), and what was read until then is kept.
     */
    static LiveObjects read(ClusterSession session, ResourceType type, Set<String> namespaces, long budget,
                            Consumer<String> note) {
        Map<String, byte[]> digests = new HashMap<>();
        long[] left = {budget};
        boolean oneByOne = type.namespaced() && namespaces != null && namespaces.size() <= NAMESPACES_LISTED_ONE_BY_ONE;
        if (!oneByOne) {
            String failure = readAll(session, type, null, namespaces, digests, left);
            if (failure == null || !type.namespaced() || namespaces == null) {
                report(type, failure, left[0], note);
                return new LiveObjects(digests, failure == null && left[0] > 0);
            }
            oneByOne = true; // a restore allowed to list in its namespaces only
        }
        String failure = null;
        for (String namespace : namespaces.stream().sorted().toList()) {
            failure = readAll(session, type, namespace, null, digests, left);
            if (failure != null) {
                break;
            }
        }
        report(type, failure, left[0], note);
        return new LiveObjects(digests, failure == null && left[0] > 0);
    }

    private static void report(ResourceType type, String failure, long left, Consumer<String> note) {
        if (failure != null) {
            note.accept("the target's " + type.groupResource() + " could not be listed (" + failure
                    + "): each one that exists is looked up after its create is refused");
        } else if (left <= 0) {
            note.accept("the target holds more " + type.groupResource() + " than a restore lists: the ones not listed "
                    + "are looked up after their create is refused");
        }
    }

    /** Reads every page of one list into {@code digests}; the failure, or null. */
    private static String readAll(ClusterSession session, ResourceType type, String namespace, Set<String> kept,
                                  Map<String, byte[]> digests, long[] left) {
        String token = null;
        try {
            do {
                if (left[0] <= 0) {
                    return null;
                }
                ClusterSession.Page page = session.list(type, namespace, token, (int) Math.min(PAGE, left[0]));
                left[0] -= page.items().size();
                for (ObjectNode object : page.items()) {
                    String objectNamespace = type.namespaced() ? object.path("metadata").path("namespace").asText(null) : null;
                    if (kept == null || kept.contains(objectNamespace)) {
                        digests.put(key(objectNamespace, object.path("metadata").path("name").asText()),
                                ObjectComparison.digest(object));
                    }
                }
                token = page.continueToken();
            } while (token != null);
            return null;
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /**
     * Whether every object of the type (in the restored namespaces) was listed: the list neither failed nor stopped at
     * its budget, so that an object it does not hold did not exist when it was read.
     */
    boolean complete() {
        return complete;
    }

    /** How many objects it knows of. */
    int size() {
        return digests.size();
    }

    /** Whether the object was listed. */
    boolean contains(String namespace, String name) {
        return digests.containsKey(key(namespace, name));
    }

    /** Whether the listed object's comparable form is the item's (false when it was not listed). */
    boolean same(String namespace, String name, ObjectNode item) {
        byte[] live = digests.get(key(namespace, name));
        return live != null && Arrays.equals(live, ObjectComparison.digest(item));
    }

    private static String key(String namespace, String name) {
        return namespace == null ? name : namespace + "/" + name;
    }
}
