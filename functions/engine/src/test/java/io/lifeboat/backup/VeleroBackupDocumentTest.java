package io.lifeboat.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.archive.Layout;
import io.lifeboat.cluster.VolumeSnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code velero-backup.json} holds what Velero's backup sync needs of it (pkg/controller/backup_sync_controller.go,
 * pkg/persistence/object_store.go): a velero.io/v1 Backup (decoded by its group version and kind), named as its
 * folder, with its phase (Completed and PartiallyFailed are synced; others only once expired), its expiration (the
 * garbage collection deletes it after), its storage location and the archive's format version.
 */
class VeleroBackupDocumentTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final Instant created = Instant.parse("2026-11-23T12:00:00Z");

    Backup finished(List<String> namespaces, List<VolumeSnapshot> snapshots) {
        Backup requested = Backup.requested("p", "nightly", "prod", "loc", namespaces, false, true, created,
                created.plus(Duration.ofDays(30)));
        return requested.started(created.plusSeconds(1)).finishedWith(new Backup.Outcome(Backup.Phase.PartiallyFailed,
                new Backup.Progress(41, 42), created.plusSeconds(60), 1234, "abc", 2, 1, List.of("one"), snapshots));
    }

    JsonNode document(Backup backup) throws IOException {
        return JSON.readTree(VeleroBackupDocument.of(backup, "default", created.plusSeconds(61)));
    }

    @Test
    void theFieldsVelerosSyncReads() throws IOException {
        JsonNode doc = document(finished(List.of("shop"), List.of()));
        assertEquals("velero.io/v1", doc.path("apiVersion").asText());
        assertEquals("Backup", doc.path("kind").asText());
        assertEquals("nightly", doc.path("metadata").path("name").asText(), "named as its folder");
        assertEquals("velero", doc.path("metadata").path("namespace").asText());
        assertEquals("default", doc.path("metadata").path("labels").path("velero.io/storage-location").asText());
        assertEquals("p", doc.path("metadata").path("labels").path(VeleroBackupDocument.PROJECT_LABEL).asText());
        assertEquals("default", doc.path("spec").path("storageLocation").asText());
        assertEquals("PartiallyFailed", doc.path("status").path("phase").asText());
        assertEquals(Layout.FORMAT_VERSION, doc.path("status").path("formatVersion").asText());
        assertEquals(1, doc.path("status").path("version").asInt());
        assertEquals(created.plus(Duration.ofDays(30)),
                OffsetDateTime.parse(doc.path("status").path("expiration").asText()).toInstant(),
                "an RFC 3339 time, as metav1.Time reads it");
        assertEquals(created.plusSeconds(1).toString(), doc.path("status").path("startTimestamp").asText());
        assertEquals(created.plusSeconds(60).toString(), doc.path("status").path("completionTimestamp").asText());
        assertEquals("720h0m0s", doc.path("spec").path("ttl").asText(), "Go's duration text");
        assertEquals(List.of("shop"), List.of(doc.path("spec").path("includedNamespaces").get(0).asText()));
        assertTrue(doc.path("spec").path("snapshotVolumes").asBoolean());
        assertEquals(42, doc.path("status").path("progress").path("totalItems").asLong());
        assertEquals(41, doc.path("status").path("progress").path("itemsBackedUp").asLong());
        assertEquals(2, doc.path("status").path("warnings").asInt());
        assertEquals(1, doc.path("status").path("errors").asInt());
    }

    @Test
    void everyNamespaceIsVelerosStarAndSnapshotsAreCounted() throws IOException {
        List<VolumeSnapshot> snapshots = List.of(
                new VolumeSnapshot("shop", "data", "pv-1", "ebs.csi.aws.com", "s1", "snap-1", "1Gi", null),
                new VolumeSnapshot("shop", "logs", "pv-2", "ebs.csi.aws.com", "s2", null, null, "not ready"));
        JsonNode doc = document(finished(List.of(), snapshots));
        assertEquals("*", doc.path("spec").path("includedNamespaces").get(0).asText());
        assertEquals(1, doc.path("spec").path("includedNamespaces").size());
        assertEquals(2, doc.path("status").path("csiVolumeSnapshotsAttempted").asInt());
        assertEquals(1, doc.path("status").path("csiVolumeSnapshotsCompleted").asInt());
    }

    @Test
    void aRunningBackupIsCompletedNowAndDurationsAreGos() throws IOException {
        Backup running = Backup.requested("p", "b", "prod", "loc", List.of(), null, false, created,
                created.plusSeconds(90061)).started(created);
        assertEquals(created.plusSeconds(61).toString(), document(running).path("status").path("completionTimestamp").asText());
        assertEquals("25h1m1s", VeleroBackupDocument.goDuration(Duration.ofSeconds(90061)));
        assertEquals("0h0m0s", VeleroBackupDocument.goDuration(Duration.ofSeconds(-5)), "never negative");
    }
}
