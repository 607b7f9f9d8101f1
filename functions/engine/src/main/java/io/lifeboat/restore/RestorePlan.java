package io.lifeboat.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.input.Names;
import io.lifeboat.run.Results;
import io.lifeboat.run.RunLog;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one judgement of every archived item of a restore ({@link ItemRules}), made before anything is applied:
 * namespaced types first, then CRDs, then volumes, since what the included namespaced items need
 * ({@link NeededClusterObjects}) decides which CRDs and volumes are taken. Each item is decided once: its note goes
 * to the log, a refusal is an error (of its namespace, when it names a valid one), and the spool keeps only the items
 * to apply, as they will be applied (a namespaced item with its target {@code metadata.namespace}, a cluster-scoped
 * one without).
 */
final class RestorePlan {
    static final String PERSISTENT_VOLUMES = "persistentvolumes";
    private static final String CLAIMS = "persistentvolumeclaims";

    /** Past this many target namespaces of one type, {@link #namespaces} says any namespace. */
    static final int NAMESPACES_KEPT = 500;

    private final Map<String, Integer> toApply = new TreeMap<>();
    private final Map<String, Set<String>> namespaces = new TreeMap<>();
    private final Set<String> manyNamespaces = new TreeSet<>();
    private long total;

    private RestorePlan() {
    }

    /** How one item is decided: {@link ItemRules#decide}, which a test may count. */
    @FunctionalInterface
    interface Decider {
        ItemRules.Decision decide(String folder, boolean namespaced, ArchiveSpool.Item archived);
    }

    /**
     * Judges the spool's items. {@code scopes} holds each type's scope on the target, or as the archive's CRD for it
     * declares; a type absent from it is judged with the scope its archive paths show.
     */
    static RestorePlan judge(ArchiveSpool spool, Map<String, Boolean> scopes, ItemRules rules,
                             NeededClusterObjects needed, RunLog log, Results results) {
        return judge(spool, scopes, rules, rules::decide, needed, log, results);
    }

    static RestorePlan judge(ArchiveSpool spool, Map<String, Boolean> scopes, ItemRules rules, Decider decider,
                             NeededClusterObjects needed, RunLog log, Results results) {
        RestorePlan plan = new RestorePlan();
        for (String folder : spool.resourceFolders()) {
            if (!folder.equals(RestoreOrder.CRDS) && !folder.equals(PERSISTENT_VOLUMES)) {
                plan.judge(spool, folder, scopes.get(folder), rules, decider, needed, log, results);
            }
        }
        plan.judge(spool, RestoreOrder.CRDS, scopes.get(RestoreOrder.CRDS), rules, decider, needed, log, results);
        plan.judge(spool, PERSISTENT_VOLUMES, scopes.get(PERSISTENT_VOLUMES), rules, decider, needed, log,
                results);
        return plan;
    }

    private void judge(ArchiveSpool spool, String folder, Boolean known, ItemRules rules, Decider decider,
                       NeededClusterObjects needed, RunLog log, Results results) {
        int kept = spool.judge(folder, archived -> {
            boolean namespaced = known != null ? known : archived.namespace() != null;
            ItemRules.Decision decision = decider.decide(folder, namespaced, archived);
            if (decision.note() != null) {
                log.info(decision.note());
            }
            if (decision.refused() != null) {
                boolean inNamespace = namespaced && Names.isDns1123Label(archived.namespace());
                results.error(inNamespace ? rules.targetNamespace(archived.namespace()) : null, decision.refused());
                log.error(decision.refused());
            }
            if (!decision.applies()) {
                return null;
            }
            ObjectNode item = decision.item();
            keepNamespace(folder, item.path("metadata").path("namespace").asText(null));
            if (known != null && known) {
                needed.typeWithItems(folder);
                String volume = item.path("spec").path("volumeName").asText("");
                if (folder.equals(CLAIMS) && !volume.isEmpty()) {
                    needed.volumeOfClaim(volume, archived.namespace(), archived.name());
                }
            }
            return item;
        });
        toApply.put(folder, kept);
        total += kept;
    }

    private void keepNamespace(String folder, String namespace) {
        if (namespace == null || manyNamespaces.contains(folder)) {
            return;
        }
        Set<String> kept = namespaces.computeIfAbsent(folder, f -> new TreeSet<>());
        kept.add(namespace);
        if (kept.size() > NAMESPACES_KEPT) {
            namespaces.remove(folder);
            manyNamespaces.add(folder);
        }
    }

    /**
     * The target namespaces the type's items go to; null when they are too many to name, or when its items have none
     * (a cluster-scoped type).
     */
    Set<String> namespaces(String folder) {
        Set<String> kept = namespaces.get(folder);
        return kept == null ? null : Collections.unmodifiableSet(kept);
    }

    /** The items to apply, of every type. */
    long total() {
        return total;
    }

    /** The items of the type to apply. */
    int toApply(String folder) {
        return toApply.getOrDefault(folder, 0);
    }
}
