package io.lifeboat.schedule;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupService;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.RestoreService;
import io.lifeboat.workspace.InMemoryWorkspaceRepository;
import io.lifeboat.workspace.WorkspaceRequests;
import io.lifeboat.workspace.WorkspaceRun;
import io.lifeboat.workspace.WorkspaceService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups started for many at once into an immutable location: a schedule must keep its backups at least as long as
 * they are locked, its ticks' backups expire when the lock ends or later, and a workspace's children are locked too.
 */
class ImmutableScheduleTest {
    final Instant start = Instant.parse("2026-11-23T10:00:30Z");
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryScheduleRepository schedules = new InMemoryScheduleRepository();
    BackupService backupService;
    WorkspaceService workspaces;

    ScheduleService at(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        backupService = new BackupService(backups, clusters, locations, l -> null, clock);
        InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
        workspaces = new WorkspaceService(new InMemoryWorkspaceRepository(), clusters, locations, backupService, backups,
                new RestoreService(restores, backups, clusters, locations, l -> null, clock), restores, clock);
        return new ScheduleService(schedules, clusters, locations, backupService, workspaces, clock);
    }

    @BeforeEach
    void setUp() {
        clusters.create(new Cluster("p", "prod", "k", null, "https://k", new ClusterStatus(ClusterStatus.Health.Healthy,
                "v1.30.0", null, start), start));
        locations.create(new Location("p", "locked", Provider.MINIO, "b", "", Map.of(LocationField.IMMUTABILITY_DAYS, "14",
                LocationField.IMMUTABILITY_MODE, "governance"), LocationStatus.available(start), start));
    }

    ScheduleRequest everyMinute(String name, int retentionDays) {
        return new ScheduleRequest(name, "prod", null, "locked", name, false, null, List.of(), retentionDays,
                new ScheduleRequest.When(null, Map.of()), null);
    }

    @Test
    void aScheduleThatWouldExpireBackupsWhileLockedIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> at(start).create("p", everyMinute("short", 7)));
        assertEquals("retentionDays", e.field());
        assertTrue(e.getMessage().contains("at least 14"), e.getMessage());
    }

    @Test
    void aTicksBackupIsLockedAndExpiresNoEarlierThanItsLock() {
        at(start).create("p", everyMinute("exact", 14));
        Instant tick = Instant.parse("2026-11-23T10:01:05Z");
        assertEquals(List.of("p/exact-20261123100100"), at(tick).tick((p, n) -> { }));
        Backup backup = backups.find("p", "exact-20261123100100").orElseThrow();
        assertEquals(tick.plus(Duration.ofDays(14)), backup.retention().retainUntil());
        assertTrue(!backup.expiresAt().isBefore(backup.retention().retainUntil()));
    }

    @Test
    void aWorkspaceBackupsChildrenAreLockedAndItsDefaultExpiryIsTheLocksEnd() {
        locations.create(new Location("p", "long", Provider.MINIO, "b2", "", Map.of(LocationField.IMMUTABILITY_DAYS, "90",
                LocationField.IMMUTABILITY_MODE, "compliance"), LocationStatus.available(start), start));
        ScheduleService service = at(start);
        workspaces.create("p", new WorkspaceRequests.Create("fleet", List.of("prod"), List.of()));
        WorkspaceRun run = workspaces.backup("p", "fleet", new WorkspaceRequests.Backup("nightly", "long", null, null, null),
                (p, n) -> { });
        Backup child = backups.find("p", "nightly-prod").orElseThrow();
        assertEquals(start.plus(Duration.ofDays(90)), child.retention().retainUntil());
        assertEquals(start.plus(Duration.ofDays(90)), child.expiresAt(), "30 days by default, moved to the lock's end");
        assertEquals(child.expiresAt(), run.backup().expiresAt());
        InvalidInputException early = assertThrows(InvalidInputException.class, () -> workspaces.backup("p", "fleet",
                new WorkspaceRequests.Backup("early", "long", start.plus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC),
                        null, null), (p, n) -> { }));
        assertEquals("expiresAt", early.field());
        assertTrue(service != null);
    }
}
