package io.lifeboat;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRequest;
import io.lifeboat.backup.BackupService;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreRequest;
import io.lifeboat.restore.RestoreService;
import io.lifeboat.schedule.InMemoryScheduleRepository;
import io.lifeboat.schedule.Schedule;
import io.lifeboat.schedule.ScheduleRequest;
import io.lifeboat.schedule.ScheduleService;
import io.lifeboat.workspace.InMemoryWorkspaceRepository;
import io.lifeboat.workspace.Workspace;
import io.lifeboat.workspace.WorkspaceRequests;
import io.lifeboat.workspace.WorkspaceService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Checking that a named cluster or location exists never opens its secrets: the services ask for its status alone.
 * The repositories here refuse {@code find} (which unseals the kubeconfig or the location's keys), so every check
 * that used it would fail.
 */
class StatusLookupsTest {
    final Clock clock = Clock.systemUTC();
    final InMemoryClusterRepository clusterTable = new InMemoryClusterRepository();
    final InMemoryLocationRepository locationTable = new InMemoryLocationRepository();
    final ClusterRepository clusters = sealed(ClusterRepository.class, clusterTable);
    final LocationRepository locations = sealed(LocationRepository.class, locationTable);
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    BackupService backupService;
    RestoreService restoreService;
    WorkspaceService workspaces;
    ScheduleService schedules;

    /** The repository, but {@code find} throws: it would open the record's secrets. */
    @SuppressWarnings("unchecked")
    static <T> T sealed(Class<T> port, T table) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (proxy, method, args) -> {
            if (method.getName().equals("find")) {
                throw new AssertionError(port.getSimpleName() + ".find opens the secrets of " + args[1]
                        + "; an existence check asks for the status");
            }
            try {
                return method.invoke(table, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @BeforeEach
    void setUp() {
        clusterTable.create(new Cluster("p", "east", "sealed-kubeconfig", null, "https://k", ClusterStatus.unknown(),
                clock.instant()));
        locationTable.create(new Location("p", "loc", Provider.MINIO, "b", "", Map.of(io.lifeboat.location.LocationField.SECRET_ACCESS_KEY, "s3cr3t"),
                LocationStatus.available(clock.instant()), clock.instant()));
        backupService = new BackupService(backups, clusters, locations, l -> null, clock);
        restoreService = new RestoreService(restores, backups, clusters, locations, l -> null, clock);
        workspaces = new WorkspaceService(new InMemoryWorkspaceRepository(), clusters, locations, backupService, backups,
                restoreService, restores, clock);
        schedules = new ScheduleService(new InMemoryScheduleRepository(), clusters, locations, backupService, workspaces,
                clock);
    }

    @Test
    void aBackupChecksItsClusterAndLocationByStatus() {
        Backup backup = backupService.request("p", new BackupRequest("nightly", "east", "loc", null, null, null, null));
        assertEquals(Backup.Phase.New, backup.phase());
        assertThrows(NotFoundException.class, () -> backupService.request("p",
                new BackupRequest("other", "west", "loc", null, null, null, null)));
    }

    @Test
    void aRestoreChecksItsTargetByStatus() {
        Instant now = clock.instant();
        backups.create(new Backup("p", "done", "east", "loc", List.of(), null, false, now, now.plusSeconds(3600),
                Backup.Phase.Completed, new Backup.Progress(1, 1), now, now, 10, "sha", 0, 0, List.of(), List.of()));
        Restore restore = restoreService.request("p", new RestoreRequest("r1", "done", "east", null, null, null, null,
                null, null, null, null, null));
        assertEquals(Restore.Phase.New, restore.phase());
        assertThrows(NotFoundException.class, () -> restoreService.request("p", new RestoreRequest("r2", "done", "west",
                null, null, null, null, null, null, null, null, null)));
        assertEquals(1, restoreService.list("p", "east", PageRequest.first(10)).items().size());
        assertEquals(0, restoreService.list("p", "west", PageRequest.first(10)).items().size());
    }

    @Test
    void aWorkspaceChecksItsMembersByStatus() {
        Workspace workspace = workspaces.create("p", new WorkspaceRequests.Create("team", List.of("east"), List.of()));
        assertEquals(List.of("east"), workspace.clusters());
        assertThrows(NotFoundException.class, () -> workspaces.create("p",
                new WorkspaceRequests.Create("other", List.of("west"), List.of())));
        assertThrows(NotFoundException.class, () -> workspaces.addCluster("p", "team", "west"));
    }

    @Test
    void aScheduleChecksItsClusterAndLocationByStatus() {
        Schedule schedule = schedules.create("p", new ScheduleRequest("weekly", "east", null, "loc", null, null, null,
                null, 7, new ScheduleRequest.When("weekly", null), null));
        assertEquals("east", schedule.cluster());
        assertThrows(NotFoundException.class, () -> schedules.create("p", new ScheduleRequest("other", "east", null,
                "elsewhere", null, null, null, null, 7, new ScheduleRequest.When("weekly", null), null)));
    }
}
