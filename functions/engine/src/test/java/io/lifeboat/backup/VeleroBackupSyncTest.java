package io.lifeboat.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.VeleroBackupFiles;
import io.lifeboat.error.ConflictException;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VeleroBackupSyncTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final Instant now = Instant.parse("2026-12-01T12:00:00Z");
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    VeleroBackupSync sync;

    @BeforeEach
    void setUp() {
        locations.create(new Location("p", "velero", Provider.MINIO, "b", "team", Map.of(), LocationStatus.available(now), now));
        sync = new VeleroBackupSync(backups, locations, l -> store, Clock.fixed(now, ZoneOffset.UTC));
    }

    static ObjectNode configMap(String namespace, String name) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","namespace":"%s","uid":"u-1",
                 "resourceVersion":"12"},"data":{"k":"v"}}""".formatted(name, namespace));
    }

    void put(Map<String, byte[]> files) {
        files.forEach((key, content) -> store.put("team/" + key, content));
    }

    @Test
    void aVeleroBackupBecomesARecordWithItsTarballHashAndIsKnownOnTheNextSync() throws Exception {
        Map<String, byte[]> files = VeleroBackupFiles.backup("nightly").item("configmaps", "v1", configMap("shop", "a"))
                .item("configmaps", "v1", configMap("shop", "b")).phase("PartiallyFailed").files();
        put(files);

        VeleroBackupSync.Report report = sync.sync("p", "velero");
        assertEquals(List.of("nightly"), report.imported());
        assertEquals(List.of(), report.skipped());
        Backup imported = backups.find("p", "nightly").orElseThrow();
        assertEquals(Backup.Origin.velero, imported.origin());
        assertNull(imported.cluster());
        assertEquals("velero", imported.location());
        assertEquals(Backup.Phase.PartiallyFailed, imported.phase());
        assertEquals(new Backup.Progress(2, 2), imported.progress());
        assertEquals(Instant.parse("2026-11-30T02:00:00Z"), imported.createdAt());
        assertEquals(Instant.parse("2026-11-30T02:00:00Z").plusSeconds(720 * 3600), imported.expiresAt());
        byte[] tarball = files.get("backups/nightly/nightly.tar.gz");
        assertEquals(tarball.length, imported.sizeBytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tarball)), imported.archiveSha256());

        VeleroBackupSync.Report again = sync.sync("p", "velero");
        assertEquals(List.of(), again.imported());
        assertEquals(1, again.alreadyKnown());
    }

    @Test
    void whatVeleroWouldNotRestoreIsSkippedWithItsReasonAndNothingIsWritten() throws Exception {
        put(VeleroBackupFiles.backup("renamed").documentName("other").files());
        put(VeleroBackupFiles.backup("fresh").phase("New").files());
        put(VeleroBackupFiles.backup("future").formatVersion("2.0.0").files());
        Map<String, byte[]> noTarball = VeleroBackupFiles.backup("no-tarball").files();
        noTarball.remove("backups/no-tarball/no-tarball.tar.gz");
        put(noTarball);
        store.put("team/backups/huge/velero-backup.json", ("{\"kind\":\"Backup\",\"pad\":\""
                + "x".repeat(VeleroBackupSync.MAX_DOCUMENT_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8));
        store.put("team/backups/broken/velero-backup.json", "{\"kind\":\"Backup\",".getBytes(StandardCharsets.UTF_8));
        store.put("team/backups/twice/velero-backup.json",
                "{\"kind\":\"Backup\",\"kind\":\"Backup\"}".getBytes(StandardCharsets.UTF_8));
        store.put("team/backups/Bad_Name/velero-backup.json", VeleroBackupFiles.backup("Bad_Name").document());
        store.put("team/backups/a/b/velero-backup.json", VeleroBackupFiles.backup("a").document());
        store.put("team/backups/no-document/no-document.tar.gz", new byte[]{0x1f, (byte) 0x8b});
        Map<String, byte[]> before = Map.copyOf(store.objects());

        VeleroBackupSync.Report report = sync.sync("p", "velero");

        assertEquals(List.of(), report.imported());
        Map<String, String> reasons = new java.util.TreeMap<>();
        report.skipped().forEach(s -> reasons.put(s.name(), s.reason()));
        assertEquals(List.of("Bad_Name", "a/...", "broken", "fresh", "future", "huge", "no-tarball", "renamed", "twice"),
                List.copyOf(reasons.keySet()), reasons.toString());
        assertTrue(reasons.get("renamed").contains("metadata.name"), reasons.toString());
        assertTrue(reasons.get("fresh").contains("'New'"), reasons.toString());
        assertTrue(reasons.get("future").contains("formatVersion"), reasons.toString());
        assertTrue(reasons.get("no-tarball").contains("tarball is missing"), reasons.toString());
        assertTrue(reasons.get("huge").contains("larger than"), reasons.toString());
        assertTrue(reasons.get("broken").contains("not valid JSON"), reasons.toString());
        assertTrue(reasons.get("twice").contains("not valid JSON"), reasons.toString());
        assertTrue(reasons.get("Bad_Name").contains("DNS-1123"), reasons.toString());
        assertTrue(backups.list("p", null, io.lifeboat.paging.PageRequest.first(10)).items().isEmpty(), "nothing recorded");
        assertEquals(before.keySet(), store.objects().keySet(), "nothing written to the bucket");
    }

    @Test
    void aNameTakenByAnotherLocationsBackupIsSkippedAndAnUnavailableLocationIsNotSynced() {
        backups.create(Backup.requested("p", "nightly", "prod", "elsewhere", List.of(), null, false, now, now.plusSeconds(60)));
        put(VeleroBackupFiles.backup("nightly").files());
        VeleroBackupSync.Report report = sync.sync("p", "velero");
        assertEquals(1, report.skipped().size());
        assertTrue(report.skipped().get(0).reason().contains("location elsewhere"), report.toString());
        assertEquals(Backup.Origin.lifeboat, backups.find("p", "nightly").orElseThrow().origin());

        locations.updateStatus("p", "velero", LocationStatus.unavailable(LocationStatus.Reason.NoSuchBucket, "gone", now));
        assertThrows(ConflictException.class, () -> sync.sync("p", "velero"));
    }
}
