package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code lifeboat restore describe}, laid out like {@code velero restore describe --details}: the spec, the status
 * with counts, and the warnings and errors of Lifeboat, of cluster-scoped objects and of each namespace.
 */
final class RestoreDescription {
    private final Times times;
    private final JsonNode restore;
    private final JsonNode resultsFile;

    RestoreDescription(Times times, JsonNode restore, JsonNode resultsFile) {
        this.times = times;
        this.restore = restore;
        this.resultsFile = resultsFile;
    }

    /** A dry run's counts: "would create 3, update 0, leave 1 that differs, skip 9 identical, refuse 0, exclude 2". */
    static String plan(JsonNode restore) {
        JsonNode plan = Views.at(restore, "status.plan");
        return "would create " + plan.path("create").asLong() + ", update " + plan.path("update").asLong()
                + ", leave " + plan.path("conflict").asLong() + " that differ, skip " + plan.path("identical").asLong()
                + " identical, refuse " + plan.path("refused").asLong() + ", exclude " + plan.path("excluded").asLong();
    }

    void print(PrintWriter out) {
        String name = restore.path("name").asText();
        JsonNode spec = restore.path("spec");
        JsonNode status = restore.path("status");
        Details d = new Details()
                .field("Name", name)
                .field("Project", restore.path("project").asText())
                .field("Phase", status.path("phase").asText());
        String policy = spec.path("existingResourcePolicy").asText("none");
        d.blank()
                .field("Backup", spec.path("backup").asText())
                .field("Target cluster", spec.path("targetCluster").asText())
                .field("Namespaces", spec.path("namespaces").size() == 0 ? "* (all)" : Views.joined(spec.path("namespaces")))
                .field("Namespace mapping", Views.joined(spec.path("namespaceMapping")))
                .field("Storage class mapping", Views.joined(spec.path("storageClassMapping")))
                .field("Label selector", Views.joined(spec.path("labelSelector")))
                .field("Existing objects", policy + (policy.equals("update") ? " (replaced when they differ)"
                        : " (left as they are, a warning when they differ)"))
                .field("Cluster-scoped resources", spec.path("includeClusterResources").asBoolean() ? "all"
                        : "those the namespaces need")
                .field("Restore volumes (PVs)", Views.yesNo(spec.path("restorePVs")))
                .field("Preserve node ports", Views.yesNo(spec.path("preserveNodePorts")))
                .field("Dry run", spec.path("dryRun").asBoolean() ? "yes (nothing is written to the cluster)" : "no");
        Instant started = Times.instant(status.path("startedAt"));
        Instant completed = Times.instant(status.path("completedAt"));
        d.blank()
                .field("Created", times.both(restore.path("createdAt")))
                .field("Started", times.both(started))
                .field("Completed", times.both(completed))
                .field("Duration", started != null && completed != null ? Times.duration(Duration.between(started, completed)) : "")
                .field("Items restored", status.path("progress").path("itemsRestored").asLong() + " of "
                        + status.path("progress").path("totalItems").asLong())
                .field("Created objects", status.path("counts").path("created").asLong())
                .field("Updated objects", status.path("counts").path("updated").asLong())
                .field("Skipped objects", status.path("counts").path("skipped").asLong());
        if (status.hasNonNull("plan")) {
            d.field("Plan", plan(restore) + " (lifeboat restore plan " + name + ")");
        }
        JsonNode results = resultsFile != null ? resultsFile : status.path("results");
        String more = resultsFile != null ? "lifeboat restore logs " + name : "lifeboat restore describe " + name + " --details";
        int max = resultsFile != null ? Integer.MAX_VALUE : BackupDescription.MESSAGES;
        ResultsView.add(d, "Warnings", status.path("warnings").asInt(), results.path("warnings"), max, more);
        ResultsView.add(d, "Errors", status.path("errors").asInt(), results.path("errors"), max, more);
        d.print(out);
    }
}
