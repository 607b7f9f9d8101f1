package io.lifeboat.expiry;

import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.ClusterSessions;
import io.lifeboat.disk.DiskException;
import io.lifeboat.disk.DiskSnapshotDeleter;
import io.lifeboat.disk.DiskSnapshots;
import io.lifeboat.error.ConflictException;
import io.lifeboat.location.DiskSnapshotsFactory;
import io.lifeboat.location.SnapshotMode;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.input.Names;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.StoredVersion;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreRepository;
import io.lifeboat.retention.Keep;
import io.lifeboat.retention.KeptBackups;
import io.lifeboat.schedule.Schedule;
import io.lifeboat.schedule.ScheduleRepository;
import io.lifeboat.run.Results;
import io.lifeboat.secret.Redactor;
import io.lifeboat.work.TimedTasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sweep-expired function's work, hourly. Each expired backup is marked Deleting, then its VolumeSnapshots are
 * deleted (when its cluster can be reached), then every object under {@code backups/<name>/} in its location, and
 * last its record. Anything that fails leaves the backup Deleting with the reason, and the next sweep finishes the
 * job. It never deletes outside that folder (a key a listing returns from elsewhere is left, and the backup stays
 * Deleting with the reason), nor a backup that has not expired. A locked backup's objects (its location's
 * immutability) are not tried before the lock ends: the backup stays Deleting, saying until when, and the sweep comes
 * back to it then; after that, every stored version of them is deleted. Runs that died (InProgress past the
 * function's deadline) are marked Failed, "interrupted". Backups imported from Velero are never expired here; an
 * explicit delete removes them like any other.
 *
 * <p>A schedule's backups are kept past their expiry when its retention keeps them ({@link KeptBackups}: the newest
 * Completed one of each schedule and cluster always, whatever its expiry, even once the schedule is deleted; and what
 * the schedule's {@code keep} rules select, while it exists). Such a backup keeps its {@code expiresAt} as recorded,
 * in the past; each sweep judges it again, and deletes it once no rule keeps it any more. An explicit delete is never
 * held back.
 */
public final class ExpirySweeper {
    private final BackupRepository backups;
    private final RestoreRepository restores;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    private final ClusterSessions sources;
    private final ObjectStoreFactory stores;
    private final ScheduleRepository schedules;
    private final Clock clock;
    private final Duration runDeadline;
    private final DiskSnapshotsFactory disks;

    /**
     * Without the schedules: their {@code keep} rules are not read, and only the newest Completed backup of each
     * schedule is kept past its expiry.
     */
    public ExpirySweeper(BackupRepository backups, RestoreRepository restores, ClusterRepository clusters,
                         LocationRepository locations, ClusterSessions sources, ObjectStoreFactory stores, Clock clock,
                         Duration runDeadline) {
        this(backups, restores, clusters, locations, sources, stores, null, clock, runDeadline, DiskSnapshotsFactory.NONE);
    }

    /** Without the schedules (see above), with how the native snapshots of backups are reached, to delete them. */
    public ExpirySweeper(BackupRepository backups, RestoreRepository restores, ClusterRepository clusters,
                         LocationRepository locations, ClusterSessions sources, ObjectStoreFactory stores, Clock clock,
                         Duration runDeadline, DiskSnapshotsFactory disks) {
        this(backups, restores, clusters, locations, sources, stores, null, clock, runDeadline, disks);
    }

    /** Without native snapshots to delete: a backup's only snapshots are CSI ones. */
    public ExpirySweeper(BackupRepository backups, RestoreRepository restores, ClusterRepository clusters,
                         LocationRepository locations, ClusterSessions sources, ObjectStoreFactory stores,
                         ScheduleRepository schedules, Clock clock, Duration runDeadline) {
        this(backups, restores, clusters, locations, sources, stores, schedules, clock, runDeadline,
                DiskSnapshotsFactory.NONE);
    }

    /**
     * {@code runDeadline}: the longest a run can take (the Lambda timeout plus a margin); {@code disks}: how the
     * native snapshots of backups are reached, to delete them.
     */
    public ExpirySweeper(BackupRepository backups, RestoreRepository restores, ClusterRepository clusters,
                         LocationRepository locations, ClusterSessions sources, ObjectStoreFactory stores,
                         ScheduleRepository schedules, Clock clock, Duration runDeadline, DiskSnapshotsFactory disks) {
        this.schedules = schedules;
        this.disks = disks;
        this.backups = backups;
        this.restores = restores;
        this.clusters = clusters;
        this.locations = locations;
        this.sources = sources;
        this.stores = stores;
        this.clock = clock;
        this.runDeadline = runDeadline;
    }

    /**
     * What one sweep did; {@code timedOut} were still being deleted when their time was up (the next sweep retries);
     * {@code kept}: expired backups their schedule's retention keeps, each as {@code project/name (rules)}.
     */
    public record Sweep(List<String> deleted, List<String> stillDeleting, List<String> interrupted, List<String> timedOut,
                        List<String> kept) {
    }

    /** A sweep with the defaults: four backups at once, each given two minutes. */
    public Sweep sweep() {
        return sweep(Duration.ofMinutes(2), 4);
    }

    /**
     * Deletes the expired backups {@code concurrency} at once, each given {@code timeout}, so that a location that
     * never answers holds up only its own backups.
     */
    public Sweep sweep(Duration timeout, int concurrency) {
        List<String> deleted = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        List<String> timedOut = new ArrayList<>();
        // Velero's own backups are Velero's to expire; Lifeboat deletes one only when asked
        List<Backup> expired = backups.expired(clock.instant()).stream().filter(b -> !b.importedFromVelero()).toList();
        Map<Backup, List<String>> retained = retained(expired);
        List<String> kept = retained.entrySet().stream().map(e -> e.getKey().project() + "/" + e.getKey().name()
                + " (" + String.join(", ", e.getValue()) + ")").sorted().toList();
        expired = expired.stream().filter(b -> !retained.containsKey(b)).toList();
        for (TimedTasks.Outcome<Backup, Boolean> outcome : TimedTasks.run(expired, concurrency, timeout, this::remove)) {
            String name = outcome.item().project() + "/" + outcome.item().name();
            if (outcome.timedOut()) {
                timedOut.add(name);
            } else {
                (Boolean.TRUE.equals(outcome.value()) ? deleted : pending).add(name);
            }
        }
        List<String> interrupted = new ArrayList<>();
        java.time.Instant deadline = clock.instant().minus(runDeadline);
        for (Backup backup : backups.stuck(deadline)) {
            if (backups.failIfRunning(backup.project(), backup.name(), "interrupted: the run did not finish within "
                    + runDeadline.toMinutes() + " minutes", clock.instant())) {
                interrupted.add("backup " + backup.project() + "/" + backup.name());
            }
        }
        // a run that was started but never took its record (its asynchronous invocation failed and was dead-lettered)
        String never = "never started: no run took it within " + runDeadline.toMinutes() + " minutes";
        for (Backup backup : backups.neverStarted(deadline)) {
            if (backups.failIfNew(backup.project(), backup.name(), never, clock.instant())) {
                interrupted.add("backup " + backup.project() + "/" + backup.name());
            }
        }
        for (Restore restore : restores.neverStarted(deadline)) {
            Results results = new Results();
            results.errorOfRun(never);
            if (restores.failIfNew(restore.project(), restore.name(), new Restore.Outcome(Restore.Phase.Failed,
                    restore.progress(), restore.counts(), clock.instant(), 0, 1, results.summary(Results.ON_RECORD)))) {
                interrupted.add("restore " + restore.project() + "/" + restore.name());
            }
        }
        for (Restore restore : restores.stuck(deadline)) {
            Map<String, Object> results = Map.of("errors", Map.of("velero", List.of("interrupted: the run did not finish "
                    + "within " + runDeadline.toMinutes() + " minutes"), "cluster", List.of(), "namespaces", Map.of()));
            restores.finish(restore.project(), restore.name(), new Restore.Outcome(Restore.Phase.Failed, restore.progress(),
                    restore.counts(), clock.instant(), restore.warnings(), restore.errors() + 1, results));
            interrupted.add("restore " + restore.project() + "/" + restore.name());
        }
        return new Sweep(deleted, pending, interrupted, timedOut, kept);
    }

    /**
     * The expired backups their schedule's retention keeps, with the rules that keep each: for each schedule with an
     * expired backup, its backups are read once, and each cluster's are a series of their own (a workspace's schedule
     * backs up several).
     */
    private Map<Backup, List<String>> retained(List<Backup> expired) {
        Map<Backup, List<String>> retained = new HashMap<>();
        Map<String, List<Backup>> bySchedule = new TreeMap<>();
        for (Backup backup : expired) {
            if (backup.schedule() != null) {
                bySchedule.computeIfAbsent(backup.project() + "/" + backup.schedule(), k -> new ArrayList<>()).add(backup);
            }
        }
        for (List<Backup> ofSchedule : bySchedule.values()) {
            Backup any = ofSchedule.get(0);
            Schedule schedule = schedules == null ? null : schedules.find(any.project(), any.schedule()).orElse(null);
            Keep keep = schedule == null ? null : schedule.keep();
            ZoneId zone = schedule == null ? ZoneOffset.UTC : schedule.spec().zone();
            Map<String, List<Backup>> series = new HashMap<>();
            for (Backup backup : backups.ofSchedule(any.project(), any.schedule())) {
                series.computeIfAbsent(String.valueOf(backup.cluster()), c -> new ArrayList<>()).add(backup);
            }
            Map<String, Map<String, List<String>>> keptPerCluster = new HashMap<>();
            series.forEach((cluster, backupsOfCluster) -> keptPerCluster.put(cluster,
                    KeptBackups.of(backupsOfCluster, keep, zone)));
            for (Backup backup : ofSchedule) {
                List<String> rules = keptPerCluster.getOrDefault(String.valueOf(backup.cluster()), Map.of()).get(backup.name());
                if (rules != null) {
                    retained.put(backup, rules);
                }
            }
        }
        return retained;
    }

    /** {@code DELETE …/backups/{name}}: the same path as expiry, at once. */
    public boolean deleteNow(String project, String name) {
        Backup backup = backups.find(project, name).orElseThrow(() -> new NotFoundException("backup", project, name));
        if (backup.phase() == Backup.Phase.New || backup.phase() == Backup.Phase.InProgress) {
            throw new ConflictException("name", "backup '" + name + "' is " + backup.phase() + ": it can be deleted once it finishes");
        }
        return remove(backup);
    }

    /** Returns true when everything is gone, record included. */
    private boolean remove(Backup backup) {
        if (!backups.markDeleting(backup.project(), backup.name(), List.of())) {
            return false; // running: an expired backup still InProgress waits for its run
        }
        List<String> pending = new ArrayList<>();
        Instant retryAt = null;
        deleteSnapshots(backup, pending);
        Location location = locations.find(backup.project(), backup.location()).orElse(null);
        if (backup.retention() == null || !backup.retention().locksAt(clock.instant())) {
            // a locked backup keeps its native snapshots with its objects, until its lock ends
            deleteDiskSnapshots(backup, location, pending);
        }
        if (location == null) {
            pending.add("location " + backup.location() + " no longer exists: the objects of the backup cannot be deleted");
        } else if (!Names.isDns1123Label(backup.name())) {
            pending.add("the backup's name is not a DNS-1123 label: its objects are not deleted");
        } else if (backup.retention() != null && backup.retention().locksAt(clock.instant())) {
            Retention lock = backup.retention();
            pending.add("its objects are locked until " + lock.retainUntil() + " (" + lock.mode().wireName()
                    + " mode): none was deleted, and they are deleted once the lock ends");
            retryAt = lock.retainUntil();
        } else {
            String folder = Layout.backupFolder(location.prefix(), backup.name());
            try (ObjectStore store = stores.open(location)) {
                if (backup.retention() != null) {
                    retryAt = deleteVersions(store, folder, pending);
                } else {
                    deleteObjects(store, folder, pending);
                }
            } catch (StoreException e) {
                pending.add("the objects could not be deleted: " + e.reason() + ": "
                        + new Redactor(location.secretValues()).scrub(e.getMessage()));
            }
        }
        if (!pending.isEmpty()) {
            backups.markDeleting(backup.project(), backup.name(), pending);
            if (retryAt != null) {
                backups.retryDeletionAt(backup.project(), backup.name(), retryAt);
            }
            return false;
        }
        backups.delete(backup.project(), backup.name());
        return true;
    }

    /** Deletes the objects under the folder; a key listed outside it is left, and said so. */
    private static void deleteObjects(ObjectStore store, String folder, List<String> pending) {
        int foreign = 0;
        for (String key : store.list(folder)) {
            if (Layout.isInside(folder, key)) {
                store.delete(key);
            } else {
                foreign++;
            }
        }
        if (foreign > 0) {
            pending.add("the store listed " + foreign + " keys outside " + folder + ": they were not deleted");
        }
    }

    /**
     * A locked backup's objects, once its lock has ended: every stored version under the folder is deleted for good
     * (deleting only the current object of a versioned bucket would hide it and keep its bytes). A version still
     * locked (its lock lengthened in the store meanwhile) is not tried: it is said so, and the latest such date is
     * returned, for the sweep to come back then (null when none is left).
     */
    private Instant deleteVersions(ObjectStore store, String folder, List<String> pending) {
        Instant now = clock.instant();
        int foreign = 0;
        int locked = 0;
        Instant latest = null;
        for (StoredVersion version : store.versions(folder)) {
            if (!Layout.isInside(folder, version.key())) {
                foreign++;
            } else if (version.lockedAt(now)) {
                locked++;
                latest = latest == null || version.lockedUntil().isAfter(latest) ? version.lockedUntil() : latest;
            } else {
                store.deleteVersion(version);
            }
        }
        if (foreign > 0) {
            pending.add("the store listed " + foreign + " keys outside " + folder + ": they were not deleted");
        }
        if (locked > 0) {
            pending.add(locked + " stored versions are still locked, until " + latest + " at the latest: they were "
                    + "not tried, and are deleted once their lock ends");
        }
        return latest;
    }

    /**
     * The native snapshots of a backup that took any (or may have: "include all disks" into a location that
     * snapshots natively), each checked by its tags ({@link DiskSnapshotDeleter}).
     */
    private void deleteDiskSnapshots(Backup backup, Location location, List<String> pending) {
        boolean recorded = backup.diskSnapshots().stream().anyMatch(s -> s.snapshotId() != null);
        boolean possible = backup.includeDisks() && location != null && location.snapshotMode() != SnapshotMode.CSI
                && !backup.importedFromVelero();
        if (!recorded && !possible) {
            return;
        }
        if (location == null) {
            pending.add("location " + backup.location() + " no longer exists: the disk snapshots of the backup cannot be "
                    + "deleted");
            return;
        }
        try (DiskSnapshots cloud = disks.open(location)) {
            DiskSnapshotDeleter.Outcome outcome = new DiskSnapshotDeleter(cloud)
                    .delete(backup.project(), backup.name(), backup.diskSnapshots());
            pending.addAll(outcome.left());
        } catch (DiskException e) {
            pending.add("the disk snapshots could not be deleted: " + e.code() + ": "
                    + new Redactor(location.secretValues()).scrub(String.valueOf(e.getMessage())));
        }
    }

    private void deleteSnapshots(Backup backup, List<String> pending) {
        List<VolumeSnapshot> taken = backup.volumeSnapshots().stream().filter(s -> s.volumeSnapshotName() != null).toList();
        if (taken.isEmpty()) {
            return;
        }
        Cluster cluster = clusters.find(backup.project(), backup.cluster()).orElse(null);
        if (cluster == null) {
            pending.add("cluster " + backup.cluster() + " is no longer registered: " + taken.size()
                    + " VolumeSnapshots are left to delete by hand");
            return;
        }
        try (ClusterSession source = sources.open(cluster.kubeconfig(), cluster.context())) {
            for (VolumeSnapshot snapshot : taken) {
                source.deleteVolumeSnapshot(snapshot.namespace(), snapshot.volumeSnapshotName());
            }
        } catch (RuntimeException e) {
            pending.add("the VolumeSnapshots could not be deleted (" + e.getMessage() + "); the next sweep retries");
        }
    }
}
