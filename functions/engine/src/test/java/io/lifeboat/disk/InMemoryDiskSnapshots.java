package io.lifeboat.disk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One cloud's disks and snapshots, in memory, for tests: disks are added by ID, snapshots complete after a number of
 * looks (or never), and a create, a look or a delete can be made to fail the way clouds fail.
 */
public final class InMemoryDiskSnapshots implements DiskSnapshots {
    private final Cloud cloud;
    private final Map<String, String> diskTypes = new HashMap<>();
    private final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
    private final Map<String, DiskException> createFailures = new HashMap<>();
    private final List<String> deleted = new ArrayList<>();
    private final List<Made> made = new ArrayList<>();
    /** The target node each createDisk was given (null entries where none was). */
    private final List<TargetNode> nodes = new ArrayList<>();
    /** What {@link #checkNode} does: null passes; a DiskException is thrown; any other answer is returned. */
    private Object nodeCheck;
    private final AtomicInteger ids = new AtomicInteger();
    private int looksToComplete = 1;
    private boolean neverComplete;
    private int throttledLooks;
    private DiskException makeFailure;
    private int opened;
    private int closed;

    /** A snapshot as the fake holds it. */
    public record Snapshot(String id, String name, Disk disk, Map<String, String> tags, int looks, boolean completed,
                           String failed) {
    }

    /** A disk made from a snapshot. */
    public record Made(String snapshotId, Disk disk, String name, Map<String, String> tags, String volumeType) {
    }

    public InMemoryDiskSnapshots(Cloud cloud) {
        this.cloud = cloud;
    }

    public InMemoryDiskSnapshots disk(String id, String type) {
        diskTypes.put(id, type);
        return this;
    }

    /** Snapshots complete at the n-th look. */
    public InMemoryDiskSnapshots completeAfter(int looks) {
        looksToComplete = looks;
        return this;
    }

    /** Snapshots stay pending whatever the time. */
    public InMemoryDiskSnapshots neverComplete() {
        neverComplete = true;
        return this;
    }

    /** The next {@code looks} looks at snapshots are throttled. */
    public InMemoryDiskSnapshots throttle(int looks) {
        throttledLooks = looks;
        return this;
    }

    public InMemoryDiskSnapshots failCreate(String diskId, DiskException failure) {
        createFailures.put(diskId, failure);
        return this;
    }

    public InMemoryDiskSnapshots failMake(DiskException failure) {
        makeFailure = failure;
        return this;
    }

    /** A snapshot somebody else made, with the given tags. */
    public InMemoryDiskSnapshots existing(String id, Map<String, String> tags) {
        snapshots.put(id, new Snapshot(id, id, null, Map.copyOf(tags), 0, true, null));
        return this;
    }

    /** The snapshot, as the fake holds it. */
    public synchronized Snapshot snapshotHeld(String id) {
        return snapshots.get(id);
    }

    public synchronized List<Snapshot> snapshots() {
        return List.copyOf(snapshots.values());
    }

    public synchronized List<String> deleted() {
        return List.copyOf(deleted);
    }

    public synchronized List<Made> made() {
        return List.copyOf(made);
    }

    /** {@link #checkNode} refuses (a DiskException), cannot tell (a reason), or passes (null). */
    public synchronized InMemoryDiskSnapshots nodeCheck(Object answer) {
        this.nodeCheck = answer;
        return this;
    }

    @Override
    public synchronized String checkNode(TargetNode node) {
        if (nodeCheck instanceof DiskException refused) {
            throw refused;
        }
        return (String) nodeCheck;
    }

    /** The target node each createDisk was given, in order (null where none was). */
    public synchronized List<TargetNode> nodes() {
        return new ArrayList<>(nodes);
    }

    /** Opened (by a factory) and closed counts, to check every client is closed. */
    public synchronized void opened() {
        opened++;
    }

    public synchronized boolean allClosed() {
        return opened == closed;
    }

    @Override
    public Cloud cloud() {
        return cloud;
    }

    @Override
    public synchronized Started createSnapshot(Disk disk, String name, Map<String, String> tags) {
        if (createFailures.containsKey(disk.id())) {
            throw createFailures.get(disk.id());
        }
        if (!diskTypes.containsKey(disk.id())) {
            throw new DiskException("InvalidVolume.NotFound", false, "The volume '" + disk.id() + "' does not exist.");
        }
        String id = switch (cloud) {
            case aws -> String.format("snap-%017x", ids.incrementAndGet());
            case azure -> disk.id().replaceFirst("/disks/[^/]+$", "/snapshots/" + name);
            case gcp -> name;
        };
        snapshots.put(id, new Snapshot(id, name, disk, Map.copyOf(tags), 0, false, null));
        return new Started(id, diskTypes.get(disk.id()), cloud == Cloud.aws ? 3000L : null);
    }

    @Override
    public synchronized SnapshotState snapshot(String id) {
        if (throttledLooks > 0) {
            throttledLooks--;
            throw new DiskException("RequestLimitExceeded", true, "Request limit exceeded.");
        }
        Snapshot s = snapshots.get(id);
        if (s == null) {
            return SnapshotState.missing(id);
        }
        int looks = s.looks() + 1;
        boolean completed = s.completed() || (!neverComplete && looks >= looksToComplete);
        s = new Snapshot(s.id(), s.name(), s.disk(), s.tags(), looks, completed, s.failed());
        snapshots.put(id, s);
        SnapshotState.Status status = s.failed() != null ? SnapshotState.Status.FAILED
                : completed ? SnapshotState.Status.COMPLETED : SnapshotState.Status.PENDING;
        return new SnapshotState(id, status, s.failed(), s.tags());
    }

    @Override
    public synchronized Disk createDisk(String snapshotId, Disk original, String volumeType, Long volumeIOPS,
                                        String zone, String name, Map<String, String> tags, TargetNode node) {
        nodes.add(node);
        if (makeFailure != null) {
            throw makeFailure;
        }
        if (!snapshots.containsKey(snapshotId)) {
            throw new DiskException("InvalidSnapshot.NotFound", false, "The snapshot '" + snapshotId + "' does not exist.");
        }
        String id = switch (cloud) {
            case aws -> String.format("vol-%017x", ids.incrementAndGet() + 0xabc000L);
            case azure -> original.id().replaceFirst("/disks/[^/]+$", "/disks/" + name);
            case gcp -> original.id().replaceFirst("zones/[^/]+/disks/[^/]+$", "zones/" + zone + "/disks/" + name);
        };
        Disk disk = new Disk(cloud, id, zone, DiskOf.regionOf(cloud, zone), original.source());
        made.add(new Made(snapshotId, disk, name, Map.copyOf(tags), volumeType));
        diskTypes.put(id, "made");
        return disk;
    }

    @Override
    public synchronized boolean deleteSnapshot(String id) {
        deleted.add(id);
        return snapshots.remove(id) != null;
    }

    @Override
    public synchronized List<String> snapshotsTagged(Map<String, String> tags) {
        return snapshots.values().stream().filter(s -> s.tags().entrySet().containsAll(tags.entrySet()))
                .map(Snapshot::id).toList();
    }

    @Override
    public synchronized void close() {
        closed++;
    }
}
