package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code lifeboat backup describe}, laid out like {@code velero backup describe --details}: the spec, the status,
 * per-type counts, warnings and errors, volume snapshots, and with {@code --details} the resource list.
 */
final class BackupDescription {
    static final int MESSAGES = 20;

    private final Times times;
    private final JsonNode backup;
    private final JsonNode results;
    private final JsonNode resources;
    private final boolean details;

    BackupDescription(Times times, JsonNode backup, JsonNode results, JsonNode resources, boolean details) {
        this.times = times;
        this.backup = backup;
        this.results = results;
        this.resources = resources;
        this.details = details;
    }

    void print(PrintWriter out) {
        String name = backup.path("name").asText();
        JsonNode spec = backup.path("spec");
        JsonNode status = backup.path("status");
        Details d = new Details()
                .field("Name", name)
                .field("Project", backup.path("project").asText())
                .field("Phase", status.path("phase").asText())
                .field("Origin", status.path("origin").asText());
        d.blank()
                .field("Cluster", spec.path("cluster").asText(status.path("origin").asText().equals("velero")
                        ? "(written by Velero)" : ""))
                .field("Location", spec.path("location").asText())
                .field("Namespaces", spec.path("namespaces").size() == 0 ? "* (all)" : Views.joined(spec.path("namespaces")))
                .field("Cluster-scoped resources", Views.yesNo(spec.path("includeClusterResources")))
                .field("Include disks", Views.yesNo(spec.path("includeDisks")))
                .field("Expires", times.both(spec.path("expiresAt")));
        Instant started = Times.instant(status.path("startedAt"));
        Instant completed = Times.instant(status.path("completedAt"));
        d.blank()
                .field("Created", times.both(backup.path("createdAt")))
                .field("Started", times.both(started))
                .field("Completed", times.both(completed))
                .field("Duration", started != null && completed != null ? Times.duration(Duration.between(started, completed)) : "")
                .field("Items backed up", status.path("progress").path("itemsBackedUp").asLong() + " of "
                        + status.path("progress").path("totalItems").asLong())
                .field("Size", Sizes.of(status.path("sizeBytes").asLong()))
                .field("Archive SHA-256", status.path("archiveSha256").asText(""))
                .field("Encrypted", encrypted(status))
                .field("Locked", locked(status.path("lock")))
                .field("Schedule", status.path("schedule").asText(""));
        verification(d, name, spec, status.path("verification"));
        types(d, status.path("types"));
        int warnings = status.path("warnings").asInt();
        int errors = status.path("errors").asInt();
        String more = details ? "lifeboat backup logs " + name : "lifeboat backup describe " + name + " --details";
        int max = details ? Integer.MAX_VALUE : MESSAGES;
        ResultsView.add(d, "Warnings", warnings, results == null ? null : results.path("warnings"), max, more);
        if (results != null) {
            ResultsView.add(d, "Errors", errors, results.path("errors"), max, more);
        } else {
            d.heading("Errors (" + errors + ")");
            if (status.path("firstErrors").size() == 0) {
                d.text(1, errors == 0 ? "<none>" : "(see lifeboat backup logs " + name + ")");
            }
            status.path("firstErrors").forEach(e -> d.text(1, e.asText()));
        }
        snapshots(d, status.path("volumeSnapshots"));
        if (status.path("diskSnapshots").size() > 0) {
            diskSnapshots(d, status.path("diskSnapshots"));
        }
        if (details) {
            d.heading("Resource list");
            if (resources == null) {
                d.text(1, "<none: the backup has not written one>");
            } else {
                BackupCommands.resourceList(d, resources, 1);
            }
        }
        d.print(out);
    }

    /**
     * Whether the objects are encrypted on the client side, and with which KMS key; then the archive's size and SHA-256
     * above are the ciphertext's as stored, and the Velero tarball inside has its own.
     */
    private static String encrypted(JsonNode status) {
        if (!status.path("encrypted").asBoolean()) {
            return "no";
        }
        JsonNode encryption = status.path("encryption");
        String tarball = encryption.path("plaintextSha256").asText("");
        return "yes, data key wrapped by KMS key " + encryption.path("kmsKeyId").asText("?") + " (Velero cannot read it)"
                + (tarball.isEmpty() ? "" : "; the tarball inside: " + Sizes.of(encryption.path("plaintextSizeBytes").asLong())
                + ", SHA-256 " + tarball);
    }

    /** How the objects are locked in the bucket, and until when; "no" when they are not. */
    private String locked(JsonNode lock) {
        if (lock.isMissingNode() || lock.isNull()) {
            return "no";
        }
        return lock.path("mode").asText("?") + " until " + times.both(lock.path("retainUntil"));
    }

    /** The last verification of its files: Pending, Passed or Failed, and its first problems. */
    private void verification(Details d, String name, JsonNode spec, JsonNode verification) {
        d.heading("Verification");
        if (verification.isMissingNode() || verification.isNull()) {
            d.text(1, spec.path("verifyAfter").asBoolean() ? "<asked for once the backup has finished>"
                    : "<never verified: lifeboat backup verify " + name + ">");
            return;
        }
        String phase = verification.path("phase").asText();
        d.field(1, "Phase", phase)
                .field(1, "Asked", times.both(verification.path("requestedAt")));
        if (!phase.equals("Pending")) {
            long problems = verification.path("problemCount").asLong();
            d.field(1, "Done", times.both(verification.path("at")))
                    .field(1, "Items read", verification.path("items").asLong())
                    .field(1, "Problems", problems);
            int limit = details ? Integer.MAX_VALUE : MESSAGES;
            int shown = 0;
            for (JsonNode problem : verification.path("problems")) {
                if (shown == limit) {
                    break;
                }
                d.text(2, problem.asText());
                shown++;
            }
            if (problems > shown) {
                d.text(2, "… and " + (problems - shown) + " more");
            }
        }
    }

    /** Types with items (or an error); with --details also those without, with the reason. */
    private void types(Details d, JsonNode types) {
        int shown = 0;
        int empty = 0;
        Table table = new Table("RESOURCE", "API VERSION", "KIND", "ITEMS", "NOTE");
        for (JsonNode type : types) {
            boolean hasItems = type.path("items").asLong() > 0 || type.hasNonNull("error");
            if (!hasItems && !details) {
                empty++;
                continue;
            }
            shown++;
            table.row(type.path("resource").asText(), type.path("apiVersion").asText(), type.path("kind").asText(),
                    type.path("items").asLong(), type.hasNonNull("error") ? "error: " + type.get("error").asText()
                            : type.path("skipped").asText(""));
        }
        d.heading("Resources (" + shown + " type" + (shown == 1 ? "" : "s") + " with items"
                + (empty > 0 ? "; " + empty + " without, listed with --details" : "") + ")");
        if (table.isEmpty()) {
            d.text(1, "<none>");
            return;
        }
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text));
        text.toString().lines().forEach(line -> d.text(1, line));
    }

    private static void snapshots(Details d, JsonNode snapshots) {
        d.heading("Volume snapshots (" + snapshots.size() + ")");
        if (snapshots.size() == 0) {
            d.text(1, "<none>");
            return;
        }
        Table table = new Table("CLAIM", "VOLUME", "DRIVER", "SNAPSHOT", "SIZE", "ERROR");
        for (JsonNode s : snapshots) {
            table.row(s.path("namespace").asText() + "/" + s.path("persistentVolumeClaim").asText(),
                    s.path("persistentVolume").asText(""), s.path("driver").asText(""),
                    s.path("volumeSnapshotName").asText(""), s.path("restoreSize").asText(""), s.path("error").asText(""));
        }
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text));
        text.toString().lines().forEach(line -> d.text(1, line));
    }

    /** Native snapshots, taken through the cloud's API: the claim, the disk, the snapshot's ID and phase, or why not. */
    private static void diskSnapshots(Details d, JsonNode snapshots) {
        d.heading("Disk snapshots (" + snapshots.size() + ")");
        Table table = new Table("CLAIM", "VOLUME", "DISK", "ZONE", "SNAPSHOT", "PHASE", "ERROR");
        for (JsonNode s : snapshots) {
            table.row(s.path("namespace").asText() + "/" + s.path("persistentVolumeClaim").asText(),
                    s.path("persistentVolume").asText(""), s.path("volumeId").asText(""), s.path("volumeAZ").asText(""),
                    s.path("snapshotId").asText(""), s.path("phase").asText(""), s.path("error").asText(""));
        }
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text));
        text.toString().lines().forEach(line -> d.text(1, line));
    }
}
