package io.lifeboat.archive;

/**
 * Where Lifeboat's objects live in a location, following Velero's object-store layout. Velero refuses a location
 * that holds top-level folders other than backups/, restores/, restic/, kopia/, metadata/ and plugins/, so
 * everything Lifeboat writes goes under one of those.
 */
public final class StoreLayout {
    private StoreLayout() {
    }

    /** Joins the location's prefix (may be empty) with a path inside it. */
    public static String key(String prefix, String path) {
        return prefix == null || prefix.isEmpty() ? path : prefix + "/" + path;
    }

    /** The folder the validation probe writes into: Velero's own metadata/ folder, so Velero keeps accepting the location. */
    public static String probeFolder(String prefix) {
        return key(prefix, "metadata/");
    }

    public static String probeKey(String prefix, String id) {
        return probeFolder(prefix) + "lifeboat-probe-" + id;
    }
}
