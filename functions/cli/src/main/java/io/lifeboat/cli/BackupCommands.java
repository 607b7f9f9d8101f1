package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@code lifeboat backup}: backups of a cluster into a location, as Velero's archives. */
@Command(name = "backup", description = "Backups of a cluster into a location.")
final class BackupCommands extends CommandGroup {
    BackupCommands(Lifeboat root) {
        super(root);
    }

    @Command(name = "create", description = "Start a backup; with --wait, follow it to the end (exit 0 Completed, "
            + "1 Failed, 2 PartiallyFailed).")
    int create(@Parameters(paramLabel = "NAME", description = "The backup's name (a DNS-1123 label).") String name,
               @Option(names = "--cluster", required = true, paramLabel = "CLUSTER") String cluster,
               @Option(names = "--location", required = true, paramLabel = "LOCATION") String location,
               @Option(names = "--namespaces", split = ",", paramLabel = "NS",
                       description = "Only these namespaces (default: all).") List<String> namespaces,
               @Option(names = "--include-disks", description = "Take a CSI snapshot of every bound claim's volume.")
               boolean includeDisks,
               @Option(names = "--include-cluster-resources", arity = "0..1", paramLabel = "true|false",
                       description = "Include cluster-scoped resources (default: all with every namespace, else those"
                               + " the namespaces need).") Boolean includeClusterResources,
               @Option(names = "--expires", paramLabel = "30d|DATE",
                       description = "When it expires: a time to live (30d, 12h, 2w), a date or an ISO-8601 time "
                               + "(default: 30 days).") String expires,
               @Option(names = "--verify-after", description = "Verify its files as soon as it has finished "
                       + "(lifeboat backup verify, done by the backup's run).") boolean verifyAfter,
               @Option(names = "--wait", description = "Show its progress until it finishes.") boolean wait,
               @Mixin OutputFormat output) {
        ObjectNode body = ApiClient.object().put("name", name).put("cluster", cluster).put("location", location);
        if (verifyAfter) {
            body.put("verifyAfter", true);
        }
        if (namespaces != null) {
            ArrayNode list = body.putArray("namespaces");
            namespaces.forEach(list::add);
        }
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
        JsonNode backup = api().post("backups", body);
        if (wait) {
            return Waits.backup(root, name, output);
        }
        show(output, backup, b -> {
            out().println("Backup '" + name + "' started (" + Views.text(b, "status.phase") + ").");
            out().println("Follow it: lifeboat backup describe " + name + " (or start it with --wait).");
        });
        return ExitCodes.OK;
    }

    @Command(name = "list", description = "List the project's backups (of one cluster with --cluster).")
    void list(@Option(names = "--cluster", paramLabel = "CLUSTER") String cluster, @Mixin OutputFormat output) {
        JsonNode items = api().list("backups", cluster == null ? null : "cluster=" + ApiClient.path(cluster));
        Table table = new Table("NAME", "PHASE", "ERRORS", "WARNINGS", "ITEMS", "SIZE", "CLUSTER", "LOCATION", "CREATED",
                "EXPIRES");
        items.forEach(b -> table.row(b.path("name").asText(), Views.text(b, "status.phase"),
                Views.number(b, "status.errors"), Views.number(b, "status.warnings"), items(b),
                Sizes.of(Views.number(b, "status.sizeBytes")), Views.text(b, "spec.cluster"),
                Views.text(b, "spec.location"), times().both(b.path("createdAt")),
                times().relative(Views.at(b, "spec.expiresAt"))));
        showList(output, items, "backups", table);
    }

    private static String items(JsonNode backup) {
        long total = Views.number(backup, "status.progress.totalItems");
        return Views.number(backup, "status.progress.itemsBackedUp") + "/" + (total > 0 ? total : "?");
    }

    @Command(name = "describe", description = "Describe a backup: what it took, how it went, per-type counts, "
            + "warnings and errors, volume snapshots.")
    void describe(@Parameters(paramLabel = "NAME") String name,
                  @Option(names = "--details", description = "Also every type without items, every message, and the "
                          + "resource list.") boolean details,
                  @Mixin OutputFormat output) {
        JsonNode backup = api().get(ApiClient.path("backups", name));
        String phase = Views.text(backup, "status.phase");
        boolean hasFiles = phase.equals("Completed") || phase.equals("PartiallyFailed");
        JsonNode results = hasFiles && Views.number(backup, "status.warnings") + Views.number(backup, "status.errors") > 0
                ? api().get(ApiClient.path("backups", name, "results")) : null;
        JsonNode resources = details && hasFiles ? api().get(ApiClient.path("backups", name, "resources")) : null;
        if (!output.table()) {
            ObjectNode all = backup.deepCopy();
            if (results != null) {
                all.set("results", results);
            }
            if (resources != null) {
                all.set("resources", resources);
            }
            Printer.print(out(), output.format, all);
            return;
        }
        new BackupDescription(times(), backup, results, resources, details).print(out());
    }

    @Command(name = "verify", description = "Verify a backup's files without restoring it: the archive's SHA-256, "
            + "each item against Lifeboat's manifest, every entry a Kubernetes object, the counts per type. With "
            + "--wait, follow it to the end (exit 0 Passed, 1 Failed).")
    int verify(@Parameters(paramLabel = "NAME") String name,
               @Option(names = "--wait", description = "Wait for the outcome and show it.") boolean wait,
               @Mixin OutputFormat output) {
        JsonNode backup = api().post(ApiClient.path("backups", name, "verify"), null);
        if (wait) {
            return Waits.verification(root, name, output);
        }
        show(output, backup, b -> {
            out().println("Verification of backup '" + name + "' started ("
                    + Views.text(b, "status.verification.phase") + ").");
            out().println("See its outcome: lifeboat backup describe " + name + " (or start it with --wait).");
        });
        return ExitCodes.OK;
    }

    @Command(name = "diff", description = "What changed from backup A to backup B: the objects added, removed and "
            + "changed per type, without what servers own (with --details, each change as a JSON Patch).")
    void diff(@Parameters(index = "0", paramLabel = "A", description = "The earlier backup.") String from,
              @Parameters(index = "1", paramLabel = "B", description = "The later backup.") String to,
              @Option(names = "--details", description = "Every object, and each change's JSON Patch.") boolean details,
              @Mixin OutputFormat output) {
        JsonNode diff = api().get(ApiClient.path("backups", from, "diff", to));
        show(output, diff, d -> new BackupDiffDescription(d, details).print(out()));
    }

    @Command(name = "logs", description = "Print a backup's log.")
    void logs(@Parameters(paramLabel = "NAME") String name) {
        api().copyText(ApiClient.path("backups", name, "logs"), out());
    }

    @Command(name = "resources", description = "List what a backup holds: each group/version/Kind and its items.")
    void resources(@Parameters(paramLabel = "NAME") String name, @Mixin OutputFormat output) {
        JsonNode resources = api().get(ApiClient.path("backups", name, "resources"));
        show(output, resources, r -> {
            Details details = new Details();
            resourceList(details, r, 0);
            details.print(out());
        });
    }

    /** Velero's "Resource List:" layout: each type, then its items. */
    static void resourceList(Details details, JsonNode resources, int indent) {
        if (resources.size() == 0) {
            details.text(indent, "<none>");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> type = it.next();
            details.text(indent, type.getKey() + " (" + type.getValue().size() + "):");
            type.getValue().forEach(item -> details.text(indent + 1, "- " + item.asText()));
        }
    }

    @Command(name = "download", description = "Download a backup's archive (Velero's tarball), streamed to a file "
            + "readable by you only (it holds the cluster's Secrets) and checked against the backup's SHA-256.")
    void download(@Parameters(paramLabel = "NAME") String name,
                  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
                          description = "Where to write it (default: NAME-data.tar.gz here, as velero names it).")
                  Path file,
                  @Option(names = "--force", description = "Replace the file if it exists.") boolean force) {
        Path target = file != null ? file : Path.of(name + "-data.tar.gz");
        if (Files.exists(target) && !force) {
            throw new CliException(target + " exists: give --force to replace it, or --file for another name");
        }
        JsonNode backup = api().get(ApiClient.path("backups", name));
        String expected = Views.text(backup, "status.archiveSha256");
        Path parent = target.toAbsolutePath().getParent();
        Path partial;
        try {
            partial = Files.createTempFile(parent, "." + target.getFileName(), ".part");
            if (partial.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new CliException("cannot write in " + parent + ": " + e.getMessage());
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long bytes;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha256)) {
                bytes = api().copyBytes(ApiClient.path("backups", name, "archive"), out);
            }
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (!expected.isEmpty() && !expected.equals(actual)) {
                throw new CliException("the archive downloaded has SHA-256 " + actual + ", the backup's is " + expected
                        + ": nothing was written to " + target);
            }
            try {
                Files.move(partial, target, force ? new StandardCopyOption[]{StandardCopyOption.REPLACE_EXISTING}
                        : new StandardCopyOption[0]);
            } catch (FileAlreadyExistsException e) {
                throw new CliException(target + " appeared meanwhile: give --force to replace it");
            }
            out().println("Backup '" + name + "' downloaded to " + target + " (" + Sizes.of(bytes) + ", SHA-256 "
                    + (expected.isEmpty() ? actual + ", none recorded to compare" : "verified") + ").");
            out().flush();
        } catch (IOException e) {
            throw new CliException("downloading backup '" + name + "' failed: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover part file is named as one
            }
        }
    }

    @Command(name = "delete", description = "Delete a backup now: its files, its volume snapshots and its record.")
    void delete(@Parameters(paramLabel = "NAME") String name) {
        JsonNode left = api().delete(ApiClient.path("backups", name));
        if (left == null) {
            out().println("Backup '" + name + "' deleted.");
        } else {
            out().println("Backup '" + name + "' is " + Views.text(left, "status.phase")
                    + ": what is left will be deleted by the next sweep.");
        }
        out().flush();
    }
}
