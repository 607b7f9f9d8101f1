package io.lifeboat.expiry;

import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupService;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.RestoreService;
import io.lifeboat.retention.Keep;
import io.lifeboat.schedule.InMemoryScheduleRepository;
import io.lifeboat.schedule.ScheduleRequest;
import io.lifeboat.schedule.ScheduleService;
import io.lifeboat.work.ManualClock;
import io.lifeboat.workspace.InMemoryWorkspaceRepository;
import io.lifeboat.workspace.WorkspaceService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A schedule's backups taken night after night (a ManualClock moved from slot to slot, each slot's backup finished as
 * the run would), then swept: what its retention keeps stays past its expiry, the rest goes, and its newest Completed
 * backup is never expired, even once the schedule is deleted.
 */
class RetentionSweepTest {
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-01T00:00:30Z"));
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryScheduleRepository schedules = new InMemoryScheduleRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    ScheduleService service;
    ExpirySweeper sweeper;

    @BeforeEach
    void setUp() {
        clusters.create(new Cluster("p", "prod", "k", null, "https://k", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "b", "team", Map.of(), LocationStatus.available(clock.instant()),
                clock.instant()));
        BackupService backupService = new BackupService(backups, clusters, locations, l -> store, clock);
        WorkspaceService workspaces = new WorkspaceService(new InMemoryWorkspaceRepository(), clusters, locations,
                backupService, backups, new RestoreService(restores, backups, clusters, locations, l -> store, clock),
                restores, clock);
        service = new ScheduleService(schedules, clusters, locations, backupService, workspaces, clock);
        sweeper = new ExpirySweeper(backups, restores, clusters, locations, (k, c) -> new InMemoryClusterSession(),
                l -> store, schedules, clock, Duration.ofMinutes(20));
    }

    /**
     * Every night at 01:00 UTC (the ticks at 01:00:05) for {@code nights} nights, from the 1st, each backup finished as
     * {@code phase} says.
     */
    void nights(int nights, java.util.function.IntFunction<Backup.Phase> phase) {
        for (int night = 1; night <= nights; night++) {
            Instant due = schedules.find("p", "nightly").orElseThrow().nextRunAt().plusSeconds(5); // the tick at :05
            clock.advance(Duration.between(clock.instant(), due));
            List<String> started = service.tick((project, name) -> { });
            assertEquals(1, started.size(), "night " + night + " at " + clock.instant());
            String name = started.get(0).substring("p/".length());
            assertTrue(backups.claim("p", name, clock.instant()));
            backups.finish("p", name, new Backup.Outcome(phase.apply(night), new Backup.Progress(1, 1), clock.instant(),
                    1, "x", 0, 0, List.of(), List.of()));
            store.put(Layout.backupObject("team", name, Layout.BackupFile.TARBALL), new byte[]{1});
        }
    }

    TreeSet<String> remaining() {
        TreeSet<String> names = new TreeSet<>();
        backups.ofSchedule("p", "nightly").forEach(b -> names.add(b.name().substring("nightly-202611".length(), "nightly-202611".length() + 2)));
        return names;
    }

    @Test
    void whatTheRulesKeepOutlivesItsExpiryAndTheNewestCompletedIsNeverExpired() {
        service.create("p", new ScheduleRequest("nightly", "prod", null, "loc", "nightly", false, null, List.of(), 1,
                new ScheduleRequest.When(null, Map.of("hour", 1, "minute", 0)), null, new Keep(2, 3, null, null), null));
        nights(10, night -> night == 8 ? Backup.Phase.PartiallyFailed : Backup.Phase.Completed);
        assertEquals(new TreeSet<>(List.of("01", "02", "03", "04", "05", "06", "07", "08", "09", "10")), remaining(),
                "one backup a night, from the 1st to the 10th");

        clock.advance(Duration.ofHours(11)); // 12:00 on the 10th: every backup but the 10th's has expired (one day)
        ExpirySweeper.Sweep sweep = sweeper.sweep();
        // last 2: the 10th and the 9th; daily 3: the 8th's is PartiallyFailed, so not counted, and the three newest
        // days holding a Completed backup are the 10th, the 9th and the 7th
        assertEquals(List.of("p/nightly-20261107010000 (daily)", "p/nightly-20261109010000 (last, daily)"), sweep.kept());
        assertEquals(new TreeSet<>(List.of("07", "09", "10")), remaining());
        assertEquals(7, sweep.deleted().size(), sweep.deleted().toString());
        assertTrue(store.objects().keySet().stream().noneMatch(k -> k.contains("nightly-20261101")));

        service.pause("p", "nightly");
        clock.advance(Duration.ofDays(30)); // nothing newer: the same ones are kept, and now the 10th's too
        ExpirySweeper.Sweep paused = sweeper.sweep();
        assertEquals(List.of(), paused.deleted());
        assertEquals(List.of("p/nightly-20261107010000 (daily)", "p/nightly-20261109010000 (last, daily)",
                "p/nightly-20261110010000 (newest, last, daily)"), paused.kept());

        service.delete("p", "nightly"); // without the schedule, its rules are gone: only its newest Completed stays
        ExpirySweeper.Sweep deleted = sweeper.sweep();
        assertEquals(List.of("p/nightly-20261110010000 (newest)"), deleted.kept());
        assertEquals(new TreeSet<>(List.of("10")), remaining());
        assertTrue(sweeper.deleteNow("p", "nightly-20261110010000"), "a delete asked for is never held back");
        assertEquals(new TreeSet<>(), remaining());
    }

    @Test
    void withoutKeepAScheduleStillNeverLosesItsNewestCompletedBackup() {
        service.create("p", new ScheduleRequest("nightly", "prod", null, "loc", "nightly", false, null, List.of(), 1,
                new ScheduleRequest.When(null, Map.of("hour", 1, "minute", 0)), null));
        nights(3, night -> night == 3 ? Backup.Phase.Failed : Backup.Phase.Completed);
        clock.advance(Duration.ofDays(5));
        ExpirySweeper.Sweep sweep = sweeper.sweep();
        assertEquals(List.of("p/nightly-20261102010000 (newest)"), sweep.kept(), "the newest Completed, not the newer Failed");
        assertEquals(new TreeSet<>(List.of("02")), remaining());
        Backup kept = backups.find("p", "nightly-20261102010000").orElseThrow();
        assertTrue(kept.expiresAt().isBefore(clock.instant()), "its expiry stays as recorded, in the past");
        assertEquals(Backup.Phase.Completed, kept.phase());
    }
}
