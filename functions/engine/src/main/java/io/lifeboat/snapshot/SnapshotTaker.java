package io.lifeboat.snapshot;

import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.run.Results;
import io.lifeboat.run.RunFailure;
import io.lifeboat.run.RunLog;
import io.lifeboat.work.Pause;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A backup's CSI snapshots: one VolumeSnapshot per bound claim, named by {@link SnapshotNames}; all are created first,
 * then awaited together until the one deadline ({@code timeout}, within the function's), so that the snapshotter
 * works on them side by side. A claim that cannot be snapshotted is an error of its namespace; one not ready in time
 * too, and it stays recorded by name, so that deleting the backup (or its expiry) deletes it.
 */
public final class SnapshotTaker {
    private final Clock clock;
    private final Pause pause;
    private final Duration timeout;
    private final Duration poll;

    /** {@code timeout} for all the snapshots of a backup together; {@code poll} between two looks at them. */
    public SnapshotTaker(Clock clock, Pause pause, Duration timeout, Duration poll) {
        this.clock = clock;
        this.pause = pause;
        this.timeout = timeout;
        this.poll = poll;
    }

    /**
     * Snapshots the claims; {@code snapshots} receives each as it is started and ends holding the outcome of each, so
     * that a run that fails meanwhile still knows what it created. Returns the outcomes.
     */
    public List<VolumeSnapshot> take(ClusterSession session, String project, String backup,
                                     List<ClusterSession.Claim> claims, List<VolumeSnapshot> snapshots, RunLog log,
                                     Results results) {
        Instant deadline = clock.instant().plus(timeout);
        for (ClusterSession.Claim claim : claims) {
            String name = SnapshotNames.of(backup, claim.namespace(), claim.name());
            snapshots.add(session.startSnapshot(project, backup, claim, name));
        }
        while (snapshots.stream().anyMatch(VolumeSnapshot::pending) && clock.instant().isBefore(deadline)) {
            for (int i = 0; i < snapshots.size(); i++) {
                if (snapshots.get(i).pending()) {
                    snapshots.set(i, session.checkSnapshot(snapshots.get(i)));
                }
            }
            if (snapshots.stream().anyMatch(VolumeSnapshot::pending)) {
                Duration left = Duration.between(clock.instant(), deadline);
                wait(left.isNegative() ? Duration.ZERO : left.compareTo(poll) < 0 ? left : poll);
            }
        }
        String late = "the snapshot was not ready within " + timeout.toSeconds() + " s";
        snapshots.replaceAll(s -> s.pending() ? s.failed(late) : s);
        for (VolumeSnapshot snapshot : snapshots) {
            String claim = snapshot.namespace() + "/" + snapshot.persistentVolumeClaim();
            if (snapshot.error() != null) {
                results.error(snapshot.namespace(), "volume of claim " + snapshot.persistentVolumeClaim()
                        + " was not snapshotted: " + snapshot.error());
                log.error("claim " + claim + ": " + snapshot.error());
            } else {
                log.info("claim " + claim + " snapshotted as " + snapshot.volumeSnapshotName() + " (handle "
                        + snapshot.snapshotHandle() + ")");
            }
        }
        return List.copyOf(snapshots);
    }

    private void wait(Duration duration) {
        try {
            pause.pause(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure("interrupted while waiting for the volume snapshots", e);
        }
    }
}
