package io.lifeboat.schedule;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRequest;
import io.lifeboat.input.Expiry;
import io.lifeboat.backup.BackupService;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.error.LifeboatException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.input.Names;
import io.lifeboat.location.Location;
import io.lifeboat.retention.Keep;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.workspace.WorkspaceRequests;
import io.lifeboat.work.Fanout;
import io.lifeboat.workspace.WorkspaceService;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Creates, pauses and resumes schedules, and runs the ones that are due (the tick-schedules function). A schedule of
 * a workspace starts a workspace backup per slot: one child backup per member cluster.
 */
public final class ScheduleService {
    /** Backup names are {@code <prefix>-<yyyyMMddHHmmss>}: 15 characters after the prefix, within 63. */
    public static final int MAX_PREFIX = 48;
    private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final ScheduleRepository schedules;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    private final BackupService backups;
    private final WorkspaceService workspaces;
    private final Clock clock;

    public ScheduleService(ScheduleRepository schedules, ClusterRepository clusters, LocationRepository locations,
                           BackupService backups, WorkspaceService workspaces, Clock clock) {
        this.schedules = schedules;
        this.clusters = clusters;
        this.locations = locations;
        this.backups = backups;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    public Schedule create(String project, ScheduleRequest r) {
        Names.requireLabel("project", project);
        String name = Names.requireLabel("name", r.name());
        if ((r.cluster() == null) == (r.workspace() == null)) {
            throw new InvalidInputException("cluster", "give either cluster or workspace");
        }
        String cluster = r.cluster() == null ? null : Names.requireLabel("cluster", r.cluster());
        String workspace = r.workspace() == null ? null : Names.requireLabel("workspace", r.workspace());
        String location = Names.requireLabel("location", r.location());
        String prefix = Names.requireLabel("prefix", r.prefix() == null ? name : r.prefix());
        if (prefix.length() > MAX_PREFIX) {
            throw new InvalidInputException("prefix", "must be at most " + MAX_PREFIX + " characters, so that "
                    + "<prefix>-<yyyyMMddHHmmss> is a valid name");
        }
        if (r.retentionDays() == null || r.retentionDays() < 1) {
            throw new InvalidInputException("retentionDays", "must be at least 1");
        }
        List<String> namespaces = Names.requireLabels("namespaces", r.namespaces());
        if (r.schedule() == null || (r.schedule().preset() == null) == (r.schedule().custom() == null)) {
            throw new InvalidInputException("schedule", "give either preset or custom");
        }
        Instant now = clock.instant();
        if (!now.plus(Duration.ofDays(r.retentionDays())).isBefore(Expiry.LIMIT)) {
            throw new InvalidInputException("retentionDays", "must end before year 10000");
        }
        Keep keep = Keep.check(r.keep());
        Schedule schedule = new Schedule(project, name, cluster, workspace, location, prefix, Boolean.TRUE.equals(r.includeDisks()),
                r.includeClusterResources(), namespaces, r.retentionDays(),
                r.schedule().preset() == null ? null : ScheduleSpec.Preset.parse(r.schedule().preset()), r.schedule().custom(),
                r.timeZone(), false, null, null, null, now, keep, Boolean.TRUE.equals(r.verifyAfter()));
        Instant next = schedule.spec().nextAfter(now, now); // checks the fields and the zone
        if (cluster != null) {
            clusters.findStatus(project, cluster).orElseThrow(() -> new NotFoundException("cluster", project, cluster));
        } else {
            workspaces.get(project, workspace);
        }
        Location plain = locations.findPlain(project, location)
                .orElseThrow(() -> new NotFoundException("location", project, location));
        if (plain.immutability() != null && r.retentionDays() < plain.immutability().days()) {
            throw new InvalidInputException("retentionDays", "must be at least " + plain.immutability().days()
                    + ": location '" + location + "' locks each backup that long, and a backup cannot expire while"
                    + " it is locked");
        }
        Schedule created = schedule.withState(false, next, null, null);
        schedules.create(created);
        return created;
    }

    /** How many runs a preview may show. */
    public static final int MAX_PREVIEW = 20;

    /**
     * The next runs of a schedule that would be created now with this {@code schedule} and {@code timeZone}, by the
     * same rules the tick follows (biweekly and bimonthly counted from now, as from a creation now), so that a user
     * sees them before saving. Field errors name the fields as {@link #create} does. Nothing is stored.
     */
    public java.util.List<Instant> preview(String project, SchedulePreviewRequest r) {
        Names.requireLabel("project", project);
        if (r.schedule() == null || (r.schedule().preset() == null) == (r.schedule().custom() == null)) {
            throw new InvalidInputException("schedule", "give either preset or custom");
        }
        int count = r.count() == null ? 5 : r.count();
        if (count < 1 || count > MAX_PREVIEW) {
            throw new InvalidInputException("count", "must be between 1 and " + MAX_PREVIEW);
        }
        ScheduleSpec spec = r.schedule().preset() != null
                ? ScheduleSpec.preset(ScheduleSpec.Preset.parse(r.schedule().preset()), r.timeZone())
                : ScheduleSpec.custom(r.schedule().custom(), r.timeZone());
        Instant now = clock.instant();
        java.util.List<Instant> runs = new java.util.ArrayList<>();
        for (Instant after = now; runs.size() < count; ) {
            after = spec.nextAfter(after, now);
            runs.add(after);
        }
        return runs;
    }

    public Schedule get(String project, String name) {
        return schedules.find(project, name).orElseThrow(() -> new NotFoundException("schedule", project, name));
    }

    public Page<Schedule> list(String project, PageRequest page) {
        return schedules.list(project, page);
    }

    public void delete(String project, String name) {
        if (!schedules.delete(project, name)) {
            throw new NotFoundException("schedule", project, name);
        }
    }

    public Schedule pause(String project, String name) {
        Schedule schedule = get(project, name);
        schedules.setPaused(project, name, true, null);
        return schedule.withState(true, null, schedule.lastBackup(), schedule.lastError());
    }

    /** Resuming never catches up what was missed while paused: the next run is the next slot from now. */
    public Schedule resume(String project, String name) {
        Schedule schedule = get(project, name);
        Instant next = schedule.spec().nextAfter(clock.instant(), schedule.createdAt());
        schedules.setPaused(project, name, false, next);
        return schedule.withState(false, next, schedule.lastBackup(), schedule.lastError());
    }

    /**
     * How a tick spreads its work: at most {@code concurrency} slots being started at once, and new slots taken only
     * within {@code budget} of the tick's start, so that the starts in flight end well before the function's timeout
     * (60 s in AWS). A due slot not taken stays due, and the next tick takes it, once.
     */
    public record TickLimits(int concurrency, Duration budget) {
        /** 32 starts in flight, new slots taken for 40 s: 20 s left for the last ones (their invocation retries). */
        public static final TickLimits DEFAULTS = new TickLimits(32, Duration.ofSeconds(40));

        public TickLimits {
            if (concurrency < 1 || budget.isNegative()) {
                throw new IllegalArgumentException("a tick needs a concurrency of at least 1 and a budget of 0 or more");
            }
        }
    }

    /** {@link #tick(BiConsumer, TickLimits)} with the default limits. */
    public List<String> tick(BiConsumer<String, String> start) {
        return tick(start, TickLimits.DEFAULTS);
    }

    /**
     * Starts one backup for each due schedule, named for its slot, with at most {@code limits.concurrency()} at once.
     * The slot is taken with a conditional write first (the schedule's next run moves from the slot only if it is
     * still the slot), so overlapping or repeated ticks start one backup per slot. A slot missed (Lifeboat was down)
     * runs once when noticed; slots older than that are not caught up. Slots are taken only within the budget: the
     * rest keep their next run, so the next tick finds them due and starts them under the same names.
     * Each location's status is read once per tick, not once per slot (a location that becomes unavailable meanwhile
     * fails its backups in run-backup rather than here), and each slot costs a conditional write, its cluster's
     * status, its backup's record and the invocation.
     * {@code start} launches run-backup; it is called from several threads at once. Returns the backups started, as
     * {@code project/name}, in the order the schedules came due.
     */
    public List<String> tick(BiConsumer<String, String> start, TickLimits limits) {
        Instant now = clock.instant();
        Instant takeUntil = now.plus(limits.budget());
        List<Schedule> due = schedules.due(now);
        Map<String, Optional<Location>> locationStatuses = new ConcurrentHashMap<>();
        List<Optional<String>> outcomes = Fanout.mapWhile(due, limits.concurrency(),
                () -> clock.instant().isBefore(takeUntil), schedule -> startSlot(schedule, now, start, locationStatuses));
        return outcomes.stream().flatMap(Optional::stream).toList();
    }

    /**
     * One due schedule's slot: {@code project/backup} when started, null when not (another tick has it, or it failed).
     * Taking the slot names its backup the schedule's last one (one write when all goes well); a start that fails
     * then records why, and a backup that could not even be recorded puts the previous last backup back.
     */
    private String startSlot(Schedule schedule, Instant now, BiConsumer<String, String> start,
                             Map<String, Optional<Location>> locationStatuses) {
        Instant slot = schedule.nextRunAt();
        Instant next = schedule.spec().nextAfter(now, schedule.createdAt());
        String backupName = schedule.prefix() + "-" + SLOT.format(slot);
        if (!schedules.advance(schedule.project(), schedule.name(), slot, next, backupName)) {
            return null; // another tick has this slot
        }
        try {
            java.time.OffsetDateTime expiresAt = now.plus(Duration.ofDays(schedule.retentionDays())).atOffset(ZoneOffset.UTC);
            if (schedule.workspace() != null) {
                workspaces.backup(schedule.project(), schedule.workspace(), new WorkspaceRequests.Backup(backupName,
                        schedule.location(), expiresAt, schedule.includeDisks(), schedule.includeClusterResources()), start,
                        schedule.name(), schedule.verifyAfter());
            } else {
                Location location = locationStatuses.computeIfAbsent(schedule.project() + "/" + schedule.location(),
                        key -> locations.findPlain(schedule.project(), schedule.location())).orElse(null);
                Backup backup = backups.request(schedule.project(), new BackupRequest(backupName, schedule.cluster(),
                        schedule.location(), expiresAt, schedule.includeDisks(), schedule.includeClusterResources(),
                        schedule.namespaces(), schedule.verifyAfter()), null, location, schedule.name());
                Backup begun = backups.start(backup, start); // one that cannot be started is Failed, with why
                if (begun.phase() == Backup.Phase.Failed) {
                    schedules.recordRun(schedule.project(), schedule.name(), backupName,
                            "slot " + SLOT.format(slot) + ": " + begun.firstErrors().get(0));
                    return null;
                }
            }
            return schedule.project() + "/" + backupName;
        } catch (LifeboatException e) {
            schedules.recordRun(schedule.project(), schedule.name(), schedule.lastBackup(),
                    "slot " + SLOT.format(slot) + ": " + e.getMessage());
            return null;
        }
    }
}
