package io.lifeboat.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.patch.JsonPatch;
import io.lifeboat.run.Results;
import io.lifeboat.run.RunLog;
import io.lifeboat.snapshot.SnapshotRestorer;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a restore would do with every judged item, against the target as it is, without writing to it: the restore's
 * own judgement ({@link RestorePlan}, {@link ItemRules}) has already chosen and cleaned the items, and each one is
 * then decided as {@link ItemApplier} decides it, with reads only. Types are taken in restore order; before a type,
 * its objects on the target are listed ({@link LiveObjects}, as a restore lists them), and an item is
 * <ul>
 *   <li>{@code identical} when the live object's comparable form ({@link ObjectComparison}) is the item's;</li>
 *   <li>{@code conflict} when it differs and would be kept (policy none, or a cluster-scoped object without
 *   includeClusterResources), with the restore's warning; {@code update} when policy update would replace it; both
 *   with the JSON Patch from the live object to the item;</li>
 *   <li>{@code create} when it does not exist: the list, complete, did not hold it, or a lookup found nothing (the
 *   list failed or stopped at its budget);</li>
 *   <li>{@code refused} when the restore would refuse it: a type the target does not serve (and that no CRD of this
 *   restore defines), a scope that changed, a lookup the API server refuses.</li>
 * </ul>
 * A custom type that the target serves only once this restore creates its CRD has no live objects: its items would be
 * created. What only a write can show (admission webhooks, validation, quotas) is not known to a dry run.
 */
final class DryRun {
    private final ClusterSession target;
    private final Results results;
    private final RunLog log;
    private final DryRunPlan plan;
    private final boolean update;
    private final boolean includeClusterResources;
    private final String targetCluster;
    /** The CRDs this restore would leave on the target (created, or there already): their types will be served. */
    private final Set<String> definedTypes = new HashSet<>();

    DryRun(ClusterSession target, Restore restore, Results results, RunLog log, DryRunPlan plan) {
        this.target = target;
        this.results = results;
        this.log = log;
        this.plan = plan;
        this.update = restore.request().update();
        this.includeClusterResources = restore.request().includeClusterResources();
        this.targetCluster = restore.targetCluster();
    }

    /** Told of each item's action, so that the run counts it as the restore would (created, updated, skipped). */
    interface Tally {
        void decided(DryRunPlan.Action action);
    }

    /** The claims' snapshots a restore with restorePVs would create before the claims (as {@link SnapshotRestorer}). */
    void snapshots(List<VolumeSnapshot> toRestore, RestoreOptions options, VolumePlan volumes) {
        boolean served = target.type(SnapshotRestorer.CONTENTS).isPresent() && target.type(SnapshotRestorer.SNAPSHOTS).isPresent();
        for (VolumeSnapshot snapshot : toRestore) {
            String namespace = options.targetNamespace(snapshot.namespace());
            String name = volumes.restoredSnapshotName(snapshot);
            if (!served) {
                String why = "claim " + snapshot.persistentVolumeClaim() + " cannot be restored from its snapshot: "
                        + "cluster " + targetCluster + " does not serve snapshot.storage.k8s.io";
                results.error(namespace, why);
                plan.item(SnapshotRestorer.SNAPSHOTS, namespace, name, DryRunPlan.Action.refused, why, null);
                continue;
            }
            String reason = "from snapshot " + snapshot.snapshotHandle() + ", for claim " + snapshot.persistentVolumeClaim();
            plan.item(SnapshotRestorer.CONTENTS, null, name, DryRunPlan.Action.create, reason, null);
            plan.item(SnapshotRestorer.SNAPSHOTS, namespace, name, DryRunPlan.Action.create, reason, null);
        }
    }

    /** Decides every judged item of the type, in archive order. */
    void type(ArchiveSpool spool, String folder, RestorePlan judged, Tally tally) {
        Optional<ResourceType> served = target.type(folder);
        if (served.isEmpty()) {
            boolean defined = definedTypes.contains(folder);
            if (!defined) {
                results.errorOfRun("cluster " + targetCluster + " does not serve " + folder + ": "
                        + judged.toApply(folder) + " items not restored");
            }
            spool.forEachItem(folder, item -> {
                String namespace = item.object().path("metadata").path("namespace").asText(null);
                String name = item.object().path("metadata").path("name").asText();
                if (defined) {
                    decided(folder, namespace, name, DryRunPlan.Action.create,
                            "its type is served once this restore has created its CRD", null, tally);
                } else {
                    decided(folder, namespace, name, DryRunPlan.Action.refused,
                            "cluster " + targetCluster + " does not serve " + folder, null, tally);
                }
            });
            return;
        }
        ResourceType type = served.get();
        LiveObjects listed = LiveObjects.read(target, type, judged.namespaces(folder),
                Math.min(RestoreExecutor.MOST_LISTED, 2L * judged.toApply(folder) + 1000), log::info);
        spool.forEachItem(folder, judgedItem -> decide(type, folder, judgedItem, listed, tally));
    }

    private void decide(ResourceType type, String folder, ArchiveSpool.Item judged, LiveObjects listed, Tally tally) {
        ObjectNode item = judged.object();
        String name = item.path("metadata").path("name").asText();
        if (type.namespaced() != item.path("metadata").has("namespace")) {
            String refused = folder + " " + ItemRules.shown(judged.name()) + " is not restored: the target cluster serves "
                    + folder + (type.namespaced() ? " in namespaces" : " as cluster-scoped")
                    + ", unlike the scope it was judged with";
            results.error(null, refused);
            decided(folder, judged.namespace(), name, DryRunPlan.Action.refused, refused, null, tally);
            return;
        }
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
        String id = ItemApplier.id(type, namespace, name);
        item.put("apiVersion", type.groupVersion()); // as the restore sends it
        if (listed.contains(namespace, name) && listed.same(namespace, name, item)) {
            decided(folder, namespace, name, DryRunPlan.Action.identical, null, null, tally);
            return;
        }
        if (!listed.contains(namespace, name) && listed.complete()) {
            decided(folder, namespace, name, DryRunPlan.Action.create, null, null, tally);
            return;
        }
        Optional<ObjectNode> live;
        try {
            live = target.get(type, namespace, name);
        } catch (ClusterSession.Rejected e) {
            String refused = id + " could not be restored: " + e.getMessage();
            results.error(namespace, refused);
            decided(folder, namespace, name, DryRunPlan.Action.refused, refused, null, tally);
            return;
        }
        if (live.isEmpty()) {
            decided(folder, namespace, name, DryRunPlan.Action.create, null, null, tally);
            return;
        }
        if (ObjectComparison.same(live.get(), item)) {
            decided(folder, namespace, name, DryRunPlan.Action.identical, null, null, tally);
            return;
        }
        JsonNode patch = JsonPatch.diff(ObjectComparison.comparable(live.get()), ObjectComparison.comparable(item));
        if (!update || ItemApplier.keptAsItIs(type, includeClusterResources)) {
            ItemApplier.warnDiffers(results, type, namespace, id, includeClusterResources);
            decided(folder, namespace, name, DryRunPlan.Action.conflict,
                    ItemApplier.keptAsItIs(type, includeClusterResources)
                            ? "exists and differs; a restore without includeClusterResources never changes an existing "
                            + "cluster-scoped object" : "exists and differs; existingResourcePolicy none keeps it",
                    patch, tally);
            return;
        }
        decided(folder, namespace, name, DryRunPlan.Action.update, "exists and differs; existingResourcePolicy update "
                + "replaces it", patch, tally);
    }

    private void decided(String folder, String namespace, String name, DryRunPlan.Action action, String reason,
                         JsonNode patch, Tally tally) {
        if (folder.equals(RestoreOrder.CRDS) && action != DryRunPlan.Action.refused) {
            definedTypes.add(name);
        }
        plan.item(folder, namespace, name, action, reason, patch);
        tally.decided(action);
    }
}
