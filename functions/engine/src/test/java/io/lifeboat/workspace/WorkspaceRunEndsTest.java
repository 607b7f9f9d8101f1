package io.lifeboat.workspace;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupEnded;
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
import io.lifeboat.restore.RestoreService;
import io.lifeboat.signal.RecordingRunSignals;
import io.lifeboat.signal.RunEnded;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A workspace backup ends when its last child does, and is signalled then with its own phase. */
class WorkspaceRunEndsTest {
    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryWorkspaceRepository runs = new InMemoryWorkspaceRepository();
    final RecordingRunSignals recorded = new RecordingRunSignals();

    WorkspaceService workspaces;

    @BeforeEach
    void setUp() {
        for (String cluster : List.of("east", "west")) {
            clusters.create(new Cluster("p", cluster, "k", null, "https://k", ClusterStatus.unknown(), clock.instant()));
        }
        clusters.create(new Cluster("p", "down", "k", null, "https://k", new ClusterStatus(ClusterStatus.Health.Unreachable,
                null, "connection refused", clock.instant()), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "b", "", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        workspaces = new WorkspaceService(runs, clusters, locations,
                new BackupService(backups, clusters, locations, l -> null, clock), backups,
                new RestoreService(new InMemoryRestoreRepository(), backups, clusters, locations, l -> null, clock),
                new InMemoryRestoreRepository(), clock);
    }

    @Test
    void theLastChildToEndEndsTheWorkspaceBackup() {
        workspaces.create("p", new WorkspaceRequests.Create("shop", List.of("east", "west"), List.of("shop")));
        workspaces.backup("p", "shop", new WorkspaceRequests.Backup("nightly-1", "loc", null, false, null), (p, n) -> { });
        WorkspaceRunEnds ends = new WorkspaceRunEnds(recorded, runs, workspaces, clock);

        ends.ended(finish("nightly-1-east", Backup.Phase.Completed));
        assertEquals(List.of("nightly-1-east"), recorded.ended().stream().map(RunEnded::name).toList(),
                "west still runs: the workspace backup has not ended");

        ends.ended(finish("nightly-1-west", Backup.Phase.Failed));
        List<RunEnded> ended = recorded.ended();
        assertEquals(3, ended.size(), ended.toString());
        RunEnded workspace = ended.get(2);
        assertEquals(RunEnded.Kind.WORKSPACE_BACKUP, workspace.kind());
        assertEquals("nightly-1", workspace.name());
        assertEquals("PartiallyFailed", workspace.phase());
        assertEquals(2, workspace.items());
        assertEquals(1, workspace.errors());

        ends.ended(new RunEnded(RunEnded.Kind.BACKUP, "p", "lonely-backup", "Completed", null, 1, 1, 0, 0, null,
                Instant.now(), null));
        assertEquals(4, recorded.ended().size(), "a backup of no workspace is only passed on");
    }

    @Test
    void twoChildrenEndingAtOnceSignalTheirRunOnce() throws Exception {
        workspaces.create("p", new WorkspaceRequests.Create("shop", List.of("east", "west"), List.of()));
        workspaces.backup("p", "shop", new WorkspaceRequests.Backup("nightly", "loc", null, false, null), (p, n) -> { });
        WorkspaceRunEnds ends = new WorkspaceRunEnds(recorded, runs, workspaces, clock);
        // both records are final before either signal is handled: each handler finds the run ended
        RunEnded east = finish("nightly-east", Backup.Phase.Completed);
        RunEnded west = finish("nightly-west", Backup.Phase.Completed);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> handled = List.of(two.submit(() -> { await(go); ends.ended(east); }),
                    two.submit(() -> { await(go); ends.ended(west); }));
            go.countDown();
            for (Future<?> f : handled) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            two.shutdownNow();
        }
        List<RunEnded> workspaceEnds = recorded.ended().stream()
                .filter(r -> r.kind() == RunEnded.Kind.WORKSPACE_BACKUP).toList();
        assertEquals(1, workspaceEnds.size(), recorded.ended().toString());
        assertEquals("Completed", workspaceEnds.get(0).phase());
        assertNotNull(runs.findRun("p", WorkspaceRun.Kind.backup, "nightly").orElseThrow().endedAt());

        ends.ended(east); // a signal delivered again (a retried function) does not end the run again
        assertEquals(1, recorded.ended().stream().filter(r -> r.kind() == RunEnded.Kind.WORKSPACE_BACKUP).count());
    }

    @Test
    void aRunNoneOfWhoseChildrenStartedIsSignalledWhenItIsCreated() {
        workspaces.create("p", new WorkspaceRequests.Create("dark", List.of("down"), List.of()));
        WorkspaceRun run = workspaces.backup("p", "dark", new WorkspaceRequests.Backup("nightly", "loc", null, false, null),
                (p, n) -> { });
        WorkspaceRunEnds ends = new WorkspaceRunEnds(recorded, runs, workspaces, clock);
        ends.check(run);
        ends.check(run);
        assertEquals(1, recorded.ended().size(), recorded.ended().toString());
        assertEquals("Failed", recorded.ended().get(0).phase());
        assertEquals(1, recorded.ended().get(0).errors(), "the skipped member");
    }

    @Test
    void aRunStillRunningIsNotSignalledByACheck() {
        workspaces.create("p", new WorkspaceRequests.Create("shop", List.of("east"), List.of()));
        WorkspaceRun run = workspaces.backup("p", "shop", new WorkspaceRequests.Backup("nightly", "loc", null, false, null),
                (p, n) -> { });
        new WorkspaceRunEnds(recorded, runs, workspaces, clock).check(run);
        assertEquals(List.of(), recorded.ended());
        assertNull(runs.findRun("p", WorkspaceRun.Kind.backup, "nightly").orElseThrow().endedAt());
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    RunEnded finish(String name, Backup.Phase phase) {
        backups.claim("p", name, clock.instant());
        backups.finish("p", name, new Backup.Outcome(phase, new Backup.Progress(1, 1), clock.instant(), 10, null, 0,
                phase == Backup.Phase.Failed ? 1 : 0, List.of(), List.of()));
        return BackupEnded.of(backups.find("p", name).orElseThrow());
    }
}
