package io.lifeboat.disk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags Lifeboat puts on the snapshots (and disks) it makes, in one place: the project, the backup, and the claim
 * ({@code <namespace>_<claim>}: a namespace holds no underscore). Keys and values are ones every cloud takes as they
 * are (Azure refuses '/' in a tag name; Compute Engine labels take lower-case letters, digits, '-' and '_', which its
 * adapter maps values to). The deletion of a backup deletes only snapshots whose project and backup tags are its own.
 */
public final class DiskTags {
    public static final String PROJECT = "lifeboat-project";
    public static final String BACKUP = "lifeboat-backup";
    public static final String CLAIM = "lifeboat-claim";
    public static final String RESTORE = "lifeboat-restore";

    private DiskTags() {
    }

    /** The tags of a backup's snapshot of a claim. */
    public static Map<String, String> snapshot(String project, String backup, String namespace, String claim) {
        Map<String, String> tags = new LinkedHashMap<>(backup(project, backup));
        tags.put(CLAIM, namespace + "_" + claim);
        return tags;
    }

    /** The tags every snapshot of a backup carries: what its deletion lists and checks. */
    public static Map<String, String> backup(String project, String backup) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(PROJECT, project);
        tags.put(BACKUP, backup);
        return tags;
    }

    /** The tags of a disk a restore creates. */
    public static Map<String, String> restoredDisk(String project, String restore, String namespace, String claim) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(PROJECT, project);
        tags.put(RESTORE, restore);
        tags.put(CLAIM, namespace + "_" + claim);
        return tags;
    }

    /** Whether the tags a cloud reports are the backup's own (as {@code tagsAsStored} maps them, for the cloud). */
    public static boolean ofBackup(Map<String, String> tags, String project, String backup) {
        return project.equals(tags.get(PROJECT)) && backup.equals(tags.get(BACKUP));
    }
}
