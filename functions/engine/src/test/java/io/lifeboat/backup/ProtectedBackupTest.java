package io.lifeboat.backup;

import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.InMemoryKeyWrapper;
import io.lifeboat.error.DamagedFileException;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.expiry.ExpirySweeper;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.restore.ExistingResourcePolicy;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreExecutor;
import io.lifeboat.work.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups into a location that encrypts and locks, through the engine's services on in-memory ports: what the bucket
 * holds (ciphertext only, every object locked), what the record says, a restore that decrypts, restores refused before
 * anything is applied when the bucket was tampered with, and deletions that never try a locked object.
 */
class ProtectedBackupTest {
    static final String SECRET_VALUE = "aHVudGVyMi1pcy1ub3QtYS1wYXNzd29yZA==";
    final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession source = new InMemoryClusterSession();
    final InMemoryClusterSession target = new InMemoryClusterSession();
    final InMemoryKeyWrapper kms = new InMemoryKeyWrapper();
    /** Small chunks, so that even this backup's files span several. */
    final BackupKeys keys = new BackupKeys(kms, 1024);
    BackupService service;
    BackupExecutor backupExecutor;
    RestoreExecutor restoreExecutor;
    ExpirySweeper sweeper;

    @BeforeEach
    void setUp(@org.junit.jupiter.api.io.TempDir Path spools) {
        source.type("", "v1", "namespaces", "Namespace", false).type("", "v1", "secrets", "Secret", true)
                .type("", "v1", "configmaps", "ConfigMap", true);
        source.add("namespaces", null, "shop");
        source.add("secrets", "shop", "db").putObject("data").put("password", SECRET_VALUE);
        for (int i = 0; i < 40; i++) {
            source.add("configmaps", "shop", "settings-" + i).putObject("data").put("color", "blue-" + i);
        }
        target.serve("", "v1", "namespaces", "Namespace", false).serve("", "v1", "secrets", "Secret", true)
                .serve("", "v1", "configmaps", "ConfigMap", true);
        clusters.create(new Cluster("p", "a", "kubeconfig-a", null, "https://a", ClusterStatus.unknown(), clock.instant()));
        clusters.create(new Cluster("p", "b", "kubeconfig-b", null, "https://b", ClusterStatus.unknown(), clock.instant()));
        Map<LocationField, String> fields = new EnumMap<>(LocationField.class);
        fields.put(LocationField.KMS_KEY_ID, "alias/backups");
        fields.put(LocationField.IMMUTABILITY_DAYS, "7");
        fields.put(LocationField.IMMUTABILITY_MODE, "compliance");
        locations.create(new Location("p", "vault", Provider.MINIO, "bucket", "team", fields,
                LocationStatus.available(clock.instant()), clock.instant()));
        store.enableLocking(clock);
        service = new BackupService(backups, clusters, locations, l -> store, clock, keys);
        backupExecutor = new BackupExecutor(backups, clusters, locations, (k, c) -> k.equals("kubeconfig-a") ? source : target,
                l -> store, clock, clock, new BackupExecutor.Settings(7, 2, 1, Duration.ofSeconds(1)),
                io.lifeboat.signal.RunSignals.NONE, keys);
        restoreExecutor = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> target, l -> store,
                clock, Duration.ofSeconds(1), io.lifeboat.archive.ArchiveLimits.DEFAULTS, spools,
                io.lifeboat.signal.RunSignals.NONE, keys);
        sweeper = new ExpirySweeper(backups, restores, clusters, locations, (k, c) -> source, l -> store, clock,
                Duration.ofMinutes(20));
    }

    Backup backUp(String name) {
        service.request("p", new BackupRequest(name, "a", "vault", null, null, null, null));
        return backupExecutor.run("p", name);
    }

    Restore restore(String name, String backup) {
        restores.create(Restore.requested("p", name, backup, "b", new Restore.Request(true, false, false, List.of(),
                Map.of(), Map.of(), ExistingResourcePolicy.none, Map.of(), List.of()), clock.instant()));
        return restoreExecutor.run("p", name);
    }

    String key(String backup, BackupFile file) {
        return Layout.backupObject("team", backup, file);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void theRecordSaysHowTheBackupIsProtectedFromTheStart() {
        Backup asked = service.request("p", new BackupRequest("first", "a", "vault", null, null, null, null));
        assertTrue(asked.encrypted());
        assertEquals("alias/backups", asked.encryption().kmsKeyId());
        assertEquals(new Retention(Retention.Mode.COMPLIANCE, clock.instant().plus(Duration.ofDays(7))), asked.retention());
        assertEquals(clock.instant().plus(BackupService.DEFAULT_TTL), asked.expiresAt(), "30 days is after the 7 locked");
    }

    @Test
    void theBucketHoldsCiphertextOnlyEveryObjectLockedAndTheRecordDescribesWhatIsStored() throws Exception {
        Backup done = backUp("first");
        assertEquals(Backup.Phase.Completed, done.phase(), done.firstErrors().toString());

        List<String> stored = store.list("team/backups/first/");
        assertEquals(List.of("first-logs.gz", "first-resource-list.json.gz", "first-results.gz",
                "first-volumesnapshots.json.gz", "first.tar.gz", "lifeboat-csi-snapshots.json.gz",
                "lifeboat-encryption.json", "lifeboat-manifest.json.gz", "velero-backup.json"), stored.stream().map(k -> k.substring("team/backups/first/".length())).toList());
        for (String key : stored) {
            byte[] content = store.objects().get(key);
            String text = new String(content, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(SECRET_VALUE), key + " holds the Secret's value");
            assertFalse(text.contains("settings-1"), key + " holds an item's name");
            if (!key.endsWith("lifeboat-encryption.json")) {
                assertEquals("LBE", text.substring(0, 3), key + " is not in the encrypted format");
            }
            assertEquals(done.retention(), store.locks().get(key), key + " is not locked as the record says");
        }
        String header = new String(store.objects().get(key("first", BackupFile.ENCRYPTION_HEADER)), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"kmsKeyId\" : \"alias/backups\""), header);

        byte[] tarball = store.objects().get(key("first", BackupFile.TARBALL));
        assertEquals(sha256(tarball), done.archiveSha256(), "the recorded SHA-256 is the stored ciphertext's");
        assertEquals(tarball.length, done.sizeBytes());
        assertTrue(tarball.length > 3 * 1024, "several chunks: " + tarball.length);
        assertNotNull(done.encryption().plaintextSha256());
        try (BackupObjects objects = new BackupObjects(store, "team", done, keys);
             InputStream in = objects.open(BackupFile.TARBALL)) {
            byte[] plain = in.readAllBytes();
            assertEquals(done.encryption().plaintextSha256(), sha256(plain));
            assertEquals(done.encryption().plaintextSizeBytes(), plain.length);
            assertEquals(0x1f, plain[0] & 0xff, "the Velero tarball inside is gzip");
        }
        assertEquals(List.of("generate alias/backups backup/p/first", "unwrap alias/backups backup/p/first"), kms.calls());
    }

    @Test
    void aRestoreDecryptsAsItStreamsAndTheApiFilesOpen() throws Exception {
        backUp("first");
        Restore done = restore("back", "first");
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        assertEquals(SECRET_VALUE, target.objects().get("secrets/shop/db").path("data").path("password").asText());
        assertEquals(42, target.createdInOrder().size());
        String logs = new String(service.openFile("p", "first", BackupFile.LOGS).readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(logs.contains("encrypting every file"), logs);
        assertTrue(new String(service.openFile("p", "first", BackupFile.RESOURCE_LIST).readAllBytes(),
                StandardCharsets.UTF_8).contains("shop/settings-39"));
        byte[] archive;
        try (InputStream in = service.openArchive("p", "first")) {
            archive = in.readAllBytes();
        }
        assertEquals(backups.find("p", "first").orElseThrow().encryption().plaintextSha256(), sha256(archive));
    }

    /** A verification reads an encrypted backup's files as they decrypt, and finds a changed chunk. */
    @Test
    void anEncryptedBackupIsVerifiedAsItDecryptsAndAChangedChunkFailsIt() {
        Backup first = backUp("first");
        io.lifeboat.verification.BackupVerifier verifier = new io.lifeboat.verification.BackupVerifier(
                io.lifeboat.archive.ArchiveLimits.DEFAULTS, clock, keys);
        Backup.Verification sound = verifier.verify(first, store, "team", clock.instant());
        assertTrue(sound.ok(), sound.problems().toString());
        assertTrue(sound.items() > 0, sound.toString());

        String tarballKey = key("first", BackupFile.TARBALL);
        byte[] sealed = store.objects().get(tarballKey);
        byte[] flipped = sealed.clone();
        flipped[8 + 12 + 1024 + 16 + 500] ^= 0x01;
        store.objects().put(tarballKey, flipped);
        Backup.Verification changed = verifier.verify(first, store, "team", clock.instant());
        assertFalse(changed.ok());
        assertTrue(changed.problems().toString().contains("chunk 1 of first.tar.gz failed authentication"),
                changed.problems().toString());
        store.objects().put(tarballKey, sealed);
    }

    /** A diff reads both encrypted archives as they decrypt, and refuses one whose chunk was changed. */
    @Test
    void twoEncryptedBackupsAreComparedAsTheyDecryptAndAChangedChunkIsRefused() {
        backUp("first");
        ((com.fasterxml.jackson.databind.node.ObjectNode) source.objects().get("configmaps/shop/settings-3").get("data"))
                .put("color", "green");
        source.objects().remove("configmaps/shop/settings-4");
        backUp("second");
        io.lifeboat.diff.BackupDiffs diffs = new io.lifeboat.diff.BackupDiffs(backups, locations, l -> store,
                io.lifeboat.archive.ArchiveLimits.DEFAULTS, io.lifeboat.diff.BackupDiffs.Limits.DEFAULTS, keys);

        io.lifeboat.diff.BackupDiff diff = diffs.diff("p", "first", "second");
        assertEquals(new io.lifeboat.diff.BackupDiff.Summary(0, 1, 1, 40), diff.summary(), diff.toString());
        io.lifeboat.diff.BackupDiff.TypeChanges configMaps = diff.types().get(0);
        assertEquals("configmaps", configMaps.resource());
        assertEquals(List.of("shop/settings-4"), configMaps.removed());
        assertEquals("shop/settings-3", configMaps.changed().get(0).name());
        assertEquals("[{\"op\":\"replace\",\"path\":\"/data/color\",\"value\":\"green\"}]",
                configMaps.changed().get(0).patch().toString());

        String tarballKey = key("second", BackupFile.TARBALL);
        byte[] sealed = store.objects().get(tarballKey);
        byte[] flipped = sealed.clone();
        flipped[8 + 12 + 1024 + 16 + 500] ^= 0x01;
        store.objects().put(tarballKey, flipped);
        io.lifeboat.error.UnreadableArchiveException refused = assertThrows(
                io.lifeboat.error.UnreadableArchiveException.class, () -> diffs.diff("p", "first", "second"));
        assertTrue(refused.getMessage().contains("chunk 1 of second.tar.gz failed authentication"), refused.getMessage());
        store.objects().put(tarballKey, sealed);
    }

    /**
     * Chunks that all open are not enough: the encrypted tarball as stored must be the one the record describes (here
     * the record names other bytes). The restore refuses it before anything is applied, and so does a diff.
     */
    @Test
    void anEncryptedTarballThatIsNotTheRecordedOneIsRefusedByRestoreAndDiff() {
        Backup done = backUp("first");
        backUp("second");
        backups.finish("p", "first", new Backup.Outcome(done.phase(), done.progress(), done.completedAt(),
                done.sizeBytes(), "0".repeat(64), done.warnings(), done.errors(), done.firstErrors(),
                done.volumeSnapshots(), done.typeCounts(), done.diskSnapshots(), done.encryption()));

        Restore refused = restore("recorded-otherwise", "first");
        assertEquals(Restore.Phase.Failed, refused.phase());
        String why = refused.results().toString();
        assertTrue(why.contains("nothing was applied") && why.contains("the encrypted archive as stored is "
                + done.sizeBytes() + " bytes with SHA-256 " + done.archiveSha256() + ", but the backup recorded "
                + done.sizeBytes() + " bytes with " + "0".repeat(64)), why);
        assertEquals(List.of(), target.createdInOrder(), "nothing applied");

        io.lifeboat.diff.BackupDiffs diffs = new io.lifeboat.diff.BackupDiffs(backups, locations, l -> store,
                io.lifeboat.archive.ArchiveLimits.DEFAULTS, io.lifeboat.diff.BackupDiffs.Limits.DEFAULTS, keys);
        io.lifeboat.error.UnreadableArchiveException diff = assertThrows(
                io.lifeboat.error.UnreadableArchiveException.class, () -> diffs.diff("p", "first", "second"));
        assertTrue(diff.getMessage().contains("backup first: the encrypted archive as stored is"), diff.getMessage());
    }

    @Test
    void aFlippedByteADroppedChunkAndASwappedChunkAreEachRefusedBeforeAnythingIsApplied() throws Exception {
        backUp("first");
        String tarballKey = key("first", BackupFile.TARBALL);
        byte[] sealed = store.objects().get(tarballKey);
        int chunk = 12 + 1024 + 16;
        int second = 8 + chunk;
        byte[] flipped = sealed.clone();
        flipped[second + 500] ^= 0x01;
        byte[] dropped = concat(java.util.Arrays.copyOfRange(sealed, 0, second),
                java.util.Arrays.copyOfRange(sealed, second + chunk, sealed.length));
        byte[] swapped = concat(java.util.Arrays.copyOfRange(sealed, 0, second),
                java.util.Arrays.copyOfRange(sealed, second + chunk, second + 2 * chunk),
                java.util.Arrays.copyOfRange(sealed, second, second + chunk),
                java.util.Arrays.copyOfRange(sealed, second + 2 * chunk, sealed.length));
        int attempt = 0;
        for (byte[] tampered : List.of(flipped, dropped, swapped)) {
            store.objects().put(tarballKey, tampered);
            Restore refused = restore("refused-" + attempt++, "first");
            assertEquals(Restore.Phase.Failed, refused.phase());
            String why = refused.results().toString();
            assertTrue(why.contains("nothing was applied") && why.contains("chunk 1 of first.tar.gz failed authentication"),
                    why);
            assertEquals(List.of(), target.createdInOrder(), "nothing applied");
        }
        store.objects().put(tarballKey, sealed);
        assertEquals(Restore.Phase.Completed, restore("sound", "first").phase());
    }

    @Test
    void aMissingHeaderATarballInClearAndADamagedSidecarAreRefused() throws Exception {
        Backup done = backUp("first");
        byte[] header = store.objects().remove(key("first", BackupFile.ENCRYPTION_HEADER));
        Restore noHeader = restore("no-header", "first");
        assertEquals(Restore.Phase.Failed, noHeader.phase());
        assertTrue(noHeader.results().toString().contains("lifeboat-encryption.json is missing"), noHeader.results().toString());
        store.objects().put(key("first", BackupFile.ENCRYPTION_HEADER), header);

        // a tarball in clear put in the encrypted one's place: the record says encrypted, so it is not read as clear
        byte[] sealed = store.objects().get(key("first", BackupFile.TARBALL));
        try (BackupObjects objects = new BackupObjects(store, "team", done, keys); InputStream in = objects.open(BackupFile.TARBALL)) {
            store.objects().put(key("first", BackupFile.TARBALL), in.readAllBytes());
        }
        Restore inClear = restore("in-clear", "first");
        assertEquals(Restore.Phase.Failed, inClear.phase());
        assertTrue(inClear.results().toString().contains("is not an encrypted object of this backup"), inClear.results().toString());
        store.objects().put(key("first", BackupFile.TARBALL), sealed);

        byte[] logs = store.objects().get(key("first", BackupFile.LOGS));
        logs[logs.length - 3] ^= 0x10;
        DamagedFileException damaged = assertThrows(DamagedFileException.class,
                () -> service.openFile("p", "first", BackupFile.LOGS));
        assertTrue(damaged.getMessage().contains("first-logs.gz failed authentication"), damaged.getMessage());
        assertEquals(List.of(), target.createdInOrder());
    }

    @Test
    void anAskedExpiryBeforeTheLockEndsIsRefusedAndOneAMinuteEarlyIsMovedToIt() {
        Instant lockEnds = clock.instant().plus(Duration.ofDays(7));
        InvalidInputException early = assertThrows(InvalidInputException.class, () -> service.request("p",
                new BackupRequest("early", "a", "vault", lockEnds.minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC),
                        null, null, null)));
        assertEquals("expiresAt", early.field());
        assertTrue(backups.find("p", "early").isEmpty());
        Backup tick = service.request("p", new BackupRequest("tick", "a", "vault",
                lockEnds.minusSeconds(2).atOffset(ZoneOffset.UTC), null, null, null));
        assertEquals(lockEnds, tick.expiresAt());
        Backup later = service.request("p", new BackupRequest("later", "a", "vault",
                lockEnds.plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC), null, null, null));
        assertEquals(lockEnds.plus(Duration.ofDays(1)), later.expiresAt());
    }

    @Test
    void deletingALockedBackupTriesNoObjectAndFinishesOnceTheLockEnds() {
        Backup done = backUp("first");
        int objects = store.list("team/backups/first/").size();
        assertFalse(sweeper.deleteNow("p", "first"), "left Deleting, not gone");
        Backup deleting = backups.find("p", "first").orElseThrow();
        assertEquals(Backup.Phase.Deleting, deleting.phase());
        assertTrue(deleting.firstErrors().get(0).contains("locked until " + done.retention().retainUntil()),
                deleting.firstErrors().toString());
        assertEquals(done.retention().retainUntil(), backups.sweepAt("p", "first"), "retried when the lock ends");
        assertEquals(objects, store.list("team/backups/first/").size());
        assertEquals(List.of(), store.refusedDeletes(), "no locked object was tried");

        clock.advance(Duration.ofDays(6));
        assertEquals(List.of(), sweeper.sweep().deleted(), "not due yet");
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        ExpirySweeper.Sweep sweep = sweeper.sweep();
        assertEquals(List.of("p/first"), sweep.deleted());
        assertEquals(List.of(), store.list("team/backups/first/"));
        assertEquals(List.of(), store.refusedDeletes());
    }

    @Test
    void aFailedBackupLeavesItsLockedFilesAndSaysSo() {
        store.failUploadsAfter(100);
        Backup failed = backUp("broken");
        assertEquals(Backup.Phase.Failed, failed.phase());
        assertTrue(failed.firstErrors().stream().anyMatch(e -> e.contains("1 files written before the failure are "
                + "locked until")), failed.firstErrors().toString());
        assertEquals(List.of(key("broken", BackupFile.ENCRYPTION_HEADER)), store.list("team/backups/broken/"));
        assertEquals(List.of(), store.refusedDeletes());
    }

    @Test
    void aBucketThatCannotLockFailsTheBackupAndAKmsKeyRefusedFailsIt() {
        InMemoryObjectStore plain = new InMemoryObjectStore();
        BackupExecutor unlocked = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> plain, clock,
                clock, new BackupExecutor.Settings(7, 2, 1, Duration.ofSeconds(1)), io.lifeboat.signal.RunSignals.NONE, keys);
        service.request("p", new BackupRequest("nolock", "a", "vault", null, null, null, null));
        Backup noLock = unlocked.run("p", "nolock");
        assertEquals(Backup.Phase.Failed, noLock.phase());
        assertTrue(noLock.firstErrors().toString().contains("ImmutabilityNotEnabled"), noLock.firstErrors().toString());

        kms.refuse("alias/backups");
        Backup noKey = backUp("nokey");
        assertEquals(Backup.Phase.Failed, noKey.phase());
        assertTrue(noKey.firstErrors().toString().contains("could not be made with KMS key alias/backups: AccessDenied"),
                noKey.firstErrors().toString());
        assertEquals(List.of(), store.list("team/backups/nokey/"), "nothing written without a key");
    }

    @Test
    void theSyncSkipsAnEncryptedBackupSayingWhy() {
        backUp("first");
        VeleroBackupSync sync = new VeleroBackupSync(backups, locations, l -> store, clock);
        backups.delete("p", "first"); // as if another Lifeboat, or another project, wrote it
        VeleroBackupSync.Report report = sync.sync(locations.find("p", "vault").orElseThrow());
        assertEquals(List.of(), report.imported());
        assertEquals(1, report.skipped().size());
        assertTrue(report.skipped().get(0).reason().contains("encrypted by Lifeboat"), report.skipped().toString());
    }

    @Test
    void aBackupIntoAPlainLocationIsNeitherEncryptedNorLocked() {
        locations.create(new Location("p", "plain", Provider.MINIO, "bucket", "other", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        service.request("p", new BackupRequest("open", "a", "plain", null, null, null, null));
        Backup done = backupExecutor.run("p", "open");
        assertEquals(Backup.Phase.Completed, done.phase());
        assertNull(done.encryption());
        assertNull(done.retention());
        assertFalse(store.objects().containsKey(Layout.backupObject("other", "open", BackupFile.ENCRYPTION_HEADER)));
        assertTrue(store.locks().keySet().stream().noneMatch(k -> k.startsWith("other/")));
        assertArrayEquals(new byte[]{0x1f, (byte) 0x8b}, java.util.Arrays.copyOf(
                store.objects().get(Layout.backupObject("other", "open", BackupFile.TARBALL)), 2));
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
