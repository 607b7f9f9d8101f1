package io.lifeboat.restore;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A restore of one backup into one cluster: what was asked, and how it went. A dry run ({@code request.dryRun})
 * writes nothing to the cluster: its counts, warnings and errors are the ones the restore would have, and
 * {@code plan} counts what it would do with each item (the plan itself, item by item, is a file beside its results).
 */
public record Restore(String project, String name, String backup, String targetCluster, Request request, Phase phase,
                      Progress progress, Counts counts, Instant createdAt, Instant startedAt, Instant completedAt,
                      int warnings, int errors, Map<String, Object> results, PlanCounts plan) {

    public enum Phase { New, InProgress, Completed, PartiallyFailed, Failed;

        public boolean finished() {
            return this == Completed || this == PartiallyFailed || this == Failed;
        }
    }

    public record Progress(long itemsRestored, long totalItems) {
    }

    /** What happened to the items taken: created, updated (policy "update"), skipped (identical, or kept). */
    public record Counts(long created, long updated, long skipped) {
    }

    /**
     * A dry run's account of the archive's items: how many it would create, skip as identical, update, keep as they
     * are though they differ (conflict), refuse, and leave out (not included by the options).
     */
    public record PlanCounts(long create, long identical, long update, long conflict, long refused, long excluded) {
    }

    /**
     * The options as asked, kept with the record; {@code dryRun}: compute what the restore would do, write nothing;
     * {@code zoneMapping}: the zone each disk made from a native snapshot goes to, by its snapshotted disk's zone.
     */
    public record Request(boolean includeClusterResources, boolean preserveNodePorts, boolean restorePVs,
                          List<String> namespaces, Map<String, String> namespaceMapping,
                          Map<String, String> storageClassMapping, ExistingResourcePolicy existingResourcePolicy,
                          Map<String, String> labelSelector, List<String> resources, boolean dryRun,
                          Map<String, String> zoneMapping) {

        /** Options of a restore that applies what it restores, without a zone mapping. */
        public Request(boolean includeClusterResources, boolean preserveNodePorts, boolean restorePVs,
                       List<String> namespaces, Map<String, String> namespaceMapping,
                       Map<String, String> storageClassMapping, ExistingResourcePolicy existingResourcePolicy,
                       Map<String, String> labelSelector, List<String> resources) {
            this(includeClusterResources, preserveNodePorts, restorePVs, namespaces, namespaceMapping,
                    storageClassMapping, existingResourcePolicy, labelSelector, resources, false, null);
        }

        public RestoreOptions options(String backup, String restore) {
            return new RestoreOptions(backup, restore, includeClusterResources, preserveNodePorts, restorePVs, namespaces,
                    namespaceMapping, storageClassMapping, labelSelector, resources, zoneMapping);
        }

        public boolean update() {
            return existingResourcePolicy == ExistingResourcePolicy.update;
        }
    }

    public Restore {
        results = results == null ? Map.of() : results;
        progress = progress == null ? new Progress(0, 0) : progress;
        counts = counts == null ? new Counts(0, 0, 0) : counts;
    }

    /** A record as written before dry runs: without a plan. */
    public Restore(String project, String name, String backup, String targetCluster, Request request, Phase phase,
                   Progress progress, Counts counts, Instant createdAt, Instant startedAt, Instant completedAt,
                   int warnings, int errors, Map<String, Object> results) {
        this(project, name, backup, targetCluster, request, phase, progress, counts, createdAt, startedAt, completedAt,
                warnings, errors, results, null);
    }

    public static Restore requested(String project, String name, String backup, String targetCluster, Request request,
                                    Instant now) {
        return new Restore(project, name, backup, targetCluster, request, Phase.New, null, null, now, null, null, 0, 0, null);
    }

    public Restore started(Instant at) {
        return new Restore(project, name, backup, targetCluster, request, Phase.InProgress, progress, counts, createdAt, at,
                null, 0, 0, null);
    }

    /** The outcome of a run, recorded at once with the final phase; {@code plan} only for a dry run. */
    public record Outcome(Phase phase, Progress progress, Counts counts, Instant completedAt, int warnings, int errors,
                          Map<String, Object> results, PlanCounts plan) {
        /** The outcome of a restore that applied what it restored (or failed before it could plan). */
        public Outcome(Phase phase, Progress progress, Counts counts, Instant completedAt, int warnings, int errors,
                       Map<String, Object> results) {
            this(phase, progress, counts, completedAt, warnings, errors, results, null);
        }
    }

    /** The first of Lifeboat's own errors the record keeps (why a Failed restore failed). */
    public Optional<String> firstRunError() {
        if (results.get("errors") instanceof Map<?, ?> errors && errors.get("velero") instanceof List<?> ofRun
                && !ofRun.isEmpty()) {
            return Optional.of(String.valueOf(ofRun.get(0)));
        }
        return Optional.empty();
    }

    public Restore finishedWith(Outcome o) {
        return new Restore(project, name, backup, targetCluster, request, o.phase(), o.progress(), o.counts(), createdAt,
                startedAt, o.completedAt(), o.warnings(), o.errors(), o.results(), o.plan());
    }
}
