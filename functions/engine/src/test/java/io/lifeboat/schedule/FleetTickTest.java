package io.lifeboat.schedule;

import io.lifeboat.backup.Backup;
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
import io.lifeboat.workspace.InMemoryWorkspaceRepository;
import io.lifeboat.workspace.WorkspaceService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet's schedules due in one slot: started with bounded concurrency, each exactly once however many ticks race,
 * and what one tick could not take within its budget taken by the next. The in-memory schedule table's conditional
 * write is atomic, as DynamoDB's is.
 */
class FleetTickTest {
    /** A clock shared by the tick's threads, which the test (or a start) moves. */
    static final class SharedClock extends Clock {
        final AtomicReference<Instant> now;

        SharedClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    static final int FLEET = 300;
    final SharedClock clock = new SharedClock(Instant.parse("2026-11-23T10:00:30Z"));
    final InMemoryScheduleRepository schedules = new InMemoryScheduleRepository();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    ScheduleService service;

    @BeforeEach
    void setUp() {
        InMemoryClusterRepository clusters = new InMemoryClusterRepository();
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        locations.create(new Location("p", "loc", Provider.MINIO, "b", "", Map.of(), LocationStatus.available(clock.instant()),
                clock.instant()));
        BackupService backupService = new BackupService(backups, clusters, locations, l -> null, clock);
        InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
        WorkspaceService workspaces = new WorkspaceService(new InMemoryWorkspaceRepository(), clusters, locations,
                backupService, backups, new RestoreService(restores, backups, clusters, locations, l -> null, clock),
                restores, clock);
        service = new ScheduleService(schedules, clusters, locations, backupService, workspaces, clock);
        for (int i = 0; i < FLEET; i++) {
            String cluster = "c" + i;
            clusters.create(new Cluster("p", cluster, "k", null, "https://k", ClusterStatus.unknown(), clock.instant()));
            service.create("p", new ScheduleRequest(cluster, cluster, null, "loc", cluster, false, null, List.of(), 7,
                    new ScheduleRequest.When(null, Map.of()), null)); // every minute: all due at 10:01
        }
        clock.now.set(Instant.parse("2026-11-23T10:01:05Z"));
    }

    @Test
    void twoTicksRacingStartEachDueScheduleExactlyOnce() throws Exception {
        List<String> invoked = new CopyOnWriteArrayList<>();
        CountDownLatch together = new CountDownLatch(2);
        ExecutorService ticks = Executors.newFixedThreadPool(2);
        List<Future<List<String>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < 2; t++) {
                results.add(ticks.submit(() -> {
                    together.countDown();
                    together.await(); // both ticks read the same due list, then race for every slot
                    return service.tick((project, name) -> invoked.add(name), new ScheduleService.TickLimits(16,
                            Duration.ofSeconds(40)));
                }));
            }
            List<String> started = new ArrayList<>(results.get(0).get());
            started.addAll(results.get(1).get());

            assertEquals(FLEET, started.size(), "the two ticks together started each slot once");
            assertEquals(FLEET, new HashSet<>(started).size());
            assertEquals(FLEET, invoked.size(), "one invocation per slot");
            assertEquals(FLEET, new HashSet<>(invoked).size());
            for (int i = 0; i < FLEET; i++) {
                assertTrue(invoked.contains("c" + i + "-20261123100100"), "c" + i);
                Schedule after = schedules.find("p", "c" + i).orElseThrow();
                assertEquals(Instant.parse("2026-11-23T10:02:00Z"), after.nextRunAt());
                assertEquals("c" + i + "-20261123100100", after.lastBackup());
                assertEquals(null, after.lastError(), "no second start met the first one's record");
                assertTrue(backups.find("p", "c" + i + "-20261123100100").isPresent());
            }
        } finally {
            ticks.shutdownNow();
        }
    }

    @Test
    void aSlotNotTakenWithinTheBudgetIsStartedOnceByALaterTick() {
        // every start takes 100 ms of the tick's clock; a tick takes new slots for 2 s
        ScheduleService.TickLimits limits = new ScheduleService.TickLimits(4, Duration.ofSeconds(2));
        List<String> invoked = new CopyOnWriteArrayList<>();
        List<Integer> perTick = new ArrayList<>();
        for (int tick = 0; tick < 50; tick++) {
            List<String> started = service.tick((project, name) -> {
                invoked.add(name);
                clock.now.updateAndGet(now -> now.plusMillis(100));
            }, limits);
            if (started.isEmpty()) {
                break;
            }
            perTick.add(started.size());
            if (tick == 0) {
                long left = schedules.due(clock.instant()).size();
                assertEquals(FLEET - started.size(), left, "what the first tick did not take is still due");
                assertTrue(left > 0, "the first tick stopped taking slots at its budget");
            }
        }
        assertTrue(perTick.size() > 1, "the slot took several ticks: " + perTick);
        assertTrue(perTick.get(0) < FLEET, perTick.toString());
        assertTrue(clock.instant().isBefore(Instant.parse("2026-11-23T10:02:00Z")), "still within the slot's minute");
        assertEquals(FLEET, invoked.size(), "every slot started, once");
        Set<String> names = new HashSet<>(invoked);
        assertEquals(FLEET, names.size());
        for (int i = 0; i < FLEET; i++) {
            assertTrue(names.contains("c" + i + "-20261123100100"), "named for its slot, not the tick that took it: c" + i);
            assertEquals(Instant.parse("2026-11-23T10:02:00Z"), schedules.find("p", "c" + i).orElseThrow().nextRunAt());
            assertEquals(Backup.Phase.New, backups.find("p", "c" + i + "-20261123100100").orElseThrow().phase());
        }
    }
}
