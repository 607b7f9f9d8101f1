package io.lifeboat.api.view;


import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.restore.ExistingResourcePolicy;
import io.lifeboat.restore.Restore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A restore: what it restores where, with which options, and how it went. */
@Schema(name = "Restore")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreView(String name, String project, Instant createdAt, Spec spec, Status status) {

    /**
     * The request's fields, with the defaults they took; {@code dryRun}: it writes nothing to the cluster;
     * {@code zoneMapping}: where the disks made from native snapshots go (absent when none is mapped).
     */
    @Schema(name = "RestoreSpec")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String backup, String targetCluster, boolean includeClusterResources, boolean preserveNodePorts,
                       boolean restorePVs, List<String> namespaces, Map<String, String> namespaceMapping,
                       Map<String, String> storageClassMapping, ExistingResourcePolicy existingResourcePolicy,
                       Map<String, String> labelSelector, List<String> resources, boolean dryRun,
                       Map<String, String> zoneMapping) {
    }

    /**
     * {@code results}: the first warnings and errors, in Velero's shape (every one is in the results file). A dry
     * run's counts, warnings and errors are the ones the restore would have, and {@code plan} counts what it would do
     * with the archive's items (each item's is in its plan, {@code GET …/restores/{name}/plan}).
     */
    @Schema(name = "RestoreStatus")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(Restore.Phase phase, Progress progress, Restore.Counts counts, Instant startedAt,
                         Instant completedAt, int warnings, int errors, Map<String, Object> results,
                         Restore.PlanCounts plan) {
    }

    @Schema(name = "RestoreProgress")
    public record Progress(long itemsRestored, long totalItems) {
    }

    public static RestoreView of(Restore r) {
        Restore.Request q = r.request();
        return new RestoreView(r.name(), r.project(), r.createdAt(),
                new Spec(r.backup(), r.targetCluster(), q.includeClusterResources(), q.preserveNodePorts(), q.restorePVs(),
                        q.namespaces(), q.namespaceMapping(), q.storageClassMapping(), q.existingResourcePolicy(),
                        q.labelSelector(), q.resources(), q.dryRun(),
                        q.zoneMapping() == null || q.zoneMapping().isEmpty() ? null : q.zoneMapping()),
                new Status(r.phase(), new Progress(r.progress().itemsRestored(), r.progress().totalItems()), r.counts(),
                        r.startedAt(), r.completedAt(), r.warnings(), r.errors(), r.results(), r.plan()));
    }
}
