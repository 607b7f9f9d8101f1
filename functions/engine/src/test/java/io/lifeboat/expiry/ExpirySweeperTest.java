package io.lifeboat.expiry;

import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.error.ConflictException;
import io.lifeboat.expiry.ExpirySweeper;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
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

class ExpirySweeperTest {
    final Instant now = Instant.parse("2026-11-23T12:00:00Z");
    final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession cluster = new InMemoryClusterSession();
    ExpirySweeper sweeper;

    @BeforeEach
    void setUp() {
        clusters.create(new Cluster("p", "prod", "k", null, "https://k", ClusterStatus.unknown(), now));
        locations.create(new Location("p", "loc", Provider.MINIO, "b", "team", Map.of(), LocationStatus.available(now), now));
        sweeper = new ExpirySweeper(backups, restores, clusters, locations, (k, c) -> cluster, l -> store, clock,
                Duration.ofMinutes(20));
    }

    void backup(String name, Instant expiresAt, Backup.Phase phase, List<VolumeSnapshot> snapshots) {
        backup(name, "loc", expiresAt, phase, snapshots);
    }

    void backup(String name, String location, Instant expiresAt, Backup.Phase phase, List<VolumeSnapshot> snapshots) {
        backups.create(new Backup("p", name, "prod", location, List.of(), null, !snapshots.isEmpty(), now.minusSeconds(86400),
                expiresAt, phase, null, now.minusSeconds(86400), phase.finished() ? now.minusSeconds(86000) : null, 10,
                "abc", 0, 0, List.of(), snapshots));
        store.put(Layout.backupObject("team", name, Layout.BackupFile.TARBALL), new byte[]{1});
        store.put(Layout.backupObject("team", name, Layout.BackupFile.BACKUP_JSON), new byte[]{2});
    }

    @Test
    void expiredBackupsLoseTheirObjectsSnapshotsAndRecordAndNothingElse() {
        VolumeSnapshot snapshot = new VolumeSnapshot("shop", "data", "pv-1", "ebs.csi.aws.com",
                "lifeboat-old-data", "snap-1", "1Gi", null);
        backup("old", now.minusSeconds(1), Backup.Phase.Completed, List.of(snapshot));
        backup("young", now.plusSeconds(3600), Backup.Phase.Completed, List.of());
        backup("old-like", now.plusSeconds(3600), Backup.Phase.Completed, List.of()); // shares a name prefix
        store.put("team/backups/oldish/file", new byte[]{3});
        store.put("team/metadata/revision", new byte[]{4});

        ExpirySweeper.Sweep sweep = sweeper.sweep();
        assertEquals(List.of("p/old"), sweep.deleted());
        assertTrue(backups.find("p", "old").isEmpty());
        assertEquals(java.util.Set.of("shop/lifeboat-old-data"), cluster.deletedSnapshots());
        assertTrue(store.objects().keySet().stream().noneMatch(k -> k.startsWith("team/backups/old/")));
        assertTrue(store.objects().containsKey("team/backups/oldish/file"));
        assertTrue(store.objects().containsKey("team/metadata/revision"));
        assertTrue(store.objects().containsKey(Layout.backupObject("team", "young", Layout.BackupFile.TARBALL)));
        assertEquals(Backup.Phase.Completed, backups.find("p", "young").orElseThrow().phase());
    }

    @Test
    void aBackupImportedFromVeleroIsNeverExpiredButAnExplicitDeleteRemovesIt() {
        Backup imported = new Backup("p", "nightly", null, "loc", List.of(), null, false, now.minusSeconds(86400),
                now.minusSeconds(60), Backup.Phase.Completed, null, null, now.minusSeconds(86000), 10, "abc", 0, 0,
                List.of(), List.of(), Backup.Origin.velero);
        backups.create(imported);
        store.put(Layout.backupObject("team", "nightly", Layout.BackupFile.TARBALL), new byte[]{1});
        store.put(Layout.backupObject("team", "nightly", Layout.BackupFile.BACKUP_JSON), new byte[]{2});

        ExpirySweeper.Sweep sweep = sweeper.sweep();
        assertEquals(List.of(), sweep.deleted());
        assertEquals(List.of(), sweep.stillDeleting());
        assertEquals(Backup.Phase.Completed, backups.find("p", "nightly").orElseThrow().phase());
        assertTrue(store.objects().containsKey(Layout.backupObject("team", "nightly", Layout.BackupFile.TARBALL)));

        assertTrue(sweeper.deleteNow("p", "nightly"));
        assertTrue(backups.find("p", "nightly").isEmpty());
        assertTrue(store.objects().keySet().stream().noneMatch(k -> k.startsWith("team/backups/nightly/")));
    }

    @Test
    void aSweepThatFailsHalfWayIsFinishedByTheNext() {
        backup("old", now.minusSeconds(1), Backup.Phase.Completed, List.of());
        store.failWith(new StoreException("ServiceUnavailable", "the store is down"));
        ExpirySweeper.Sweep first = sweeper.sweep();
        assertEquals(List.of("p/old"), first.stillDeleting());
        Backup deleting = backups.find("p", "old").orElseThrow();
        assertEquals(Backup.Phase.Deleting, deleting.phase());
        assertTrue(deleting.firstErrors().get(0).contains("ServiceUnavailable"), deleting.firstErrors().toString());

        store.failWith(null);
        assertEquals(List.of("p/old"), sweeper.sweep().deleted());
        assertTrue(backups.find("p", "old").isEmpty());
    }

    @Test
    void anUnreachableClusterKeepsTheRecordUntilItsSnapshotsAreGone() {
        backup("old", now.minusSeconds(1), Backup.Phase.Completed, List.of(new VolumeSnapshot("shop", "data", "pv-1",
                "d", "lifeboat-old-data", "snap-1", "1Gi", null)));
        cluster.unreachable(true);
        assertEquals(List.of("p/old"), sweeper.sweep().stillDeleting());
        assertTrue(backups.find("p", "old").orElseThrow().firstErrors().get(0).contains("next sweep retries"));
        assertTrue(store.objects().keySet().stream().noneMatch(k -> k.startsWith("team/backups/old/")), "the objects go anyway");
        cluster.unreachable(false);
        assertEquals(List.of("p/old"), sweeper.sweep().deleted());
    }

    @Test
    void runsThatDiedAreMarkedInterrupted() {
        backup("stuck", now.plusSeconds(3600), Backup.Phase.InProgress, List.of());
        backups.create(new Backup("p", "fresh", "prod", "loc", List.of(), null, false, now, now.plusSeconds(3600),
                Backup.Phase.InProgress, null, now.minusSeconds(60), null, 0, null, 0, 0, List.of(), List.of()));
        restores.create(Restore.requested("p", "r", "stuck", "prod", null, now.minusSeconds(7200)));
        restores.claim("p", "r", now.minusSeconds(7200));
        ExpirySweeper.Sweep sweep = sweeper.sweep();
        assertTrue(sweep.interrupted().contains("backup p/stuck"), sweep.toString());
        assertTrue(sweep.interrupted().contains("restore p/r"), sweep.toString());
        assertEquals(Backup.Phase.Failed, backups.find("p", "stuck").orElseThrow().phase());
        assertTrue(backups.find("p", "stuck").orElseThrow().firstErrors().get(0).startsWith("interrupted"));
        assertEquals(Backup.Phase.InProgress, backups.find("p", "fresh").orElseThrow().phase(), "still within its deadline");
        assertEquals(Restore.Phase.Failed, restores.find("p", "r").orElseThrow().phase());
    }

    @Test
    void recordsNoRunEverTookAreFailedAfterTheDeadline() {
        backups.create(Backup.requested("p", "lost", "prod", "loc", List.of(), null, false, now.minusSeconds(3600),
                now.plusSeconds(3600)));
        backups.create(Backup.requested("p", "queued", "prod", "loc", List.of(), null, false, now.minusSeconds(60),
                now.plusSeconds(3600)));
        restores.create(Restore.requested("p", "lost-restore", "lost", "prod", null, now.minusSeconds(3600)));
        ExpirySweeper.Sweep sweep = sweeper.sweep();
        assertTrue(sweep.interrupted().containsAll(List.of("backup p/lost", "restore p/lost-restore")), sweep.toString());
        Backup lost = backups.find("p", "lost").orElseThrow();
        assertEquals(Backup.Phase.Failed, lost.phase());
        assertEquals(List.of("never started: no run took it within 20 minutes"), lost.firstErrors());
        assertEquals(Backup.Phase.New, backups.find("p", "queued").orElseThrow().phase(), "still within its deadline");
        Restore lostRestore = restores.find("p", "lost-restore").orElseThrow();
        assertEquals(Restore.Phase.Failed, lostRestore.phase());
        assertEquals("never started: no run took it within 20 minutes", lostRestore.firstRunError().orElseThrow());
    }

    @Test
    void deletingAtOnceTakesTheSamePathAndNeverARunningBackup() {
        backup("now", now.plusSeconds(3600), Backup.Phase.Completed, List.of());
        assertTrue(sweeper.deleteNow("p", "now"));
        assertTrue(backups.find("p", "now").isEmpty());
        assertTrue(store.objects().keySet().stream().noneMatch(k -> k.startsWith("team/backups/now/")));
        backup("busy", now.plusSeconds(3600), Backup.Phase.InProgress, List.of());
        assertThrows(ConflictException.class, () -> sweeper.deleteNow("p", "busy"));
    }

    /** A location that never answers holds up only its own backup: the others are swept, it is reported timed out. */
    @Test
    void aBackupOnALocationThatNeverAnswersIsTimedOutAndTheOthersAreSwept() {
        io.lifeboat.objectstore.HangingObjectStore hanging = new io.lifeboat.objectstore.HangingObjectStore();
        try {
            locations.create(new Location("p", "hangs", Provider.MINIO, "h", "team", Map.of(), LocationStatus.available(now), now));
            backup("on-hanging", "hangs", now.minusSeconds(1), Backup.Phase.Completed, List.of());
            backup("old-1", now.minusSeconds(1), Backup.Phase.Completed, List.of());
            backup("old-2", now.minusSeconds(2), Backup.Phase.Completed, List.of());
            ExpirySweeper sweeping = new ExpirySweeper(backups, restores, clusters, locations, (k, c) -> cluster,
                    l -> l.name().equals("hangs") ? hanging.store() : store, clock, Duration.ofMinutes(20));
            ExpirySweeper.Sweep sweep = sweeping.sweep(Duration.ofMillis(300), 1);
            assertEquals(List.of("p/on-hanging"), sweep.timedOut());
            assertEquals(java.util.Set.of("p/old-1", "p/old-2"), java.util.Set.copyOf(sweep.deleted()));
            assertTrue(backups.find("p", "old-1").isEmpty());
            assertTrue(backups.find("p", "old-2").isEmpty());
            assertEquals(Backup.Phase.Deleting, backups.find("p", "on-hanging").orElseThrow().phase(),
                    "left Deleting for the next sweep");
            assertEquals(1, hanging.calls());
        } finally {
            hanging.release();
        }
    }
    /**
     * A hostile store whose listing of {@code team/backups/old/} also returns keys outside it: another folder, a sibling
     * sharing the name's first letters, paths that climb out with "..", an empty segment and a backslash. Only the
     * backup's own objects are deleted; the backup stays Deleting with the reason.
     */
    @Test
    void keysAListingReturnsFromOutsideTheBackupsFolderAreNeverDeleted() {
        backup("old", now.minusSeconds(1), Backup.Phase.Completed, List.of());
        List<String> foreign = List.of("team/backups/young/young.tar.gz", "team/backups/oldish/file",
                "team/backups/old/../young/velero-backup.json", "team/backups/old/./x", "team/backups/old//x",
                "team/backups/old/..\\young", "other-team/backups/old/old.tar.gz", "team/backups/old/");
        foreign.forEach(k -> store.put(k, new byte[]{9}));
        io.lifeboat.objectstore.ObjectStore hostile = new io.lifeboat.objectstore.ObjectStore() {
            public void checkBucket() { }
            public void put(String key, byte[] content) { store.put(key, content); }
            public byte[] get(String key) { return store.get(key); }
            public List<String> list(String prefix) {
                java.util.Set<String> keys = new java.util.TreeSet<>(store.list(prefix));
                keys.addAll(foreign);
                return List.copyOf(keys);
            }
            public void delete(String key) { store.delete(key); }
            public io.lifeboat.objectstore.Upload upload(String key) { return store.upload(key); }
            public java.io.InputStream download(String key) { return store.download(key); }
            public long size(String key) { return store.size(key); }
        };
        ExpirySweeper sweeping = new ExpirySweeper(backups, restores, clusters, locations, (k, c) -> cluster,
                l -> hostile, clock, Duration.ofMinutes(20));

        ExpirySweeper.Sweep sweep = sweeping.sweep();
        assertEquals(List.of("p/old"), sweep.stillDeleting());
        assertTrue(store.objects().keySet().containsAll(foreign), store.objects().keySet().toString());
        assertTrue(!store.objects().containsKey(Layout.backupObject("team", "old", Layout.BackupFile.TARBALL))
                && !store.objects().containsKey(Layout.backupObject("team", "old", Layout.BackupFile.BACKUP_JSON)));
        Backup deleting = backups.find("p", "old").orElseThrow();
        assertEquals(Backup.Phase.Deleting, deleting.phase());
        assertEquals(List.of("the store listed " + foreign.size() + " keys outside team/backups/old/: they were not deleted"),
                deleting.firstErrors());
    }

    @Test
    void onlyKeysInsideTheFolderCount() {
        assertTrue(Layout.isInside("p/backups/b/", "p/backups/b/b.tar.gz"));
        assertTrue(Layout.isInside("p/backups/b/", "p/backups/b/sub/file"));
        for (String outside : List.of("p/backups/b/", "p/backups/bb/x", "p/backups/b/../c/x", "p/backups/b/x/..",
                "p/backups/b/./x", "p/backups/b//x", "p/backups/b/x\\..\\y", "q/backups/b/x")) {
            assertTrue(!Layout.isInside("p/backups/b/", outside), outside);
        }
    }
}
