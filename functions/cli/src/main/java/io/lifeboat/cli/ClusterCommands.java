package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lifeboat cluster}: the clusters Lifeboat backs up and restores into, registered with a kubeconfig (read from
 * a file, stored sealed, never shown again).
 */
@Command(name = "cluster", description = "Clusters, registered with a kubeconfig.")
final class ClusterCommands extends CommandGroup {
    ClusterCommands(Lifeboat root) {
        super(root);
    }

    @Command(name = "add", description = "Register a cluster and check its health.")
    void add(@Parameters(paramLabel = "NAME", description = "The cluster's name in Lifeboat.") String name,
             @Option(names = "--kubeconfig", required = true, paramLabel = "FILE",
                     description = "Its kubeconfig (credentials and CAs inline, no exec plugins), or - for standard input.")
             String kubeconfig,
             @Option(names = "--context", paramLabel = "CONTEXT",
                     description = "The kubeconfig's context to use (default: its current context).") String context,
             @Option(names = "--allow-insecure-tls",
                     description = "Accept a kubeconfig with insecure-skip-tls-verify (shown on the cluster).")
             boolean allowInsecureTls,
             @Mixin OutputFormat output) {
        ObjectNode body = ApiClient.object().put("name", name)
                .put("kubeconfig", Secrets.read(root.io(), "--kubeconfig", kubeconfig, false));
        if (context != null) {
            body.put("context", context);
        }
        if (allowInsecureTls) {
            body.put("allowInsecureTls", true);
        }
        JsonNode cluster = api().post("clusters", body);
        show(output, cluster, c -> {
            out().println("Cluster '" + name + "' added: " + Views.text(c, "status.health")
                    + (Views.text(c, "status.message").isEmpty() ? "" : " (" + Views.text(c, "status.message") + ")"));
            out().println();
            details(c);
        });
    }

    @Command(name = "list", description = "List the project's clusters and their health.")
    void list(@Mixin OutputFormat output) {
        JsonNode items = api().list("clusters", null);
        Table table = new Table("NAME", "SERVER", "CONTEXT", "HEALTH", "VERSION", "CHECKED");
        items.forEach(c -> table.row(c.path("name").asText(), Views.text(c, "spec.server"), Views.text(c, "spec.context"),
                Views.text(c, "status.health"), Views.text(c, "status.kubernetesVersion"),
                times().both(Views.at(c, "status.checkedAt"))));
        showList(output, items, "clusters", table);
    }

    @Command(name = "get", description = "Show a cluster (never its kubeconfig).")
    void get(@Parameters(paramLabel = "NAME") String name, @Mixin OutputFormat output) {
        show(output, api().get(ApiClient.path("clusters", name)), this::details);
    }

    @Command(name = "check", description = "Check a cluster's health now. Exits 1 unless it is Healthy.")
    int check(@Parameters(paramLabel = "NAME") String name, @Mixin OutputFormat output) {
        JsonNode cluster = api().post(ApiClient.path("clusters", name, "check"), null);
        show(output, cluster, this::details);
        return "Healthy".equals(Views.text(cluster, "status.health")) ? ExitCodes.OK : ExitCodes.ERROR;
    }

    @Command(name = "delete", description = "Forget a cluster (its backups stay).")
    void delete(@Parameters(paramLabel = "NAME") String name) {
        api().delete(ApiClient.path("clusters", name));
        out().println("Cluster '" + name + "' deleted.");
        out().flush();
    }

    private void details(JsonNode cluster) {
        Details details = new Details().field("Name", cluster.path("name").asText())
                .field("Project", cluster.path("project").asText())
                .field("Created", times().both(cluster.path("createdAt")))
                .blank()
                .field("Server", Views.text(cluster, "spec.server"))
                .field("Context", Views.text(cluster, "spec.context"))
                .field("Insecure TLS", Views.at(cluster, "status.insecureTls").asBoolean() ? "yes (the server's "
                        + "certificate is not verified)" : "no")
                .blank()
                .field("Health", Views.text(cluster, "status.health"))
                .field("Kubernetes", Views.text(cluster, "status.kubernetesVersion"))
                .field("Message", Views.text(cluster, "status.message"))
                .field("Checked", times().both(Views.at(cluster, "status.checkedAt")));
        details.print(out());
    }
}
