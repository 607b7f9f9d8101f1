package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --wait} for each kind of run: follows the record with a {@link RunWatch} until it has finished, then says
 * how it ended and shows its first errors, and answers the exit code of its phase (0 Completed, 1 Failed, 2
 * PartiallyFailed). Progress goes to standard output for a table, to standard error when the output is JSON or YAML
 * (the finished record then goes to standard output, alone).
 */
final class Waits {
    static final int FIRST_ERRORS = 5;
    private static final Set<String> FINISHED = Set.of("Completed", "PartiallyFailed", "Failed", "Deleting");

    private Waits() {
    }

    static int backup(Lifeboat root, String name, OutputFormat output) {
        PrintWriter progress = progressOut(root, output);
        progress.println("Waiting for backup '" + name + "' to finish (Ctrl-C stops the waiting, not the backup).");
        JsonNode done = watch(root, progress).await(() -> root.api().get(ApiClient.path("backups", name)),
                b -> List.of(new RunWatch.Item(name, Views.number(b, "status.progress.itemsBackedUp"),
                        Views.number(b, "status.progress.totalItems"), Views.text(b, "status.phase"),
                        Times.instant(Views.at(b, "status.startedAt")), Times.instant(Views.at(b, "status.completedAt")))),
                b -> FINISHED.contains(Views.text(b, "status.phase")));
        String phase = Views.text(done, "status.phase");
        progress.println("Backup '" + name + "' " + phase + ": " + Views.number(done, "status.progress.itemsBackedUp")
                + " of " + Views.number(done, "status.progress.totalItems") + " items, "
                + Sizes.of(Views.number(done, "status.sizeBytes")) + ", " + count(done, "warnings", "warning") + ", "
                + count(done, "errors", "error") + ".");
        firstErrors(progress, messages(done.path("status").path("firstErrors")));
        progress.println("More: lifeboat backup describe " + name + ", lifeboat backup logs " + name);
        progress.flush();
        printRecord(root, output, done);
        return ExitCodes.ofPhase(phase);
    }

    /**
     * {@code backup verify --wait}: follows the backup's {@code status.verification} until it is no longer Pending,
     * then says how it ended with its first problems; 0 Passed, 1 Failed.
     */
    static int verification(Lifeboat root, String name, OutputFormat output) {
        PrintWriter progress = progressOut(root, output);
        progress.println("Waiting for the verification of backup '" + name + "' (Ctrl-C stops the waiting, not the "
                + "verification).");
        JsonNode done = watch(root, progress).await(() -> root.api().get(ApiClient.path("backups", name)),
                b -> List.of(new RunWatch.Item(name, Views.number(b, "status.verification.items"),
                        Views.number(b, "status.progress.totalItems"), verificationPhase(b), null, null)),
                b -> !verificationPhase(b).equals("Pending"));
        String phase = verificationPhase(done);
        long problems = Views.number(done, "status.verification.problemCount");
        progress.println("Backup '" + name + "' verification " + phase + ": "
                + Views.number(done, "status.verification.items") + " items read, " + problems + " problem"
                + (problems == 1 ? "" : "s") + ".");
        List<String> first = messages(done.path("status").path("verification").path("problems"));
        if (!first.isEmpty()) {
            progress.println("Problems:");
            first.stream().limit(FIRST_ERRORS).forEach(p -> progress.println("  " + p));
            long shown = Math.min(first.size(), FIRST_ERRORS);
            if (problems > shown) {
                progress.println("  … and " + (problems - shown) + " more (lifeboat backup describe " + name + ")");
            }
        }
        progress.flush();
        printRecord(root, output, done);
        return phase.equals("Passed") ? ExitCodes.OK : ExitCodes.ERROR;
    }

    /** Pending, Passed or Failed; a backup never verified reads as Pending (its request is on its way). */
    private static String verificationPhase(JsonNode backup) {
        String phase = Views.text(backup, "status.verification.phase");
        return phase.isEmpty() ? "Pending" : phase;
    }

    static int restore(Lifeboat root, String name, OutputFormat output) {
        PrintWriter progress = progressOut(root, output);
        progress.println("Waiting for restore '" + name + "' to finish (Ctrl-C stops the waiting, not the restore).");
        JsonNode done = watch(root, progress).await(() -> root.api().get(ApiClient.path("restores", name)),
                r -> List.of(new RunWatch.Item(name, Views.number(r, "status.progress.itemsRestored"),
                        Views.number(r, "status.progress.totalItems"), Views.text(r, "status.phase"),
                        Times.instant(Views.at(r, "status.startedAt")), Times.instant(Views.at(r, "status.completedAt")))),
                r -> FINISHED.contains(Views.text(r, "status.phase")));
        String phase = Views.text(done, "status.phase");
        progress.println("Restore '" + name + "' " + phase + ": " + Views.number(done, "status.progress.itemsRestored")
                + " of " + Views.number(done, "status.progress.totalItems") + " items (created "
                + Views.number(done, "status.counts.created") + ", updated " + Views.number(done, "status.counts.updated")
                + ", skipped " + Views.number(done, "status.counts.skipped") + "), " + count(done, "warnings", "warning")
                + ", " + count(done, "errors", "error") + ".");
        firstErrors(progress, resultMessages(done.path("status").path("results").path("errors")));
        if (Views.at(done, "spec.dryRun").asBoolean()) {
            progress.println("A dry run: nothing was written to the cluster. " + RestoreDescription.plan(done) + ".");
            progress.println("Each item, and why: lifeboat restore plan " + name);
        }
        progress.println("More: lifeboat restore describe " + name + ", lifeboat restore logs " + name);
        progress.flush();
        printRecord(root, output, done);
        return ExitCodes.ofPhase(phase);
    }

    /** A workspace backup or restore ({@code runs} is "backups" or "restores"): one bar per member cluster. */
    static int workspaceRun(Lifeboat root, String workspace, String runs, String name, OutputFormat output) {
        String kind = runs.equals("backups") ? "backup" : "restore";
        PrintWriter progress = progressOut(root, output);
        progress.println("Waiting for workspace " + kind + " '" + name + "' of '" + workspace
                + "' to finish, one line per cluster (Ctrl-C stops the waiting, not the " + kind + ").");
        JsonNode done = watch(root, progress).await(
                () -> root.api().get(ApiClient.path("workspaces", workspace, runs, name)),
                run -> {
                    List<RunWatch.Item> items = new ArrayList<>();
                    run.path("status").path("children").forEach(child -> items.add(new RunWatch.Item(
                            child.path("cluster").asText(), Views.number(child, "progress.items"),
                            Views.number(child, "progress.totalItems"), child.path("phase").asText(), null, null)));
                    return items;
                },
                run -> !"InProgress".equals(Views.text(run, "status.phase")));
        String phase = Views.text(done, "status.phase");
        progress.println("Workspace " + kind + " '" + name + "' " + phase + ":");
        for (JsonNode child : done.path("status").path("children")) {
            String childName = child.path(kind).asText("");
            progress.println("  " + child.path("cluster").asText() + ": " + child.path("phase").asText()
                    + (childName.isEmpty() ? "" : ", " + kind + " '" + childName + "'")
                    + (child.hasNonNull("reason") ? " (" + child.get("reason").asText() + ")" : ""));
            String childPhase = child.path("phase").asText();
            if (!childName.isEmpty() && (childPhase.equals("Failed") || childPhase.equals("PartiallyFailed"))) {
                JsonNode record = root.api().get(ApiClient.path(runs, childName));
                List<String> errors = kind.equals("backup") ? messages(record.path("status").path("firstErrors"))
                        : resultMessages(record.path("status").path("results").path("errors"));
                errors.stream().limit(3).forEach(e -> progress.println("      " + e));
            }
        }
        progress.flush();
        printRecord(root, output, done);
        return ExitCodes.ofPhase(phase);
    }

    private static PrintWriter progressOut(Lifeboat root, OutputFormat output) {
        return output.table() ? root.io().out() : root.io().err();
    }

    private static RunWatch watch(Lifeboat root, PrintWriter progress) {
        return RunWatch.of(progress, root.io());
    }

    private static void printRecord(Lifeboat root, OutputFormat output, JsonNode record) {
        if (!output.table()) {
            Printer.print(root.io().out(), output.format, record);
        }
    }

    private static String count(JsonNode record, String field, String noun) {
        long n = Views.number(record, "status." + field);
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static void firstErrors(PrintWriter out, List<String> errors) {
        if (errors.isEmpty()) {
            return;
        }
        out.println("First errors:");
        errors.stream().limit(FIRST_ERRORS).forEach(e -> out.println("  " + e));
        if (errors.size() > FIRST_ERRORS) {
            out.println("  … and " + (errors.size() - FIRST_ERRORS) + " more");
        }
    }

    static List<String> messages(JsonNode list) {
        List<String> messages = new ArrayList<>();
        list.forEach(m -> messages.add(m.asText()));
        return messages;
    }

    /** Messages of Velero's shape, flattened: Lifeboat's, cluster-scoped, then "namespace: message". */
    static List<String> resultMessages(JsonNode kind) {
        List<String> messages = messages(kind.path("velero"));
        messages.addAll(messages(kind.path("cluster")));
        for (Iterator<Map.Entry<String, JsonNode>> it = kind.path("namespaces").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> ns = it.next();
            ns.getValue().forEach(m -> messages.add(ns.getKey() + ": " + m.asText()));
        }
        return messages;
    }
}
