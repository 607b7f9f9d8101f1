package io.lifeboat.schedule;

import io.lifeboat.backup.BackupService;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleServiceTest {
    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MovableClock clock = new MovableClock(Instant.parse("2026-11-23T10:00:30Z"));
    final InMemoryScheduleRepository schedules = new InMemoryScheduleRepository();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>(); // the tick starts on several threads
    ScheduleService service;
    io.lifeboat.workspace.WorkspaceService workspaces;

    @BeforeEach
    void setUp() {
        clusters.create(new Cluster("p", "prod", "k", null, "https://k", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "b", "", Map.of(), LocationStatus.available(clock.instant()),
                clock.instant()));
        BackupService backupService = new BackupService(backups, clusters, locations, l -> null, clock);
        io.lifeboat.restore.InMemoryRestoreRepository restores = new io.lifeboat.restore.InMemoryRestoreRepository();
        workspaces = new io.lifeboat.workspace.WorkspaceService(new io.lifeboat.workspace.InMemoryWorkspaceRepository(),
                clusters, locations, backupService, backups,
                new io.lifeboat.restore.RestoreService(restores, backups, clusters, locations, l -> null, clock), restores, clock);
        service = new ScheduleService(schedules, clusters, locations, backupService, workspaces, clock);
    }

    ScheduleRequest everyMinute(String name) {
        return new ScheduleRequest(name, "prod", null, "loc", "nightly", false, null, List.of(), 7,
                new ScheduleRequest.When(null, Map.of()), null);
    }

    @Test
    void eachSlotStartsOneBackupNamedForIt() {
        Schedule schedule = service.create("p", everyMinute("every-minute"));
        assertEquals(Instant.parse("2026-11-23T10:01:00Z"), schedule.nextRunAt());
        assertTrue(service.tick((p, n) -> started.add(n)).isEmpty(), "nothing is due yet");

        clock.now = Instant.parse("2026-11-23T10:01:05Z");
        assertEquals(List.of("p/nightly-20261123100100"), service.tick((p, n) -> started.add(n)));
        assertTrue(service.tick((p, n) -> started.add(n)).isEmpty(), "a second tick in the same minute starts nothing");
        assertEquals(Instant.parse("2026-11-23T10:02:00Z"), schedules.find("p", "every-minute").orElseThrow().nextRunAt());
        assertEquals("nightly-20261123100100", schedules.find("p", "every-minute").orElseThrow().lastBackup());
        assertEquals(clock.now.plus(Duration.ofDays(7)), backups.find("p", "nightly-20261123100100").orElseThrow().expiresAt());
    }

    @Test
    void aMissedSlotRunsOnceAndOlderOnesAreNotCaughtUp() {
        service.create("p", everyMinute("missed"));
        clock.now = Instant.parse("2026-11-23T10:30:10Z"); // down for half an hour
        assertEquals(List.of("p/nightly-20261123100100"), service.tick((p, n) -> started.add(n)));
        assertEquals(Instant.parse("2026-11-23T10:31:00Z"), schedules.find("p", "missed").orElseThrow().nextRunAt());
        assertTrue(service.tick((p, n) -> started.add(n)).isEmpty());
    }

    @Test
    void pausedSchedulesDoNotRunAndResumeFromNow() {
        service.create("p", everyMinute("paused"));
        service.pause("p", "paused");
        clock.now = Instant.parse("2026-11-23T11:00:30Z");
        assertTrue(service.tick((p, n) -> started.add(n)).isEmpty());
        assertEquals(Instant.parse("2026-11-23T11:01:00Z"), service.resume("p", "paused").nextRunAt());
    }

    @Test
    void aSlotThatCannotBackUpRecordsWhy() {
        service.create("p", everyMinute("broken"));
        locations.updateStatus("p", "loc", LocationStatus.unavailable(LocationStatus.Reason.NoSuchBucket, "gone", clock.instant()));
        clock.now = Instant.parse("2026-11-23T10:01:05Z");
        assertTrue(service.tick((p, n) -> started.add(n)).isEmpty());
        Schedule schedule = schedules.find("p", "broken").orElseThrow();
        assertTrue(schedule.lastError().contains("Unavailable"), schedule.lastError());
        assertNull(schedule.lastBackup());
        assertEquals(Instant.parse("2026-11-23T10:02:00Z"), schedule.nextRunAt(), "the next slot is still kept");
    }

    /** The schedule table, counting the writes a tick makes to it by method. */
    final Map<String, java.util.concurrent.atomic.AtomicInteger> writes = new java.util.concurrent.ConcurrentHashMap<>();

    ScheduleRepository countedSchedules() {
        return (ScheduleRepository) java.lang.reflect.Proxy.newProxyInstance(ScheduleRepository.class.getClassLoader(),
                new Class<?>[]{ScheduleRepository.class}, (proxy, method, args) -> {
                    writes.computeIfAbsent(method.getName(), k -> new java.util.concurrent.atomic.AtomicInteger())
                            .incrementAndGet();
                    try {
                        return method.invoke(schedules, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    int calls(String method) {
        var count = writes.get(method);
        return count == null ? 0 : count.get();
    }

    @Test
    void aSlotThatStartsWellIsRecordedByTheWriteThatTakesIt() {
        service.create("p", everyMinute("one-write"));
        locations.updateStatus("p", "loc", LocationStatus.unavailable(LocationStatus.Reason.NoSuchBucket, "gone", clock.instant()));
        clock.now = Instant.parse("2026-11-23T10:01:05Z");
        assertTrue(service.tick((p, n) -> started.add(n)).isEmpty());
        assertTrue(schedules.find("p", "one-write").orElseThrow().lastError().contains("Unavailable"));

        locations.updateStatus("p", "loc", LocationStatus.available(clock.instant()));
        ScheduleService counted = new ScheduleService(countedSchedules(), clusters, locations,
                new BackupService(backups, clusters, locations, l -> null, clock), workspaces, clock);
        clock.now = Instant.parse("2026-11-23T10:02:05Z");
        assertEquals(List.of("p/nightly-20261123100200"), counted.tick((p, n) -> started.add(n)));

        assertEquals(1, calls("advance"), writes.toString());
        assertEquals(0, calls("recordRun"), "no second write for a slot that started: " + writes);
        Schedule after = schedules.find("p", "one-write").orElseThrow();
        assertEquals("nightly-20261123100200", after.lastBackup());
        assertNull(after.lastError(), "the last slot's error is cleared by the slot that started");
        assertEquals(Instant.parse("2026-11-23T10:03:00Z"), after.nextRunAt());
    }

    @Test
    void aSlotWhoseBackupIsRefusedKeepsThePreviousLastBackup() {
        service.create("p", everyMinute("kept"));
        clock.now = Instant.parse("2026-11-23T10:01:05Z");
        assertEquals(List.of("p/nightly-20261123100100"), service.tick((p, n) -> started.add(n)));

        locations.updateStatus("p", "loc", LocationStatus.unavailable(LocationStatus.Reason.NoSuchBucket, "gone", clock.instant()));
        clock.now = Instant.parse("2026-11-23T10:02:05Z");
        assertTrue(service.tick((p, n) -> started.add(n)).isEmpty());

        Schedule after = schedules.find("p", "kept").orElseThrow();
        assertEquals("nightly-20261123100100", after.lastBackup(), "the refused slot's backup was never recorded");
        assertTrue(backups.find("p", "nightly-20261123100200").isEmpty());
        assertTrue(after.lastError().startsWith("slot 20261123100200: "), after.lastError());
        assertEquals(Instant.parse("2026-11-23T10:03:00Z"), after.nextRunAt());
        assertEquals(List.of("nightly-20261123100100"), started);
    }

    @Test
    void aBackupTheTickCannotStartIsFailedAndTheScheduleSaysWhy() {
        service.create("p", everyMinute("refused"));
        clock.now = Instant.parse("2026-11-23T10:01:05Z");
        assertTrue(service.tick((p, n) -> {
            throw new IllegalStateException("invoking Lambda lifeboat-run-backup failed: Rate Exceeded.");
        }).isEmpty(), "nothing was started");
        io.lifeboat.backup.Backup backup = backups.find("p", "nightly-20261123100100").orElseThrow();
        assertEquals(io.lifeboat.backup.Backup.Phase.Failed, backup.phase(), "never left New");
        assertEquals(List.of("run-backup could not be started: invoking Lambda lifeboat-run-backup failed: Rate Exceeded."),
                backup.firstErrors());
        Schedule schedule = schedules.find("p", "refused").orElseThrow();
        assertEquals("nightly-20261123100100", schedule.lastBackup());
        assertTrue(schedule.lastError().contains("could not be started"), schedule.lastError());
        assertEquals(Instant.parse("2026-11-23T10:02:00Z"), schedule.nextRunAt(), "the next slot is still kept");
    }

    @Test
    void badRequests() {
        assertEquals("retentionDays", assertThrows(InvalidInputException.class, () -> service.create("p",
                new ScheduleRequest("s", "prod", null, "loc", null, false, null, null, 0, new ScheduleRequest.When("weekly", null), null))).field());
        assertEquals("schedule", assertThrows(InvalidInputException.class, () -> service.create("p",
                new ScheduleRequest("s", "prod", null, "loc", null, false, null, null, 1, new ScheduleRequest.When("weekly", Map.of()), null))).field());
        assertEquals("schedule.custom.hour", assertThrows(InvalidInputException.class, () -> service.create("p",
                new ScheduleRequest("s", "prod", null, "loc", null, false, null, null, 1, new ScheduleRequest.When(null, Map.of("hour", 25)), null))).field());
        assertEquals("timeZone", assertThrows(InvalidInputException.class, () -> service.create("p",
                new ScheduleRequest("s", "prod", null, "loc", null, false, null, null, 1, new ScheduleRequest.When("monthly", null), "Nowhere/Else"))).field());
        assertEquals("prefix", assertThrows(InvalidInputException.class, () -> service.create("p",
                new ScheduleRequest("s", "prod", null, "loc", "p".repeat(49), false, null, null, 1, new ScheduleRequest.When("monthly", null), null))).field());
        InvalidInputException tooLong = assertThrows(InvalidInputException.class, () -> service.create("p",
                new ScheduleRequest("s", "prod", null, "loc", null, false, null, null, 3_000_000,
                        new ScheduleRequest.When("weekly", null), null)));
        assertEquals("retentionDays", tooLong.field());
        assertEquals("retentionDays: must end before year 10000", tooLong.getMessage());
        assertThrows(NotFoundException.class, () -> service.create("p",
                new ScheduleRequest("s", "nope", null, "loc", null, false, null, null, 1, new ScheduleRequest.When("monthly", null), null)));
        assertTrue(schedules.list("p", io.lifeboat.paging.PageRequest.first(10)).items().isEmpty());
    }

    @Test
    void aWorkspaceScheduleStartsOneChildBackupPerMemberPerSlot() {
        clusters.create(new Cluster("p", "dr", "k", null, "https://k", ClusterStatus.unknown(), clock.instant()));
        workspaces.create("p", new io.lifeboat.workspace.WorkspaceRequests.Create("fleet", List.of("prod", "dr"), List.of()));
        service.create("p", new ScheduleRequest("fleet-minutely", null, "fleet", "loc", "fleet", false, null, null, 3,
                new ScheduleRequest.When(null, Map.of()), null));
        clock.now = Instant.parse("2026-11-23T10:01:05Z");
        service.tick((p, n) -> started.add(n));
        assertEquals(java.util.Set.of("fleet-20261123100100-prod", "fleet-20261123100100-dr"), java.util.Set.copyOf(started));
        assertEquals(2, started.size());
        assertEquals(io.lifeboat.workspace.WorkspaceService.RunPhase.InProgress, workspaces.state(workspaces.getRun("p", "fleet",
                io.lifeboat.workspace.WorkspaceRun.Kind.backup, "fleet-20261123100100")).phase());
        assertEquals("cluster", assertThrows(InvalidInputException.class, () -> service.create("p",
                new ScheduleRequest("both", "prod", "fleet", "loc", null, false, null, null, 3,
                        new ScheduleRequest.When("weekly", null), null))).field());
    }

    /** The preview shows the runs a schedule created now would have, by the tick's own rules, and stores nothing. */
    @Test
    void aPreviewShowsTheNextRunsOfAScheduleCreatedNow() {
        // 2026-11-23 is a Monday: the next Sundays are the 29th, then 6 and 13 December
        assertEquals(List.of(Instant.parse("2026-11-29T00:00:00Z"), Instant.parse("2026-12-06T00:00:00Z"),
                        Instant.parse("2026-12-13T00:00:00Z")),
                service.preview("p", new SchedulePreviewRequest(new ScheduleRequest.When("weekly", null), null, 3)));
        assertEquals(List.of(Instant.parse("2026-11-29T00:00:00Z"), Instant.parse("2026-12-13T00:00:00Z")),
                service.preview("p", new SchedulePreviewRequest(new ScheduleRequest.When("biweekly", null), null, 2)));
        assertEquals(List.of(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2027-02-01T00:00:00Z")),
                service.preview("p", new SchedulePreviewRequest(new ScheduleRequest.When("bimonthly", null), null, 2)));
        // 02:30 in Berlin (UTC+1 in winter) on the 1st and 15th
        assertEquals(List.of(Instant.parse("2026-12-01T01:30:00Z"), Instant.parse("2026-12-15T01:30:00Z")),
                service.preview("p", new SchedulePreviewRequest(new ScheduleRequest.When(null,
                        Map.of("dayOfMonth", "1,15", "hour", 2, "minute", 30)), "Europe/Berlin", 2)));
        assertEquals(5, service.preview("p", new SchedulePreviewRequest(new ScheduleRequest.When("monthly", null), null, null)).size());

        Schedule created = service.create("p", new ScheduleRequest("weekly", "prod", null, "loc", null, false, null, null, 7,
                new ScheduleRequest.When("weekly", null), null));
        assertEquals(service.preview("p", new SchedulePreviewRequest(new ScheduleRequest.When("weekly", null), null, 1)).get(0),
                created.nextRunAt(), "the preview's first run is the created schedule's next run");
    }

    @Test
    void aBadPreviewNamesTheFieldAsCreateDoes() {
        assertEquals("schedule.custom.hour", assertThrows(InvalidInputException.class, () -> service.preview("p",
                new SchedulePreviewRequest(new ScheduleRequest.When(null, Map.of("hour", 25)), null, 3))).field());
        assertEquals("schedule.preset", assertThrows(InvalidInputException.class, () -> service.preview("p",
                new SchedulePreviewRequest(new ScheduleRequest.When("daily", null), null, 3))).field());
        assertEquals("schedule", assertThrows(InvalidInputException.class, () -> service.preview("p",
                new SchedulePreviewRequest(null, null, 3))).field());
        assertEquals("timeZone", assertThrows(InvalidInputException.class, () -> service.preview("p",
                new SchedulePreviewRequest(new ScheduleRequest.When("weekly", null), "Nowhere/Else", 3))).field());
        assertEquals("count", assertThrows(InvalidInputException.class, () -> service.preview("p",
                new SchedulePreviewRequest(new ScheduleRequest.When("weekly", null), null, 21))).field());
        assertEquals("schedule.custom", assertThrows(InvalidInputException.class, () -> service.preview("p",
                new SchedulePreviewRequest(new ScheduleRequest.When(null, Map.of("month", 2, "dayOfMonth", 31)), null, 1))).field());
    }
}
