package io.lifeboat.backup;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the API shows of a backup. */
public final class BackupView {
    private BackupView() {
    }

    /** {@code {resource, apiVersion, kind, items}}, with {@code skipped} or {@code error} when there is one. */
    private static Map<String, Object> typeCount(Backup.TypeCount count) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("resource", count.resource());
        view.put("apiVersion", count.apiVersion());
        if (count.kind() != null) {
            view.put("kind", count.kind());
        }
        view.put("items", count.items());
        if (count.skipped() != null) {
            view.put("skipped", count.skipped());
        }
        if (count.error() != null) {
            view.put("error", count.error());
        }
        return view;
    }

    public static Map<String, Object> of(Backup b) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", b.name());
        view.put("project", b.project());
        view.put("origin", b.origin().name());
        view.put("cluster", b.cluster());
        view.put("location", b.location());
        view.put("namespaces", b.namespaces());
        view.put("includeClusterResources", b.includeClusterResources());
        view.put("includeDisks", b.includeDisks());
        view.put("phase", b.phase().name());
        view.put("progress", Map.of("itemsBackedUp", b.progress().itemsBackedUp(), "totalItems", b.progress().totalItems()));
        view.put("createdAt", b.createdAt().toString());
        view.put("startedAt", b.startedAt() == null ? null : b.startedAt().toString());
        view.put("completedAt", b.completedAt() == null ? null : b.completedAt().toString());
        view.put("expiresAt", b.expiresAt() == null ? null : b.expiresAt().toString());
        view.put("sizeBytes", b.sizeBytes());
        view.put("archiveSha256", b.archiveSha256());
        view.put("warnings", b.warnings());
        view.put("errors", b.errors());
        view.put("firstErrors", b.firstErrors());
        view.put("volumeSnapshots", b.volumeSnapshots());
        view.put("types", b.typeCounts().stream().map(BackupView::typeCount).toList());
        return view;
    }
}
