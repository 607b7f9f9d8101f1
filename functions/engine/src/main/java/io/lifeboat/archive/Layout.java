package io.lifeboat.archive;

/**
 * Velero's layout, in one place: where a backup's objects live in a location, and where each item lives inside the
 * tarball. Lifeboat writes archives that Velero restores and reads archives Velero wrote, so nothing here is ours
 * to change; Lifeboat's own additions go inside {@code backups/<name>/} beside Velero's files.
 *
 * <p>Velero refuses a location that holds top-level folders other than backups/, restores/, restic/, kopia/,
 * metadata/ and plugins/ (pkg/persistence/object_store_layout.go).
 */
public final class Layout {
    /** The archive format version Velero writes to {@code metadata/version}. */
    public static final String FORMAT_VERSION = "1.1.0";
    public static final String VERSION_ENTRY = "metadata/version";
    public static final String RESOURCES = "resources/";
    private static final String PREFERRED_SUFFIX = "-preferredversion";

    private Layout() {
    }

    // ---- keys in the object store ----

    /** Joins the location's prefix (may be empty) with a path inside it. */
    public static String key(String prefix, String path) {
        return prefix == null || prefix.isEmpty() ? path : prefix + "/" + path;
    }

    /** The validation probe writes into Velero's own metadata/ folder, so Velero keeps accepting the location. */
    public static String probeFolder(String prefix) {
        return key(prefix, "metadata/");
    }

    public static String probeKey(String prefix, String id) {
        return probeFolder(prefix) + "lifeboat-probe-" + id;
    }

    public static String backupFolder(String prefix, String backup) {
        return key(prefix, "backups/" + backup + "/");
    }

    /**
     * Whether {@code key} lies inside {@code folder} (which ends with '/'): it starts with the folder, and what follows
     * has no empty, "." or ".." segment nor a backslash, so that no store that resolves paths can take it elsewhere.
     * Deleting a backup deletes only such keys, whatever a listing returns.
     */
    public static boolean isInside(String folder, String key) {
        if (key == null || !folder.endsWith("/") || !key.startsWith(folder) || key.length() == folder.length()) {
            return false;
        }
        String rest = key.substring(folder.length());
        if (rest.indexOf('\\') >= 0) {
            return false;
        }
        for (String segment : rest.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    public static String backupObject(String prefix, String backup, BackupFile file) {
        return backupFolder(prefix, backup) + file.fileName(backup);
    }

    public static String restoreFolder(String prefix, String restore) {
        return key(prefix, "restores/" + restore + "/");
    }

    public static String restoreObject(String prefix, String restore, RestoreFile file) {
        return restoreFolder(prefix, restore) + file.fileName(restore);
    }

    /** The files of {@code backups/<b>/}: Velero's, then Lifeboat's own. */
    public enum BackupFile {
        BACKUP_JSON("velero-backup.json"),
        TARBALL(".tar.gz"),
        LOGS("-logs.gz"),
        RESOURCE_LIST("-resource-list.json.gz"),
        RESULTS("-results.gz"),
        VOLUME_SNAPSHOTS("-volumesnapshots.json.gz"),
        ITEM_OPERATIONS("-itemoperations.json.gz"),
        POD_VOLUME_BACKUPS("-podvolumebackups.json.gz"),
        VOLUME_INFO("-volumeinfo.json.gz"),
        /** Lifeboat's: counts, sizes and the SHA-256 of the tarball and of every item in it. */
        LIFEBOAT_MANIFEST("lifeboat-manifest.json.gz"),
        /**
         * Lifeboat's: the CSI VolumeSnapshots of the backup (Velero's {@code -volumesnapshots} file holds its native
         * snapshots, in its own shape).
         */
        LIFEBOAT_CSI_SNAPSHOTS("lifeboat-csi-snapshots.json.gz"),
        /**
         * Lifeboat's, in an encrypted backup only: the wrapped data key and how the other files are encrypted; the one
         * file of such a backup stored in clear.
         */
        ENCRYPTION_HEADER("lifeboat-encryption.json");

        private final String suffix;

        BackupFile(String suffix) {
            this.suffix = suffix;
        }

        public String fileName(String backup) {
            return this == BACKUP_JSON || this == LIFEBOAT_MANIFEST || this == LIFEBOAT_CSI_SNAPSHOTS
                    || this == ENCRYPTION_HEADER ? suffix : backup + suffix;
        }
    }

    /** The files of {@code restores/<r>/}: Velero's, then Lifeboat's own. */
    public enum RestoreFile {
        LOGS("-logs.gz"),
        RESULTS("-results.gz"),
        RESOURCE_LIST("-resource-list.json.gz"),
        /** Lifeboat's: a dry run's plan, what the restore would do with each item (Velero ignores the file). */
        DRY_RUN_PLAN("-dry-run-plan.json.gz");

        private final String suffix;

        RestoreFile(String suffix) {
            this.suffix = suffix;
        }

        public String fileName(String restore) {
            return "restore-" + restore + suffix;
        }
    }

    // ---- entries inside the tarball ----

    /** {@code <resource>} for the core group, {@code <resource>.<group>} otherwise: deployments.apps, configmaps. */
    public static String resourceFolder(String resource, String group) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    /** {@code resources/<resource>[.<group>]/namespaces/<ns>/<name>.json}, or {@code .../cluster/<name>.json}. */
    public static String itemEntry(String resourceFolder, String namespace, String name) {
        return RESOURCES + resourceFolder + "/" + scope(namespace) + name + ".json";
    }

    /** The same item under {@code resources/<resource>[.<group>]/<version>-preferredversion/...}. */
    public static String preferredVersionEntry(String resourceFolder, String version, String namespace, String name) {
        return RESOURCES + resourceFolder + "/" + version + PREFERRED_SUFFIX + "/" + scope(namespace) + name + ".json";
    }

    private static String scope(String namespace) {
        return namespace == null || namespace.isEmpty() ? "cluster/" : "namespaces/" + namespace + "/";
    }

    /** An item entry parsed back: the resource folder, the version folder (null at the top), namespace and name. */
    public record ItemEntry(String resourceFolder, String preferredVersion, String namespace, String name) {
        public String resource() {
            int dot = resourceFolder.indexOf('.');
            return dot < 0 ? resourceFolder : resourceFolder.substring(0, dot);
        }

        public String group() {
            int dot = resourceFolder.indexOf('.');
            return dot < 0 ? "" : resourceFolder.substring(dot + 1);
        }

        public boolean clusterScoped() {
            return namespace == null;
        }
    }

    /** Parses an item entry path; returns null for anything that is not one (metadata, folders). */
    public static ItemEntry parseItemEntry(String path) {
        if (!path.startsWith(RESOURCES) || !path.endsWith(".json")) {
            return null;
        }
        String[] parts = path.substring(RESOURCES.length(), path.length() - ".json".length()).split("/");
        int i = 0;
        String folder = parts[i++];
        String version = null;
        if (i < parts.length && parts[i].endsWith(PREFERRED_SUFFIX)) {
            version = parts[i].substring(0, parts[i].length() - PREFERRED_SUFFIX.length());
            i++;
        }
        if (parts.length - i == 2 && parts[i].equals("cluster")) {
            return new ItemEntry(folder, version, null, parts[i + 1]);
        }
        if (parts.length - i == 3 && parts[i].equals("namespaces")) {
            return new ItemEntry(folder, version, parts[i + 1], parts[i + 2]);
        }
        return null;
    }
}
