package io.lifeboat.disk;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.run.Results;
import io.lifeboat.run.RunFailure;
import io.lifeboat.run.RunLog;
import io.lifeboat.work.Pause;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A backup's native snapshots: one per claim's disk ({@link DiskOf}), through the cloud's API ({@link DiskSnapshots}),
 * tagged with the project, backup and claim ({@link DiskTags}). All are started first, then awaited together until one
 * deadline ({@code timeout}, within the function's). A claim whose disk cannot be snapshotted, or whose snapshot fails
 * or is not completed in time, is an error of its namespace, so the backup is never Completed without it; a snapshot
 * the cloud accepted stays recorded by ID whatever happens to it, so that deleting the backup deletes it. A throttled or
 * failed look at a snapshot is tried again at the next round, until the deadline.
 */
public final class DiskSnapshotTaker {
    private final Clock clock;
    private final Pause pause;
    private final Duration timeout;
    private final Duration poll;

    /** A claim of the backup, bound to a volume, and that volume as the cluster returned it. */
    public record ClaimDisk(String namespace, String claim, String volumeName, JsonNode volume) {
    }

    public DiskSnapshotTaker(Clock clock, Pause pause, Duration timeout, Duration poll) {
        this.clock = clock;
        this.pause = pause;
        this.timeout = timeout;
        this.poll = poll;
    }

    /**
     * Snapshots the claims' disks through {@code cloud}; {@code snapshots} receives each as it is started and ends holding
     * the outcome of each, so that a run that fails meanwhile still knows what it made. Returns the outcomes.
     */
    public List<DiskSnapshot> take(DiskSnapshots cloud, String project, String backup, List<ClaimDisk> claims,
                                   List<DiskSnapshot> snapshots, RunLog log, Results results) {
        Instant deadline = clock.instant().plus(timeout);
        for (ClaimDisk claim : claims) {
            snapshots.add(start(cloud, project, backup, claim, log));
        }
        while (snapshots.stream().anyMatch(DiskSnapshot::pending) && clock.instant().isBefore(deadline)) {
            for (int i = 0; i < snapshots.size(); i++) {
                if (snapshots.get(i).pending()) {
                    snapshots.set(i, look(cloud, snapshots.get(i), log));
                }
            }
            if (snapshots.stream().anyMatch(DiskSnapshot::pending)) {
                Duration left = Duration.between(clock.instant(), deadline);
                wait(left.isNegative() ? Duration.ZERO : left.compareTo(poll) < 0 ? left : poll);
            }
        }
        String late = "the snapshot was not completed within " + timeout.toSeconds() + " s (it is kept, and deleted "
                + "with the backup)";
        snapshots.replaceAll(s -> s.pending() ? s.failed(late) : s);
        for (DiskSnapshot snapshot : snapshots) {
            String claim = snapshot.namespace() + "/" + snapshot.persistentVolumeClaim();
            if (snapshot.error() != null) {
                results.error(snapshot.namespace(), "disk of claim " + snapshot.persistentVolumeClaim()
                        + " was not snapshotted: " + snapshot.error());
                log.error("claim " + claim + ": " + snapshot.error()
                        + (snapshot.snapshotId() == null ? "" : " (snapshot " + snapshot.snapshotId() + ")"));
            } else {
                log.info("claim " + claim + ": disk " + snapshot.volumeId() + " snapshotted as " + snapshot.snapshotId());
            }
        }
        return List.copyOf(snapshots);
    }

    private DiskSnapshot start(DiskSnapshots cloud, String project, String backup, ClaimDisk claim, RunLog log) {
        if (claim.volume() == null) {
            return DiskSnapshot.refused(claim.namespace(), claim.claim(), claim.volumeName(),
                    "volume " + claim.volumeName() + " was not read from the cluster, so its disk is unknown");
        }
        DiskOf.Reading reading = DiskOf.of(claim.volume());
        if (!reading.found()) {
            return DiskSnapshot.refused(claim.namespace(), claim.claim(), claim.volumeName(),
                    "volume " + claim.volumeName() + " cannot be snapshotted through a cloud's API: " + reading.reason());
        }
        Disk disk = reading.disk();
        DiskSnapshot snapshot = DiskSnapshot.of(claim.namespace(), claim.claim(), claim.volumeName(), disk);
        if (disk.cloud() != cloud.cloud()) {
            return snapshot.failed("its disk is a " + disk.cloud() + " disk, and the location's credentials reach "
                    + cloud.cloud() + " disks only");
        }
        String name = DiskSnapshotNames.of(project, backup, claim.namespace(), claim.claim());
        try {
            DiskSnapshots.Started started = cloud.createSnapshot(disk, name,
                    DiskTags.snapshot(project, backup, claim.namespace(), claim.claim()));
            log.info("claim " + claim.namespace() + "/" + claim.claim() + ": snapshot " + started.snapshotId()
                    + " of disk " + disk.id() + " started");
            return snapshot.started(started);
        } catch (DiskException e) {
            return snapshot.failed("the cloud refused the snapshot of disk " + disk.id() + ": " + e.code() + ": "
                    + e.getMessage());
        }
    }

    private DiskSnapshot look(DiskSnapshots cloud, DiskSnapshot snapshot, RunLog log) {
        try {
            SnapshotState state = cloud.snapshot(snapshot.snapshotId());
            return switch (state.status()) {
                case COMPLETED -> snapshot.completed();
                case PENDING -> snapshot;
                case FAILED -> snapshot.failed("the cloud says snapshot " + snapshot.snapshotId() + " failed: "
                        + state.detail());
                case MISSING -> snapshot.failed("the cloud no longer knows snapshot " + snapshot.snapshotId());
            };
        } catch (DiskException e) {
            if (e.retryable()) {
                log.info("snapshot " + snapshot.snapshotId() + ": " + e.code() + ", looked at again later");
                return snapshot;
            }
            return snapshot.failed("snapshot " + snapshot.snapshotId() + " could not be looked at: " + e.code() + ": "
                    + e.getMessage());
        }
    }

    private void wait(Duration duration) {
        try {
            pause.pause(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure("interrupted while waiting for the disk snapshots", e);
        }
    }
}
