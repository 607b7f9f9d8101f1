package io.lifeboat;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRequest;
import io.lifeboat.backup.BackupService;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.error.ConflictException;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.RestoreService;
import io.lifeboat.schedule.InMemoryScheduleRepository;
import io.lifeboat.schedule.ScheduleRequest;
import io.lifeboat.schedule.ScheduleService;
import io.lifeboat.workspace.InMemoryWorkspaceRepository;
import io.lifeboat.workspace.WorkspaceRequests;
import io.lifeboat.workspace.WorkspaceRun;
import io.lifeboat.workspace.WorkspaceService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a start at fleet size reads: a workspace backup reads its location once and each member's status once (not
 * again for the member's child), and a tick reads each location once, however many slots use it. Every read is a
 * round trip to the table, a thousand times over.
 */
class FleetReadsTest {
    static final int MEMBERS = 20;
    final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:30Z"), ZoneOffset.UTC);
    final InMemoryClusterRepository clusterTable = new InMemoryClusterRepository();
    final InMemoryLocationRepository locationTable = new InMemoryLocationRepository();
    /** findStatus and findPlain calls, by repository and name. */
    final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    final ClusterRepository clusters = counted(ClusterRepository.class, clusterTable, "cluster");
    final LocationRepository locations = counted(LocationRepository.class, locationTable, "location");
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final List<String> invoked = new CopyOnWriteArrayList<>();
    BackupService backupService;
    WorkspaceService workspaces;
    List<String> members = new ArrayList<>();

    @SuppressWarnings("unchecked")
    <T> T counted(Class<T> port, T table, String kind) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (proxy, method, args) -> {
            if (method.getName().equals("findStatus") || method.getName().equals("findPlain")) {
                reads.computeIfAbsent(kind + "/" + args[1], k -> new AtomicInteger()).incrementAndGet();
            }
            try {
                return method.invoke(table, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    int readsOf(String key) {
        AtomicInteger count = reads.get(key);
        return count == null ? 0 : count.get();
    }

    @BeforeEach
    void setUp() {
        Instant now = clock.instant();
        for (int i = 0; i < MEMBERS; i++) {
            clusterTable.create(new Cluster("p", "c" + i, "k", "ctx", "https://k", new ClusterStatus(
                    ClusterStatus.Health.Healthy, "v1.30.0", null, now), now));
            members.add("c" + i);
        }
        locationTable.create(new Location("p", "loc", Provider.MINIO, "b", "", Map.of(), LocationStatus.available(now), now));
        backupService = new BackupService(backups, clusters, locations, l -> null, clock);
        InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
        workspaces = new WorkspaceService(new InMemoryWorkspaceRepository(), clusters, locations, backupService, backups,
                new RestoreService(restores, backups, clusters, locations, l -> null, clock), restores, clock);
    }

    @Test
    void aWorkspaceBackupReadsItsLocationOnceAndEachMemberOnce() {
        workspaces.create("p", new WorkspaceRequests.Create("fleet", members, List.of()));
        reads.clear();

        WorkspaceRun run = workspaces.backup("p", "fleet", new WorkspaceRequests.Backup("nightly", "loc", null, null, null),
                (project, name) -> invoked.add(name));

        assertEquals(MEMBERS, run.children().stream().filter(c -> c.child() != null).count());
        assertEquals(MEMBERS, invoked.size());
        assertEquals(1, readsOf("location/loc"), reads.toString());
        for (String member : members) {
            assertEquals(1, readsOf("cluster/" + member), member + ": " + reads);
            assertEquals(Backup.Phase.New, backups.find("p", "nightly-" + member).orElseThrow().phase());
        }
    }

    @Test
    void aTickReadsEachLocationOnceAndEachClusterOnce() {
        InMemoryScheduleRepository table = new InMemoryScheduleRepository();
        ScheduleService schedules = new ScheduleService(table, clusters, locations, backupService, workspaces, clock);
        for (String member : members) {
            schedules.create("p", new ScheduleRequest(member, member, null, "loc", member, false, null, List.of(), 7,
                    new ScheduleRequest.When(null, Map.of()), null));
        }
        // a minute later, every schedule is due
        ScheduleService later = new ScheduleService(table, clusters, locations, backupService,
                workspaces, Clock.fixed(Instant.parse("2026-11-23T10:01:05Z"), ZoneOffset.UTC));
        reads.clear();

        List<String> started = later.tick((project, name) -> invoked.add(name));

        assertEquals(MEMBERS, started.size());
        assertEquals(1, readsOf("location/loc"), "one read for the tick, not one per slot: " + reads);
        for (String member : members) {
            assertEquals(1, readsOf("cluster/" + member), member + ": " + reads);
        }
    }

    @Test
    void aBackupRequestGivenTheStatusAndLocationReadsNeitherAndStillChecksTheLocation() {
        ClusterStatus member = clusterTable.findStatus("p", "c0").orElseThrow();
        Backup backup = backupService.request("p", new BackupRequest("given", "c0", "loc", null, null, null, null),
                member, locationTable.findPlain("p", "loc").orElseThrow());
        assertEquals(Backup.Phase.New, backup.phase());
        assertTrue(reads.isEmpty(), reads.toString());

        LocationStatus gone = LocationStatus.unavailable(LocationStatus.Reason.NoSuchBucket, "gone", clock.instant());
        ConflictException refused = assertThrows(ConflictException.class, () -> backupService.request("p",
                new BackupRequest("refused", "c0", "loc", null, null, null, null), member,
                locationTable.findPlain("p", "loc").orElseThrow().withStatus(gone)));
        assertTrue(refused.getMessage().contains("Unavailable"), refused.getMessage());
        assertTrue(backups.find("p", "refused").isEmpty(), "nothing stored");
    }
}
