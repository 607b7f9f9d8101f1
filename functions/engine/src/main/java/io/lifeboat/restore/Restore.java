package io.lifeboat.restore;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A restore of one backup into one cluster: what was asked, and how it went. */
public record Restore(String project, String name, String backup, String targetCluster, Request request, Phase phase,
                      Progress progress, Counts counts, Instant createdAt, Instant startedAt, Instant completedAt,
                      int warnings, int errors, Map<String, Object> results) {

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

    /** The options as asked, kept with the record. */
    public record Request(boolean includeClusterResources, boolean preserveNodePorts, boolean restorePVs,
                          List<String> namespaces, Map<String, String> namespaceMapping,
                          Map<String, String> storageClassMapping, ExistingResourcePolicy existingResourcePolicy,
                          Map<String, String> labelSelector, List<String> resources, Map<String, String> zoneMapping) {

        /** Options without a zone mapping. */
        public Request(boolean includeClusterResources, boolean preserveNodePorts, boolean restorePVs,
                       List<String> namespaces, Map<String, String> namespaceMapping,
                       Map<String, String> storageClassMapping, ExistingResourcePolicy existingResourcePolicy,
                       Map<String, String> labelSelector, List<String> resources) {
            this(includeClusterResources, preserveNodePorts, restorePVs, namespaces, namespaceMapping,
                    storageClassMapping, existingResourcePolicy, labelSelector, resources, null);
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

    public static Restore requested(String project, String name, String backup, String targetCluster, Request request,
                                    Instant now) {
        return new Restore(project, name, backup, targetCluster, request, Phase.New, null, null, now, null, null, 0, 0, null);
    }

    public Restore started(Instant at) {
        return new Restore(project, name, backup, targetCluster, request, Phase.InProgress, progress, counts, createdAt, at,
                null, 0, 0, null);
    }

    /** The outcome of a run, recorded at once with the final phase. */
    public record Outcome(Phase phase, Progress progress, Counts counts, Instant completedAt, int warnings, int errors,
                          Map<String, Object> results) {
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
                startedAt, o.completedAt(), o.warnings(), o.errors(), o.results());
    }
}
