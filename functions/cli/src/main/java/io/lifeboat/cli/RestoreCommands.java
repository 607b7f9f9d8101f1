package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code lifeboat restore}: restores of a backup into a cluster, the same one or another. */
@Command(name = "restore", description = "Restores of a backup into a cluster.")
final class RestoreCommands extends CommandGroup {
    RestoreCommands(Lifeboat root) {
        super(root);
    }

    @Command(name = "create", description = "Start a restore; with --wait, follow it to the end (exit 0 Completed, "
            + "1 Failed, 2 PartiallyFailed).")
    int create(@Parameters(paramLabel = "NAME", arity = "0..1",
                       description = "The restore's name (default: the backup's name and a time).") String name,
               @Option(names = "--from-backup", required = true, paramLabel = "BACKUP") String backup,
               @Option(names = "--to-cluster", required = true, paramLabel = "CLUSTER") String cluster,
               @Option(names = "--namespaces", split = ",", paramLabel = "NS",
                       description = "Only these namespaces of the backup (default: all).") List<String> namespaces,
               @Mixin RestoreOptions options,
               @Option(names = "--zone-mapping", paramLabel = "FROM=TO", split = ",",
                       description = "Make each disk restored from a native snapshot of zone FROM in zone TO (e.g. "
                               + "us-east-1a=us-east-1b).") List<String> zoneMapping,
               @Option(names = "--dry-run", description = "Only work out what the restore would do with each item "
                       + "(create, skip as identical, update, conflict, refuse), writing nothing to the cluster; "
                       + "lifeboat restore plan NAME shows it.") boolean dryRun,
               @Option(names = "--wait", description = "Show its progress until it finishes.") boolean wait,
               @Mixin OutputFormat output) {
        ObjectNode body = ApiClient.object();
        if (name != null) {
            body.put("name", name);
        }
        body.put("backup", backup).put("targetCluster", cluster);
        if (namespaces != null) {
            ArrayNode list = body.putArray("namespaces");
            namespaces.forEach(list::add);
        }
        options.fill(body);
        if (zoneMapping != null) {
            body.set("zoneMapping", Mappings.of("--zone-mapping", zoneMapping));
        }
        if (dryRun) {
            body.put("dryRun", true);
        }
        JsonNode restore = api().post("restores", body);
        String created = restore.path("name").asText();
        if (wait) {
            return Waits.restore(root, created, output);
        }
        show(output, restore, r -> {
            out().println((dryRun ? "Dry run '" : "Restore '") + created + "' of backup '" + backup + "' into '"
                    + cluster + "' started (" + Views.text(r, "status.phase") + ")"
                    + (dryRun ? ": nothing will be written to the cluster." : "."));
            out().println("Follow it: lifeboat restore describe " + created + " (or start it with --wait).");
        });
        return ExitCodes.OK;
    }

    @Command(name = "list", description = "List the project's restores (into one cluster with --cluster).")
    void list(@Option(names = "--cluster", paramLabel = "CLUSTER") String cluster, @Mixin OutputFormat output) {
        JsonNode items = api().list("restores", cluster == null ? null : "cluster=" + ApiClient.path(cluster));
        Table table = new Table("NAME", "BACKUP", "CLUSTER", "PHASE", "ITEMS", "ERRORS", "WARNINGS", "CREATED");
        items.forEach(r -> {
            long total = Views.number(r, "status.progress.totalItems");
            table.row(r.path("name").asText(), Views.text(r, "spec.backup"), Views.text(r, "spec.targetCluster"),
                    Views.text(r, "status.phase"), Views.number(r, "status.progress.itemsRestored") + "/"
                            + (total > 0 ? total : "?"), Views.number(r, "status.errors"),
                    Views.number(r, "status.warnings"), times().both(r.path("createdAt")));
        });
        showList(output, items, "restores", table);
    }

    @Command(name = "describe", description = "Describe a restore: what it restores where, how it went, its "
            + "warnings and errors per namespace.")
    void describe(@Parameters(paramLabel = "NAME") String name,
                  @Option(names = "--details", description = "Every warning and error (the results file), not the "
                          + "first ones the record keeps.") boolean details,
                  @Mixin OutputFormat output) {
        JsonNode restore = api().get(ApiClient.path("restores", name));
        String phase = Views.text(restore, "status.phase");
        JsonNode results = details && (phase.equals("Completed") || phase.equals("PartiallyFailed")
                || phase.equals("Failed")) ? resultsFile(name) : null;
        if (!output.table()) {
            ObjectNode all = restore.deepCopy();
            if (results != null) {
                all.set("results", results);
            }
            Printer.print(out(), output.format, all);
            return;
        }
        new RestoreDescription(times(), restore, results).print(out());
    }

    /** The results file, or null when the restore wrote none (one Failed before it began). */
    private JsonNode resultsFile(String name) {
        try {
            return api().get(ApiClient.path("restores", name, "results"));
        } catch (ApiError e) {
            if (e.status() == 404 || e.status() == 409) {
                return null;
            }
            throw e;
        }
    }

    @Command(name = "plan", description = "Show a dry run's plan: what the restore would do with each item, and why "
            + "(with --details, each update's or conflict's JSON Patch from the live object).")
    void plan(@Parameters(paramLabel = "NAME") String name,
              @Option(names = "--details", description = "Also each item's JSON Patch.") boolean details,
              @Mixin OutputFormat output) {
        JsonNode plan = api().get(ApiClient.path("restores", name, "plan"));
        show(output, plan, p -> {
            JsonNode summary = p.path("summary");
            out().println("Dry run '" + name + "' of backup '" + p.path("backup").asText() + "' into '"
                    + p.path("targetCluster").asText() + "' (existing objects: " + p.path("existingResourcePolicy").asText()
                    + "): would create " + summary.path("create").asLong() + ", update " + summary.path("update").asLong()
                    + ", leave " + summary.path("conflict").asLong() + " that differ, skip "
                    + summary.path("identical").asLong() + " identical, refuse " + summary.path("refused").asLong()
                    + ", exclude " + summary.path("excluded").asLong() + ".");
            out().println();
            Table table = new Table("RESOURCE", "NAMESPACE", "NAME", "ACTION", "REASON");
            p.path("items").forEach(item -> table.row(item.path("resource").asText(), item.path("namespace").asText(""),
                    item.path("name").asText(), item.path("action").asText(), item.path("reason").asText("")));
            table.print(out());
            if (details) {
                for (JsonNode item : p.path("items")) {
                    if (item.path("patch").isArray() && !item.path("patch").isEmpty()) {
                        out().println();
                        out().println(item.path("action").asText() + " " + item.path("resource").asText() + " "
                                + (item.hasNonNull("namespace") ? item.get("namespace").asText() + "/" : "")
                                + item.path("name").asText() + ":");
                        item.path("patch").forEach(op -> out().println("  " + BackupDiffDescription.operation(op)));
                    }
                }
            }
            out().flush();
        });
    }

    @Command(name = "logs", description = "Print a restore's log.")
    void logs(@Parameters(paramLabel = "NAME") String name) {
        api().copyText(ApiClient.path("restores", name, "logs"), out());
    }
}
