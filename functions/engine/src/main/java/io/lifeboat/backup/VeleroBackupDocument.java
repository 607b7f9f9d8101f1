package io.lifeboat.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.archive.Layout;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code velero-backup.json}: the backup as a velero.io/v1 Backup object, so that Velero can sync and restore it. */
final class VeleroBackupDocument {
    static final String PROJECT_LABEL = "lifeboat.io/project";
    private static final ObjectMapper JSON = new ObjectMapper();

    private VeleroBackupDocument() {
    }

    static byte[] of(Backup b, String storageLocation, Instant now) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", b.name());
        metadata.put("namespace", "velero");
        metadata.put("creationTimestamp", b.createdAt().toString());
        metadata.put("labels", Map.of("velero.io/storage-location", storageLocation,
                PROJECT_LABEL, b.project(), "lifeboat.io/cluster", b.cluster()));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("includedNamespaces", b.namespaces().isEmpty() ? List.of("*") : b.namespaces());
        spec.put("includeClusterResources", b.includeClusterResources());
        spec.put("storageLocation", storageLocation);
        spec.put("snapshotVolumes", b.includeDisks());
        spec.put("ttl", goDuration(Duration.between(b.createdAt(), b.expiresAt())));
        spec.put("defaultVolumesToFsBackup", false);

        Map<String, Object> status = new LinkedHashMap<>();
        status.put("version", 1);
        status.put("formatVersion", Layout.FORMAT_VERSION);
        status.put("expiration", b.expiresAt().toString());
        status.put("phase", b.phase().name());
        status.put("startTimestamp", b.startedAt() == null ? null : b.startedAt().toString());
        status.put("completionTimestamp", b.completedAt() == null ? now.toString() : b.completedAt().toString());
        status.put("progress", Map.of("totalItems", b.progress().totalItems(), "itemsBackedUp", b.progress().itemsBackedUp()));
        status.put("warnings", b.warnings());
        status.put("errors", b.errors());
        status.put("csiVolumeSnapshotsAttempted", b.volumeSnapshots().size());
        status.put("csiVolumeSnapshotsCompleted", b.volumeSnapshots().stream().filter(s -> s.error() == null).count());

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("kind", "Backup");
        document.put("apiVersion", "velero.io/v1");
        document.put("metadata", metadata);
        document.put("spec", spec);
        document.put("status", status);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Go's time.Duration text, as Velero writes its TTL: 720h0m0s. */
    static String goDuration(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        return (seconds / 3600) + "h" + (seconds % 3600 / 60) + "m" + (seconds % 60) + "s";
    }
}
