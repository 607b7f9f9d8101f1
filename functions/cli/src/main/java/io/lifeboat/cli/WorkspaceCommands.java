package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code lifeboat workspace}: groups of clusters, backed up together (one backup per member) and restored together
 * (each member's backup into its cluster, or the one a mapping names).
 */
@Command(name = "workspace", description = "Workspaces: groups of clusters backed up and restored together.")
final class WorkspaceCommands extends CommandGroup {
    WorkspaceCommands(Lifeboat root) {
        super(root);
    }

    @Command(name = "create", description = "Create a workspace of clusters.")
    void create(@Parameters(paramLabel = "NAME") String name,
                @Option(names = "--clusters", required = true, split = ",", paramLabel = "CLUSTER") List<String> clusters,
                @Option(names = "--namespaces", split = ",", paramLabel = "NS",
                        description = "The namespaces its backups take (default: all).") List<String> namespaces,
                @Mixin OutputFormat output) {
        ObjectNode body = ApiClient.object().put("name", name);
        ArrayNode members = body.putArray("clusters");
        clusters.forEach(members::add);
        if (namespaces != null) {
            ArrayNode list = body.putArray("namespaces");
            namespaces.forEach(list::add);
        }
        show(output, api().post("workspaces", body), w -> {
            out().println("Workspace '" + name + "' created.");
            out().println();
            details(w);
        });
    }

    @Command(name = "list", description = "List the project's workspaces.")
    void list(@Mixin OutputFormat output) {
        JsonNode items = api().list("workspaces", null);
        Table table = new Table("NAME", "CLUSTERS", "NAMESPACES", "CREATED");
        items.forEach(w -> table.row(w.path("name").asText(), Views.joined(Views.at(w, "spec.clusters")),
                Views.at(w, "spec.namespaces").size() == 0 ? "*" : Views.joined(Views.at(w, "spec.namespaces")),
                times().both(w.path("createdAt"))));
        showList(output, items, "workspaces", table);
    }

    @Command(name = "get", description = "Show a workspace and its clusters.")
    void get(@Parameters(paramLabel = "NAME") String name, @Mixin OutputFormat output) {
        show(output, api().get(ApiClient.path("workspaces", name)), this::details);
    }

    @Command(name = "delete", description = "Delete a workspace (its clusters, backups and runs stay).")
    void delete(@Parameters(paramLabel = "NAME") String name) {
        api().delete(ApiClient.path("workspaces", name));
        out().println("Workspace '" + name + "' deleted.");
        out().flush();
    }

    @Command(name = "add-cluster", description = "Add a cluster to a workspace.")
    void addCluster(@Parameters(index = "0", paramLabel = "NAME") String name,
                    @Parameters(index = "1", paramLabel = "CLUSTER") String cluster, @Mixin OutputFormat output) {
        show(output, api().post(ApiClient.path("workspaces", name, "clusters"), ApiClient.object().put("cluster", cluster)),
                w -> out().println("Workspace '" + name + "': " + Views.joined(Views.at(w, "spec.clusters")) + "."));
    }

    @Command(name = "remove-cluster", description = "Remove a cluster from a workspace.")
    void removeCluster(@Parameters(index = "0", paramLabel = "NAME") String name,
                       @Parameters(index = "1", paramLabel = "CLUSTER") String cluster, @Mixin OutputFormat output) {
        show(output, api().delete(ApiClient.path("workspaces", name, "clusters", cluster)),
                w -> out().println("Workspace '" + name + "': " + Views.joined(Views.at(w, "spec.clusters")) + "."));
    }

    @Command(name = "backup", description = "Back up every cluster of a workspace (one backup each, named "
            + "BACKUP-CLUSTER); with --wait, one progress bar per cluster.")
    int backup(@Parameters(index = "0", paramLabel = "WORKSPACE") String workspace,
               @Parameters(index = "1", paramLabel = "BACKUP", description = "The workspace backup's name.") String name,
               @Option(names = "--location", required = true, paramLabel = "LOCATION") String location,
               @Option(names = "--include-disks") boolean includeDisks,
               @Option(names = "--include-cluster-resources", arity = "0..1", paramLabel = "true|false")
               Boolean includeClusterResources,
               @Option(names = "--expires", paramLabel = "30d|DATE") String expires,
               @Option(names = "--wait", description = "Show each cluster's progress until all have finished.") boolean wait,
               @Mixin OutputFormat output) {
        ObjectNode body = ApiClient.object().put("name", name).put("location", location);
        if (includeDisks) {
            body.put("includeDisks", true);
        }
        if (includeClusterResources != null) {
            body.put("includeClusterResources", includeClusterResources);
        }
        String expiresAt = ExpiresOption.expiresAt(expires, root.io().clock(), root.io().zone());
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt);
        }
        JsonNode run = api().post(ApiClient.path("workspaces", workspace, "backups"), body);
        if (wait) {
            return Waits.workspaceRun(root, workspace, "backups", name, output);
        }
        show(output, run, r -> {
            out().println("Workspace backup '" + name + "' of '" + workspace + "' started.");
            out().println();
            runDetails(r, "backup");
        });
        return ExitCodes.OK;
    }

    @Command(name = "restore", description = "Restore a workspace backup: each cluster's backup into that cluster, or"
            + " the one --cluster-mapping names; with --wait, one progress bar per cluster.")
    int restore(@Parameters(index = "0", paramLabel = "WORKSPACE") String workspace,
                @Parameters(index = "1", arity = "0..1", paramLabel = "RESTORE",
                        description = "The workspace restore's name (default: generated).") String name,
                @Option(names = "--from-backup", required = true, paramLabel = "BACKUP",
                        description = "A backup of this workspace.") String backup,
                @Option(names = "--cluster-mapping", split = ",", paramLabel = "FROM=TO",
                        description = "Restore cluster FROM's backup into cluster TO.") List<String> clusterMapping,
                @Mixin RestoreOptions options,
                @Option(names = "--wait", description = "Show each cluster's progress until all have finished.") boolean wait,
                @Mixin OutputFormat output) {
        ObjectNode body = ApiClient.object();
        if (name != null) {
            body.put("name", name);
        }
        body.put("workspaceBackup", backup);
        if (clusterMapping != null) {
            body.set("clusterMapping", Mappings.of("--cluster-mapping", clusterMapping));
        }
        options.fill(body);
        JsonNode run = api().post(ApiClient.path("workspaces", workspace, "restores"), body);
        String created = run.path("name").asText();
        if (wait) {
            return Waits.workspaceRun(root, workspace, "restores", created, output);
        }
        show(output, run, r -> {
            out().println("Workspace restore '" + created + "' of '" + workspace + "' started.");
            out().println();
            runDetails(r, "restore");
        });
        return ExitCodes.OK;
    }

    @Command(name = "backups", description = "List a workspace's backups, or show one with its clusters.")
    void backups(@Parameters(index = "0", paramLabel = "WORKSPACE") String workspace,
                 @Parameters(index = "1", arity = "0..1", paramLabel = "BACKUP") String name,
                 @Mixin OutputFormat output) {
        runs(workspace, "backups", "backup", name, output);
    }

    @Command(name = "restores", description = "List a workspace's restores, or show one with its clusters.")
    void restores(@Parameters(index = "0", paramLabel = "WORKSPACE") String workspace,
                  @Parameters(index = "1", arity = "0..1", paramLabel = "RESTORE") String name,
                  @Mixin OutputFormat output) {
        runs(workspace, "restores", "restore", name, output);
    }

    private void runs(String workspace, String runs, String kind, String name, OutputFormat output) {
        if (name != null) {
            show(output, api().get(ApiClient.path("workspaces", workspace, runs, name)), r -> runDetails(r, kind));
            return;
        }
        JsonNode items = api().list(ApiClient.path("workspaces", workspace, runs), null);
        Table table = new Table("NAME", "PHASE", "CLUSTERS", "CREATED", "COMPLETED");
        items.forEach(r -> {
            StringBuilder clusters = new StringBuilder();
            r.path("status").path("children").forEach(c -> clusters.append(clusters.length() == 0 ? "" : ", ")
                    .append(c.path("cluster").asText()).append(' ').append(c.path("phase").asText()));
            table.row(r.path("name").asText(), Views.text(r, "status.phase"), clusters, times().both(r.path("createdAt")),
                    times().both(Views.at(r, "status.completedAt")));
        });
        showList(output, items, "workspace " + runs, table);
    }

    private void details(JsonNode workspace) {
        new Details().field("Name", workspace.path("name").asText())
                .field("Project", workspace.path("project").asText())
                .field("Created", times().both(workspace.path("createdAt")))
                .field("Clusters", Views.joined(Views.at(workspace, "spec.clusters")))
                .field("Namespaces", Views.at(workspace, "spec.namespaces").size() == 0 ? "* (all)"
                        : Views.joined(Views.at(workspace, "spec.namespaces")))
                .print(out());
    }

    /** A workspace backup or restore: its spec, its phase, and a table of its clusters. */
    private void runDetails(JsonNode run, String kind) {
        Details details = new Details().field("Name", run.path("name").asText())
                .field("Workspace", Views.text(run, "spec.workspace"))
                .field("Phase", Views.text(run, "status.phase"))
                .field("Created", times().both(run.path("createdAt")))
                .field("Completed", times().both(Views.at(run, "status.completedAt")));
        details.blank();
        ObjectNode spec = run.path("spec").deepCopy();
        spec.remove("workspace");
        Views.specFields(details, spec, "", times());
        details.heading("Clusters");
        Table table = new Table("CLUSTER", kind.toUpperCase(), "PHASE", "ITEMS", "REASON");
        run.path("status").path("children").forEach(c -> {
            long total = Views.number(c, "progress.totalItems");
            table.row(c.path("cluster").asText(), c.path(kind).asText(""), c.path("phase").asText(),
                    c.has("progress") ? Views.number(c, "progress.items") + "/" + (total > 0 ? total : "?") : "",
                    c.path("reason").asText(""));
        });
        java.io.StringWriter text = new java.io.StringWriter();
        table.print(new java.io.PrintWriter(text));
        text.toString().lines().forEach(line -> details.text(1, line));
        details.print(out());
    }
}
