package io.lifeboat.disk;

import java.util.Map;

/** A disk snapshot as its cloud describes it: its status, why it failed, and its tags. */
public record SnapshotState(String snapshotId, Status status, String detail, Map<String, String> tags) {
    public enum Status { PENDING, COMPLETED, FAILED, MISSING }

    public SnapshotState {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static SnapshotState missing(String snapshotId) {
        return new SnapshotState(snapshotId, Status.MISSING, "the cloud does not know snapshot " + snapshotId, Map.of());
    }
}
