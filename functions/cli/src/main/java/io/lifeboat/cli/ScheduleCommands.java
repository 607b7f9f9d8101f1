package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code lifeboat schedule}: backups started on a calendar, of a cluster or of every cluster of a workspace. */
@Command(name = "schedule", description = "Scheduled backups of a cluster or a workspace.")
final class ScheduleCommands extends CommandGroup {
    ScheduleCommands(Lifeboat root) {
        super(root);
    }

    /** Exactly one of --cluster and --workspace. */
    static final class Target {
        @Option(names = "--cluster", required = true, paramLabel = "CLUSTER", description = "Back up this cluster.")
        String cluster;
        @Option(names = "--workspace", required = true, paramLabel = "WORKSPACE",
                description = "Back up every cluster of this workspace.")
        String workspace;
    }

    /** A preset, or cron-like fields. */
    static final class When {
        @Option(names = "--preset", required = true, paramLabel = "PRESET",
                description = "weekly, biweekly, monthly or bimonthly.")
        String preset;
        @ArgGroup(exclusive = false)
        Custom custom;
    }

    /** Each field a number, a list (1,15), a range (1-5) or * (the default). */
    static final class Custom {
        @Option(names = "--month", paramLabel = "M", description = "Months, 1-12.")
        String month;
        @Option(names = "--day", paramLabel = "D", description = "Days of the month, 1-31.")
        String day;
        @Option(names = "--day-of-week", paramLabel = "W", description = "Days of the week, 0-7 (0 and 7 are Sunday).")
        String dayOfWeek;
        @Option(names = "--hour", paramLabel = "H", description = "Hours, 0-23.")
        String hour;
        @Option(names = "--minute", paramLabel = "M", description = "Minutes, 0-59.")
        String minute;
    }

    @Command(name = "create", description = "Create a schedule: --preset, or --month/--day/--day-of-week/--hour/"
            + "--minute (each a number, a list 1,15, a range 1-5, or *).")
    void create(@Parameters(paramLabel = "NAME") String name,
                @ArgGroup(exclusive = true, multiplicity = "1") Target target,
                @Option(names = "--location", required = true, paramLabel = "LOCATION") String location,
                @ArgGroup(exclusive = true, multiplicity = "1") When when,
                @Option(names = "--time-zone", paramLabel = "ZONE", description = "An IANA zone (default: UTC).")
                String timeZone,
                @Option(names = "--retention-days", required = true, paramLabel = "N",
                        description = "How long each backup is kept.") int retentionDays,
                @Option(names = "--prefix", paramLabel = "PREFIX",
                        description = "The backups' names begin with it (default: the schedule's name).") String prefix,
                @Option(names = "--namespaces", split = ",", paramLabel = "NS") List<String> namespaces,
                @Option(names = "--include-disks") boolean includeDisks,
                @Option(names = "--include-cluster-resources", arity = "0..1", paramLabel = "true|false")
                Boolean includeClusterResources,
                @Mixin Keep keep,
                @Option(names = "--verify-after", description = "Verify each backup's files once it has finished.")
                boolean verifyAfter,
                @Mixin OutputFormat output) {
        ObjectNode body = ApiClient.object().put("name", name);
        if (target.cluster != null) {
            body.put("cluster", target.cluster);
        } else {
            body.put("workspace", target.workspace);
        }
        body.put("location", location).put("retentionDays", retentionDays);
        ObjectNode schedule = body.putObject("schedule");
        if (when.preset != null) {
            schedule.put("preset", when.preset);
        } else {
            ObjectNode custom = schedule.putObject("custom");
            put(custom, "month", when.custom.month);
            put(custom, "dayOfMonth", when.custom.day);
            put(custom, "dayOfWeek", when.custom.dayOfWeek);
            put(custom, "hour", when.custom.hour);
            put(custom, "minute", when.custom.minute);
        }
        put(body, "timeZone", timeZone);
        put(body, "prefix", prefix);
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
        keep.fill(body);
        if (verifyAfter) {
            body.put("verifyAfter", true);
        }
        JsonNode created = api().post("schedules", body);
        show(output, created, s -> {
            out().println("Schedule '" + name + "' created; its next backup: " + times().both(Views.at(s, "status.nextRunAt")) + ".");
            out().println();
            details(s);
        });
    }

    /**
     * Retention by count, beside --retention-days: each given rule goes into {@code keep}; the API checks the counts
     * (0 to 1000, at least one above 0) and names {@code keep.<rule>}, shown here as its flag.
     */
    static final class Keep {
        @Option(names = "--keep-last", paramLabel = "N",
                description = "Keep the N newest Completed backups past their expiry.")
        Integer last;
        @Option(names = "--keep-daily", paramLabel = "D",
                description = "Keep the newest Completed backup of each of the last D days that have one.")
        Integer daily;
        @Option(names = "--keep-weekly", paramLabel = "W",
                description = "Keep the newest Completed backup of each of the last W weeks (ISO, Monday to Sunday).")
        Integer weekly;
        @Option(names = "--keep-monthly", paramLabel = "M",
                description = "Keep the newest Completed backup of each of the last M months.")
        Integer monthly;

        void fill(ObjectNode body) {
            if (last == null && daily == null && weekly == null && monthly == null) {
                return;
            }
            ObjectNode keep = body.putObject("keep");
            if (last != null) {
                keep.put("last", last);
            }
            if (daily != null) {
                keep.put("daily", daily);
            }
            if (weekly != null) {
                keep.put("weekly", weekly);
            }
            if (monthly != null) {
                keep.put("monthly", monthly);
            }
        }
    }

    private static void put(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    @Command(name = "list", description = "List the project's schedules.")
    void list(@Mixin OutputFormat output) {
        JsonNode items = api().list("schedules", null);
        Table table = new Table("NAME", "TARGET", "LOCATION", "WHEN", "PHASE", "NEXT RUN", "LAST BACKUP", "RETENTION");
        items.forEach(s -> table.row(s.path("name").asText(), target(s), Views.text(s, "spec.location"), when(s),
                Views.text(s, "status.phase"), times().both(Views.at(s, "status.nextRunAt")),
                Views.text(s, "status.lastBackup"), retention(s)));
        showList(output, items, "schedules", table);
    }

    @Command(name = "get", description = "Show a schedule: its definition, next run, last backup and last error.")
    void get(@Parameters(paramLabel = "NAME") String name, @Mixin OutputFormat output) {
        show(output, api().get(ApiClient.path("schedules", name)), this::details);
    }

    @Command(name = "pause", description = "Pause a schedule: no backups until it is resumed.")
    void pause(@Parameters(paramLabel = "NAME") String name, @Mixin OutputFormat output) {
        show(output, api().post(ApiClient.path("schedules", name, "pause"), null),
                s -> out().println("Schedule '" + name + "' is " + Views.text(s, "status.phase") + "."));
    }

    @Command(name = "resume", description = "Resume a paused schedule, from its next slot.")
    void resume(@Parameters(paramLabel = "NAME") String name, @Mixin OutputFormat output) {
        show(output, api().post(ApiClient.path("schedules", name, "resume"), null),
                s -> out().println("Schedule '" + name + "' is " + Views.text(s, "status.phase") + "; next backup "
                        + times().both(Views.at(s, "status.nextRunAt")) + "."));
    }

    @Command(name = "delete", description = "Delete a schedule (the backups it made stay).")
    void delete(@Parameters(paramLabel = "NAME") String name) {
        api().delete(ApiClient.path("schedules", name));
        out().println("Schedule '" + name + "' deleted.");
        out().flush();
    }

    /** "30d", and the rules of its retention by count when it has some: "30d + last 3, daily 7". */
    private static String retention(JsonNode schedule) {
        String rules = keep(schedule);
        return Views.number(schedule, "spec.retentionDays") + "d" + (rules.isEmpty() ? "" : " + " + rules);
    }

    /** "last 3, daily 7, monthly 12" (the rules above 0), or "" without retention by count. */
    private static String keep(JsonNode schedule) {
        JsonNode keep = Views.at(schedule, "spec.keep");
        List<String> rules = new java.util.ArrayList<>();
        for (String rule : List.of("last", "daily", "weekly", "monthly")) {
            if (keep.path(rule).asInt() > 0) {
                rules.add(rule + " " + keep.path(rule).asInt());
            }
        }
        return String.join(", ", rules);
    }

    private static String target(JsonNode schedule) {
        String cluster = Views.text(schedule, "spec.cluster");
        return cluster.isEmpty() ? "workspace " + Views.text(schedule, "spec.workspace") : "cluster " + cluster;
    }

    /** "weekly (UTC)", or the custom fields in cron's order: "cron 0 3 * * * (Europe/Paris)". */
    private static String when(JsonNode schedule) {
        JsonNode when = Views.at(schedule, "spec.schedule");
        if (when.hasNonNull("preset")) {
            return when.get("preset").asText() + " (" + Views.text(schedule, "spec.timeZone") + ")";
        }
        JsonNode custom = when.path("custom");
        StringBuilder cron = new StringBuilder("cron");
        for (String field : List.of("minute", "hour", "dayOfMonth", "month", "dayOfWeek")) {
            cron.append(' ').append(custom.hasNonNull(field) ? custom.get(field).asText() : "*");
        }
        return cron + " (" + Views.text(schedule, "spec.timeZone") + ")";
    }

    private void details(JsonNode schedule) {
        Details details = new Details().field("Name", schedule.path("name").asText())
                .field("Project", schedule.path("project").asText())
                .field("Created", times().both(schedule.path("createdAt")))
                .blank()
                .field("Target", target(schedule))
                .field("Location", Views.text(schedule, "spec.location"))
                .field("When", when(schedule))
                .field("Retention", Views.number(schedule, "spec.retentionDays") + " days")
                .field("Also kept", keep(schedule).isEmpty() ? "the newest Completed backup"
                        : "the newest Completed backup; " + keep(schedule))
                .field("Verify after", Views.yesNo(Views.at(schedule, "spec.verifyAfter")))
                .field("Backup names", Views.text(schedule, "spec.prefix") + "-<yyyyMMddHHmmss>")
                .field("Namespaces", Views.at(schedule, "spec.namespaces").size() == 0 ? "* (all)"
                        : Views.joined(Views.at(schedule, "spec.namespaces")))
                .field("Include disks", Views.yesNo(Views.at(schedule, "spec.includeDisks")))
                .field("Cluster-scoped resources", Views.yesNo(Views.at(schedule, "spec.includeClusterResources")))
                .blank()
                .field("Phase", Views.text(schedule, "status.phase"))
                .field("Next run", times().both(Views.at(schedule, "status.nextRunAt")))
                .field("Last backup", Views.text(schedule, "status.lastBackup"))
                .field("Last error", Views.text(schedule, "status.lastError"));
        details.print(out());
    }
}
