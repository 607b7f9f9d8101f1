package io.lifeboat.workspace;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupService;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.error.ConflictException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreService;
import io.lifeboat.workspace.WorkspaceService.ChildPhase;
import io.lifeboat.workspace.WorkspaceService.RunPhase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WorkspaceService on its own: which members a run skips, and how a run's phase follows its children's. */
class WorkspaceServiceTest {
    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>(); // children start on several threads
    WorkspaceService workspaces;

    @BeforeEach
    void setUp() {
        Instant now = clock.instant();
        clusters.create(new Cluster("p", "east", "k", null, "https://k", new ClusterStatus(ClusterStatus.Health.Healthy,
                "v1.30.0", "ok", now), now));
        clusters.create(new Cluster("p", "west", "k", null, "https://k", ClusterStatus.unknown(), now));
        clusters.create(new Cluster("p", "down", "k", null, "https://k", new ClusterStatus(ClusterStatus.Health.Unreachable,
                null, "connection refused", now), now));
        locations.create(new Location("p", "loc", Provider.MINIO, "b", "", Map.of(), LocationStatus.available(now), now));
        BackupService backupService = new BackupService(backups, clusters, locations, l -> null, clock);
        RestoreService restoreService = new RestoreService(restores, backups, clusters, locations, l -> null, clock);
        workspaces = new WorkspaceService(new InMemoryWorkspaceRepository(), clusters, locations, backupService, backups,
                restoreService, restores, clock);
    }

    WorkspaceRun backup(String name, List<String> members) {
        workspaces.create("p", new WorkspaceRequests.Create("fleet-" + name, members, List.of()));
        return workspaces.backup("p", "fleet-" + name, new WorkspaceRequests.Backup(name, "loc", null, null, null),
                (project, child) -> started.add(child));
    }

    /** Ends a child backup in the given phase, as its run would. */
    void finish(String backup, Backup.Phase phase) {
        backups.claim("p", backup, clock.instant());
        backups.finish("p", backup, new Backup.Outcome(phase, new Backup.Progress(5, 7), clock.instant(), 10, "sha", 0,
                phase == Backup.Phase.Completed ? 0 : 1, phase == Backup.Phase.Failed ? List.of("bucket gone") : List.of(),
                List.of()));
    }

    @Test
    void anUnreachableMemberIsSkippedWithTheReasonAndGetsNoBackup() {
        WorkspaceRun run = backup("nightly", List.of("east", "down"));
        assertEquals(List.of("nightly-east"), started);
        assertTrue(backups.find("p", "nightly-down").isEmpty());
        WorkspaceService.ChildState skipped = workspaces.state(run).children().get(1);
        assertEquals("down", skipped.cluster());
        assertNull(skipped.name());
        assertEquals(ChildPhase.Skipped, skipped.phase());
        assertTrue(skipped.reason().contains("Unreachable at the start: connection refused"), skipped.reason());
    }

    @Test
    void aMemberNoLongerRegisteredIsSkipped() {
        workspaces.create("p", new WorkspaceRequests.Create("fleet", List.of("east", "west"), List.of()));
        clusters.delete("p", "west");
        WorkspaceRun run = workspaces.backup("p", "fleet", new WorkspaceRequests.Backup("n", "loc", null, null, null),
                (project, child) -> started.add(child));
        assertEquals(List.of("n-east"), started);
        assertEquals("the cluster is no longer registered", workspaces.state(run).children().get(1).reason());
    }

    @Test
    void theRunIsInProgressWhileAChildRunsThenCompletedWhenEveryChildIs() {
        WorkspaceRun run = backup("nightly", List.of("east", "west"));
        assertEquals(RunPhase.InProgress, workspaces.state(run).phase(), "both New");
        finish("nightly-east", Backup.Phase.Completed);
        assertEquals(RunPhase.InProgress, workspaces.state(run).phase(), "west still New");
        finish("nightly-west", Backup.Phase.Completed);
        WorkspaceService.RunState done = workspaces.state(run);
        assertEquals(RunPhase.Completed, done.phase());
        assertEquals(5L, done.children().get(0).items());
        assertEquals(7L, done.children().get(0).totalItems());
    }

    @Test
    void oneFailedChildMakesTheRunPartiallyFailedAndSaysWhy() {
        WorkspaceRun run = backup("nightly", List.of("east", "west"));
        finish("nightly-east", Backup.Phase.Completed);
        finish("nightly-west", Backup.Phase.Failed);
        WorkspaceService.RunState state = workspaces.state(run);
        assertEquals(RunPhase.PartiallyFailed, state.phase());
        assertEquals(ChildPhase.Failed, state.children().get(1).phase());
        assertEquals("bucket gone", state.children().get(1).reason());
    }

    @Test
    void aPartiallyFailedChildAloneMakesTheRunPartiallyFailed() {
        WorkspaceRun run = backup("nightly", List.of("east"));
        finish("nightly-east", Backup.Phase.PartiallyFailed);
        assertEquals(RunPhase.PartiallyFailed, workspaces.state(run).phase());
    }

    @Test
    void aRunWhoseChildrenAllFailedOrWereSkippedIsFailed() {
        WorkspaceRun run = backup("nightly", List.of("east", "down"));
        finish("nightly-east", Backup.Phase.Failed);
        assertEquals(RunPhase.Failed, workspaces.state(run).phase());
    }

    @Test
    void aDeletedChildIsShownDeletedAndIsNotACompletedOne() {
        WorkspaceRun run = backup("nightly", List.of("east", "west"));
        finish("nightly-east", Backup.Phase.Completed);
        finish("nightly-west", Backup.Phase.Completed);
        backups.delete("p", "nightly-west");
        WorkspaceService.RunState state = workspaces.state(run);
        assertEquals(ChildPhase.Deleted, state.children().get(1).phase());
        assertNull(state.children().get(1).items());
        assertEquals(RunPhase.PartiallyFailed, state.phase());
    }

    @Test
    void aRestoreSkipsTheMembersWhoseBackupWasSkippedAndFollowsTheMapping() {
        WorkspaceRun run = backup("nightly", List.of("east", "down"));
        finish("nightly-east", Backup.Phase.Completed);
        WorkspaceRun restore = workspaces.restore("p", "fleet-nightly", new WorkspaceRequests.Restore(null, "nightly",
                Map.of("east", "west"), null, null, null, null, null, null, null), (project, child) -> started.add(child));
        assertEquals("nightly-restore", restore.name());
        assertEquals(WorkspaceRun.Kind.restore, restore.kind());
        WorkspaceService.RunState state = workspaces.state(restore);
        assertEquals("west", state.children().get(0).cluster());
        assertEquals("nightly-restore-west", state.children().get(0).name());
        assertEquals(ChildPhase.New, state.children().get(0).phase());
        assertEquals(Restore.Phase.New, restores.find("p", "nightly-restore-west").orElseThrow().phase());
        assertEquals(ChildPhase.Skipped, state.children().get(1).phase());
        assertTrue(state.children().get(1).reason().startsWith("its backup was skipped: "), state.children().get(1).reason());
        assertEquals(RunPhase.InProgress, state.phase());
        assertTrue(run.children().size() == 2);
    }

    @Test
    void aRunIsFoundOnlyThroughItsOwnWorkspaceAndNamesAreNotTakenTwice() {
        backup("nightly", List.of("east"));
        workspaces.create("p", new WorkspaceRequests.Create("other", List.of("east"), List.of()));
        assertThrows(NotFoundException.class, () -> workspaces.getRun("p", "other", WorkspaceRun.Kind.backup, "nightly"));
        assertEquals("nightly", workspaces.getRun("p", "fleet-nightly", WorkspaceRun.Kind.backup, "nightly").name());
        assertThrows(ConflictException.class, () -> workspaces.backup("p", "other",
                new WorkspaceRequests.Backup("nightly", "loc", null, null, null), (project, child) -> { }));
    }

    @Test
    void runsAreListedPerWorkspaceAndKindInNameOrder() {
        workspaces.create("p", new WorkspaceRequests.Create("fleet", List.of("east"), List.of()));
        workspaces.create("p", new WorkspaceRequests.Create("other", List.of("east"), List.of()));
        for (String name : List.of("c", "a", "b")) {
            workspaces.backup("p", "fleet", new WorkspaceRequests.Backup(name, "loc", null, null, null), (p, c) -> { });
        }
        workspaces.backup("p", "other", new WorkspaceRequests.Backup("aa", "loc", null, null, null), (p, c) -> { });
        var first = workspaces.listRuns("p", "fleet", WorkspaceRun.Kind.backup, PageRequest.first(2));
        assertEquals(List.of("a", "b"), first.items().stream().map(s -> s.run().name()).toList());
        assertEquals("b", first.next());
        var second = workspaces.listRuns("p", "fleet", WorkspaceRun.Kind.backup, new PageRequest(first.next(), 2));
        assertEquals(List.of("c"), second.items().stream().map(s -> s.run().name()).toList());
        assertNull(second.next());
        assertTrue(workspaces.listRuns("p", "fleet", WorkspaceRun.Kind.restore, PageRequest.first(2)).items().isEmpty());
    }

    @Test
    void aRunKeepsWhatEachChildWasAskedFor() {
        workspaces.create("p", new WorkspaceRequests.Create("fleet", List.of("east"), List.of("shop", "db")));
        java.time.OffsetDateTime expires = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusDays(3);
        WorkspaceRun run = workspaces.backup("p", "fleet", new WorkspaceRequests.Backup("n", "loc", expires, true, false),
                (project, child) -> { });
        assertEquals(new WorkspaceRun.BackupSpec("loc", expires.toInstant(), true, false, List.of("shop", "db")), run.backup());
        assertEquals(expires.toInstant(), backups.find("p", "n-east").orElseThrow().expiresAt());
        assertNull(run.restore());

        WorkspaceRun defaults = workspaces.backup("p", "fleet", new WorkspaceRequests.Backup("d", "loc", null, null, null),
                (project, child) -> { });
        assertEquals(backups.find("p", "d-east").orElseThrow().expiresAt(), defaults.backup().expiresAt(),
                "the default expiry the child got is the one the run shows");
        assertEquals(false, defaults.backup().includeDisks());
        assertNull(defaults.backup().includeClusterResources(), "unset: Velero's default");

        finish("n-east", Backup.Phase.Completed);
        WorkspaceRun restore = workspaces.restore("p", "fleet", new WorkspaceRequests.Restore("back", "n",
                Map.of("east", "west"), null, true, null, Map.of("shop", "shop-2"), Map.of("gp2", "standard"), "update",
                "app=web"), (project, child) -> { });
        WorkspaceRun.RestoreSpec spec = restore.restore();
        assertEquals("n", spec.workspaceBackup());
        assertEquals(Map.of("east", "west"), spec.clusterMapping());
        assertEquals(restores.find("p", "back-west").orElseThrow().request(), spec.options(),
                "the options the run shows are the child's");
        assertTrue(spec.options().update());
        assertEquals(Map.of("app", "web"), spec.options().labelSelector());
    }

    @Test
    void aBadRestoreOptionIsRefusedWholeBeforeAnyChildStarts() {
        WorkspaceRun run = backup("nightly", List.of("east", "west"));
        finish("nightly-east", Backup.Phase.Completed);
        finish("nightly-west", Backup.Phase.Completed);
        started.clear();
        io.lifeboat.error.InvalidInputException bad = assertThrows(io.lifeboat.error.InvalidInputException.class,
                () -> workspaces.restore("p", "fleet-nightly", new WorkspaceRequests.Restore("back", "nightly", null,
                        null, null, null, null, null, "overwrite-everything", null), (project, child) -> started.add(child)));
        assertEquals("existingResourcePolicy", bad.field());
        assertEquals(List.of(), started);
        assertTrue(restores.find("p", "back-east").isEmpty(), "no child restore was written");
        assertThrows(NotFoundException.class, () -> workspaces.getRun("p", "fleet-nightly", WorkspaceRun.Kind.restore, "back"));
        assertEquals(2, run.children().size());
    }
}
