package io.lifeboat.signal;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
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
import io.lifeboat.restore.ArchiveSpool;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreExecutor;
import io.lifeboat.archive.ArchiveLimits;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each run that ends tells the signals once, with its numbers; a second delivery of the same run tells nothing. */
class RunSignalsOfExecutorsTest {
    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final RecordingRunSignals signals = new RecordingRunSignals();

    @Test
    void aBackupThatEndsIsSignalledOnceWithItsCounts() {
        InMemoryClusterSession source = new InMemoryClusterSession();
        source.type("", "v1", "namespaces", "Namespace", false).type("", "v1", "configmaps", "ConfigMap", true);
        source.add("namespaces", null, "shop");
        source.add("configmaps", "shop", "settings");
        clusters.create(new Cluster("p", "prod", "kubeconfig", "ctx", "https://k", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "bucket", "team", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        BackupExecutor executor = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock,
                new BackupExecutor.Settings(10, 1, 1, Duration.ofSeconds(1)), signals);
        Instant now = clock.instant();
        backups.create(Backup.requested("p", "nightly", "prod", "loc", List.of(), null, false, now, now.plusSeconds(3600)));

        Backup done = executor.run("p", "nightly");
        executor.run("p", "nightly");

        assertEquals(1, signals.ended().size(), "a second delivery does not signal again");
        RunEnded ended = signals.ended().get(0);
        assertEquals(RunEnded.Kind.BACKUP, ended.kind());
        assertEquals("p", ended.project());
        assertEquals("nightly", ended.name());
        assertEquals("Completed", ended.phase(), ended.message());
        assertEquals(2, ended.items());
        assertEquals(done.sizeBytes(), ended.bytes());
        assertTrue(ended.bytes() > 0);
        assertEquals(0, ended.errors());
    }

    @Test
    void aRestoreThatFailsIsSignalledWithWhy() {
        InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
        RestoreExecutor executor = new RestoreExecutor(restores, backups, clusters, locations,
                (k, c) -> new InMemoryClusterSession(), l -> store, clock, Duration.ofSeconds(1), ArchiveLimits.DEFAULTS,
                ArchiveSpool.DEFAULT_ROOT, signals);
        restores.create(Restore.requested("p", "back", "gone", "prod",
                new Restore.Request(false, false, false, null, null, null, null, null, null), clock.instant()));

        executor.run("p", "back");

        RunEnded ended = signals.ended().get(0);
        assertEquals(RunEnded.Kind.RESTORE, ended.kind());
        assertEquals("Failed", ended.phase());
        assertEquals(1, ended.errors());
        assertTrue(ended.message().contains("backup gone no longer exists"), ended.message());
    }
}
