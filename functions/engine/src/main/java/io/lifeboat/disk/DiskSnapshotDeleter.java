package io.lifeboat.disk;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes the native snapshots of one backup, and only those: the ones it recorded and the ones the cloud lists with
 * its project and backup tags (a run that died between starting a snapshot and recording it), each described first and
 * deleted only when its tags are the backup's own. What could not be deleted is returned, each with its reason, so
 * that the backup stays Deleting and the next sweep tries again.
 */
public final class DiskSnapshotDeleter {
    private final DiskSnapshots cloud;

    public DiskSnapshotDeleter(DiskSnapshots cloud) {
        this.cloud = cloud;
    }

    /** What one deletion did: the snapshots deleted (or found gone), and what is left with why. */
    public record Outcome(List<String> deleted, List<String> left) {
    }

    public Outcome delete(String project, String backup, List<DiskSnapshot> recorded) {
        Set<String> ids = new LinkedHashSet<>();
        recorded.stream().filter(s -> s.snapshotId() != null && s.cloud() == cloud.cloud())
                .forEach(s -> ids.add(s.snapshotId()));
        List<String> deleted = new ArrayList<>();
        List<String> left = new ArrayList<>();
        try {
            ids.addAll(cloud.snapshotsTagged(DiskTags.backup(project, backup)));
        } catch (DiskException e) {
            left.add("the snapshots tagged with the backup could not be listed: " + e.code() + ": " + e.getMessage());
        }
        for (String id : ids) {
            try {
                SnapshotState state = cloud.snapshot(id);
                if (state.status() == SnapshotState.Status.MISSING) {
                    deleted.add(id);
                } else if (!DiskTags.ofBackup(state.tags(), project, backup)) {
                    left.add("snapshot " + id + " is not deleted: its tags do not name backup " + backup
                            + " of project " + project);
                } else {
                    cloud.deleteSnapshot(id);
                    deleted.add(id);
                }
            } catch (DiskException e) {
                left.add("snapshot " + id + " could not be deleted: " + e.code() + ": " + e.getMessage());
            }
        }
        return new Outcome(deleted, left);
    }
}
