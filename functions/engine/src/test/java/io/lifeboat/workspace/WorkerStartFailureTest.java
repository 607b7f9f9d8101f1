package io.lifeboat.workspace;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRequest;
import io.lifeboat.backup.BackupService;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreRequest;
import io.lifeboat.restore.RestoreService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker that cannot be started leaves its record Failed with the reason, never New. */
class WorkerStartFailureTest {
    static final BiConsumer<String, String> REFUSED = (project, name) -> {
        throw new IllegalStateException("invoking Lambda lifeboat-run-x failed: Rate Exceeded. (Status Code: 429)");
    };

    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    BackupService backupService;
    RestoreService restoreService;
    WorkspaceService workspaces;

    @BeforeEach
    void setUp() {
        for (String cluster : List.of("east", "west")) {
            clusters.create(new Cluster("p", cluster, "k", null, "https://k", ClusterStatus.unknown(), clock.instant()));
        }
        locations.create(new Location("p", "loc", Provider.MINIO, "b", "", Map.of(), LocationStatus.available(clock.instant()),
                clock.instant()));
        backupService = new BackupService(backups, clusters, locations, l -> null, clock);
        restoreService = new RestoreService(restores, backups, clusters, locations, l -> null, clock);
        workspaces = new WorkspaceService(new InMemoryWorkspaceRepository(), clusters, locations, backupService, backups,
                restoreService, restores, clock);
    }

    Backup completed(String name, String cluster) {
        Instant now = clock.instant();
        Backup backup = new Backup("p", name, cluster, "loc", List.of(), null, false, now, now.plusSeconds(3600),
                Backup.Phase.Completed, new Backup.Progress(1, 1), now, now, 10, "sha", 0, 0, List.of(), List.of());
        backups.create(backup);
        return backup;
    }

    @Test
    void aBackupThatCannotBeStartedIsFailedWithTheReason() {
        Backup requested = backupService.request("p", new BackupRequest("nightly", "east", "loc", null, null, null, null));
        Backup started = backupService.start(requested, REFUSED);
        assertEquals(Backup.Phase.Failed, started.phase());
        Backup recorded = backups.find("p", "nightly").orElseThrow();
        assertEquals(Backup.Phase.Failed, recorded.phase());
        assertEquals(1, recorded.errors());
        assertEquals(List.of("run-backup could not be started: invoking Lambda lifeboat-run-x failed: Rate Exceeded. "
                + "(Status Code: 429)"), recorded.firstErrors());
        assertTrue(recorded.completedAt() != null);
    }

    @Test
    void aRunThatTookTheRecordBeforeTheStartFailedIsLeftAlone() {
        Backup requested = backupService.request("p", new BackupRequest("raced", "east", "loc", null, null, null, null));
        // the invocation reached the worker, which claimed the record, yet the caller saw an error (a timeout)
        Backup started = backupService.start(requested, (project, name) -> {
            backups.claim(project, name, clock.instant());
            throw new IllegalStateException("read timed out");
        });
        assertEquals(Backup.Phase.InProgress, started.phase());
        assertEquals(Backup.Phase.InProgress, backups.find("p", "raced").orElseThrow().phase());
    }

    @Test
    void aRestoreThatCannotBeStartedIsFailedWithTheReason() {
        completed("full", "east");
        Restore requested = restoreService.request("p", new RestoreRequest("back", "full", "west", null, null, null, null,
                null, null, null, null, null));
        Restore started = restoreService.start(requested, REFUSED);
        assertEquals(Restore.Phase.Failed, started.phase());
        Restore recorded = restores.find("p", "back").orElseThrow();
        assertEquals(Restore.Phase.Failed, recorded.phase());
        assertEquals(1, recorded.errors());
        assertTrue(recorded.firstRunError().orElseThrow().startsWith("run-restore could not be started: invoking Lambda"),
                recorded.results().toString());
    }

    @Test
    void workspaceChildrenThatCannotBeStartedAreFailedAndSayWhy() {
        workspaces.create("p", new WorkspaceRequests.Create("fleet", List.of("east", "west"), List.of()));
        WorkspaceRun backup = workspaces.backup("p", "fleet", new WorkspaceRequests.Backup("nightly", "loc", null, null, null),
                (project, name) -> {
                    if (name.endsWith("-west")) {
                        REFUSED.accept(project, name);
                    }
                });
        assertEquals(Backup.Phase.New, backups.find("p", "nightly-east").orElseThrow().phase());
        assertEquals(Backup.Phase.Failed, backups.find("p", "nightly-west").orElseThrow().phase());
        List<WorkspaceService.ChildState> children = workspaces.state(backup).children();
        assertEquals(WorkspaceService.ChildPhase.Failed, children.get(1).phase());
        assertTrue(String.valueOf(children.get(1).reason()).startsWith("run-backup could not be started"), children.toString());

        // both children completed, then the restore's runs cannot be started
        backups.delete("p", "nightly-east");
        backups.delete("p", "nightly-west");
        completed("nightly-east", "east");
        completed("nightly-west", "west");
        WorkspaceRun restore = workspaces.restore("p", "fleet", new WorkspaceRequests.Restore("again", "nightly", null,
                null, null, null, null, null, null, null), REFUSED);
        WorkspaceService.RunState state = workspaces.state(restore);
        assertEquals(WorkspaceService.RunPhase.Failed, state.phase(), state.toString());
        for (WorkspaceService.ChildState child : state.children()) {
            assertEquals(WorkspaceService.ChildPhase.Failed, child.phase());
            assertTrue(String.valueOf(child.reason()).startsWith("run-restore could not be started"), child.toString());
        }
        assertEquals(Restore.Phase.Failed, restores.find("p", "again-east").orElseThrow().phase());
    }
}
