package io.lifeboat.verification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.archive.VeleroBackupFiles;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.backup.VeleroBackupSync;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.error.ConflictException;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import io.lifeboat.work.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifications of backups the executor wrote, and of the same files after someone with the bucket's keys changed them. */
class BackupVerifierTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final ManualClock clock = new ManualClock();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession source = new InMemoryClusterSession();
    BackupVerifications verifications;

    @BeforeEach
    void setUp() {
        source.type("", "v1", "namespaces", "Namespace", false)
                .type("", "v1", "configmaps", "ConfigMap", true)
                .type("apps", "v1", "deployments", "Deployment", true);
        source.add("namespaces", null, "shop");
        source.add("configmaps", "shop", "settings").putObject("data").put("color", "blue");
        source.add("configmaps", "shop", "flags").putObject("data").put("dark", "yes");
        source.add("deployments.apps", "shop", "web");
        clusters.create(new Cluster("p", "a", "kubeconfig-a", null, "https://a", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "bucket", "team", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        backups.create(Backup.requested("p", "nightly", "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600)));
        Backup done = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock,
                new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(1))).run("p", "nightly");
        assertEquals(Backup.Phase.Completed, done.phase());
        verifications = verifier(ArchiveLimits.DEFAULTS);
    }

    BackupVerifications verifier(ArchiveLimits limits) {
        return new BackupVerifications(backups, locations, l -> store, new BackupVerifier(limits, clock), clock,
                Duration.ofMinutes(20));
    }

    String key(BackupFile file) {
        return Layout.backupObject("team", "nightly", file);
    }

    Backup.Verification verify() {
        return verifications.run("p", "nightly").verification();
    }

    /** The tarball replaced, and the record told its new size and SHA-256: only the files' own checks can tell. */
    void replaceTarballAndRecordIt(byte[] tarball) {
        store.put(key(BackupFile.TARBALL), tarball);
        Backup b = backups.find("p", "nightly").orElseThrow();
        backups.finish("p", "nightly", new Backup.Outcome(b.phase(), b.progress(), b.completedAt(), tarball.length,
                Tarballs.sha256(tarball), b.warnings(), b.errors(), b.firstErrors(), b.volumeSnapshots(), b.typeCounts()));
    }

    byte[] tarball() {
        return store.objects().get(key(BackupFile.TARBALL));
    }

    @Test
    void aSoundBackupVerifiesAndTheOutcomeIsKept() {
        Backup.Verification verification = verify();
        assertEquals(true, verification.ok(), verification.problems().toString());
        assertEquals(4, verification.items());
        assertEquals(List.of(), verification.problems());
        assertEquals(clock.instant(), verification.at());
        assertEquals(verification, backups.find("p", "nightly").orElseThrow().verification());
    }

    @Test
    void anArchiveChangedAfterTheBackupFailsOnItsSha256() {
        store.put(key(BackupFile.TARBALL), Tarballs.rewrite(tarball(), entries -> {
        }));
        Backup.Verification verification = verify();
        assertFalse(verification.ok());
        assertTrue(verification.problems().stream().anyMatch(p -> p.contains("but the backup recorded")),
                verification.problems().toString());
    }

    @Test
    void anItemChangedInTheArchiveDiffersFromTheManifestEvenWhenTheRecordIsRewrittenToo() {
        String path = Layout.itemEntry("configmaps", "shop", "settings");
        replaceTarballAndRecordIt(Tarballs.rewrite(tarball(), entries -> entries.put(path,
                new String(entries.get(path), StandardCharsets.UTF_8).replace("blue", "gray").getBytes(StandardCharsets.UTF_8))));
        Backup.Verification verification = verify();
        assertFalse(verification.ok());
        assertTrue(verification.problems().stream().anyMatch(p -> p.startsWith("'" + path + "' differs from the manifest")),
                verification.problems().toString());
        assertTrue(verification.problems().stream().anyMatch(p -> p.contains("preferredversion")
                && p.endsWith("differs from its item")), verification.problems().toString());
    }

    @Test
    void anItemRemovedFromTheArchiveIsMissedByTheManifestTheResourceListAndTheRecord() {
        String path = Layout.itemEntry("configmaps", "shop", "flags");
        replaceTarballAndRecordIt(Tarballs.rewrite(tarball(), entries -> entries.keySet()
                .removeIf(p -> p.endsWith("/namespaces/shop/flags.json"))));
        Backup.Verification verification = verify();
        assertFalse(verification.ok());
        assertEquals(3, verification.items());
        String problems = verification.problems().toString();
        assertTrue(problems.contains("where the manifest lists '" + path + "'"), problems);
        assertTrue(problems.contains("'v1/ConfigMap': the archive holds 1 items, the resource list counts 2"), problems);
        assertTrue(problems.contains("'configmaps': the archive holds 1 items, the backup's record counts 2"), problems);
    }

    @Test
    void anEntryThatIsNotTheObjectItsPlaceSaysIsAProblem() throws Exception {
        String path = Layout.itemEntry("configmaps", "shop", "settings");
        ObjectNode other = (ObjectNode) JSON.readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"settings\",\"namespace\":\"kube-system\"}}");
        replaceTarballAndRecordIt(Tarballs.rewrite(tarball(), entries -> {
            entries.put(path, other.toString().getBytes(StandardCharsets.UTF_8));
            entries.put(Layout.itemEntry("deployments.apps", "shop", "web"), "not json".getBytes(StandardCharsets.UTF_8));
        }));
        String problems = verify().problems().toString();
        assertTrue(problems.contains("'" + path + "' has metadata.namespace 'kube-system', unlike its folder"), problems);
        assertTrue(problems.contains("'resources/deployments.apps/namespaces/shop/web.json' is not valid JSON"), problems);
    }

    @Test
    void aResourceListThatCountsOtherwiseIsAProblem() throws Exception {
        store.put(key(BackupFile.RESOURCE_LIST), Tarballs.gzip("{\"v1/ConfigMap\":[\"shop/settings\"],\"apps/v1/Deployment\":[\"shop/web\"],\"v1/Namespace\":[\"shop\"]}"
                .getBytes(StandardCharsets.UTF_8)));
        Backup.Verification verification = verify();
        assertEquals(List.of("'v1/ConfigMap': the archive holds 2 items, the resource list counts 1"), verification.problems());
    }

    @Test
    void aMissingOrForeignManifestIsAProblem() {
        store.delete(key(BackupFile.LIFEBOAT_MANIFEST));
        assertTrue(verify().problems().get(0).startsWith("Lifeboat's manifest could not be read (NoSuchKey)"));
        store.put(key(BackupFile.LIFEBOAT_MANIFEST), Tarballs.gzip("{\"formatVersion\":1,\"backup\":\"other\",\"items\":[]}"
                .getBytes(StandardCharsets.UTF_8)));
        assertTrue(verify().problems().get(0).contains("the manifest is of backup 'other', not nightly"));
    }

    @Test
    void aHostileArchiveIsRefusedByTheSafeReaderAndNothingPastItIsTrusted() {
        replaceTarballAndRecordIt(Tarballs.rewrite(tarball(), entries -> entries.put("resources/../../etc/passwd", new byte[]{1})));
        Backup.Verification refused = verify();
        assertFalse(refused.ok());
        assertTrue(refused.problems().stream().anyMatch(p -> p.contains("the archive was refused after")
                && p.contains("climbs out of the archive")), refused.problems().toString());
        assertTrue(refused.problems().contains("the per-type counts were not compared: the archive could not be read whole"));

        // a gzip bomb: past the decompressed limit, whatever its compressed size
        byte[] bomb = Tarballs.write(Map.of("metadata/version", "1.1.0\n".getBytes(StandardCharsets.UTF_8),
                "resources/configmaps/namespaces/shop/big.json", new byte[1 << 20]));
        replaceTarballAndRecordIt(bomb);
        Backup.Verification limited = verifier(new ArchiveLimits(2 << 20, 512 << 10, 100)).run("p", "nightly").verification();
        assertFalse(limited.ok());
        assertTrue(limited.problems().get(0).contains("expands past the limit of 524288 bytes"), limited.problems().toString());
    }

    @Test
    void aBackupVeleroWroteIsVerifiedByItsStructureItsJsonAndItsRecordedSha256() throws Exception {
        ObjectNode cm = (ObjectNode) JSON.readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"a\",\"namespace\":\"shop\"},\"data\":{\"k\":\"v\"}}");
        Map<String, byte[]> files = VeleroBackupFiles.backup("imported").item("configmaps", "v1", cm).files();
        files.forEach((k, v) -> store.put("team/" + k, v));
        new VeleroBackupSync(backups, locations, l -> store, clock).sync("p", "loc");
        Backup.Verification sound = verifications.run("p", "imported").verification();
        assertEquals(true, sound.ok(), sound.problems().toString());
        assertEquals(1, sound.items());

        store.delete("team/backups/imported/imported-resource-list.json.gz"); // Velero's files are checked as far as they exist
        assertEquals(true, verifications.run("p", "imported").verification().ok());

        String path = "team/backups/imported/imported.tar.gz";
        store.put(path, Tarballs.rewrite(store.objects().get(path), entries -> entries.put(
                Layout.itemEntry("configmaps", "shop", "a"), "{\"apiVersion\":".getBytes(StandardCharsets.UTF_8))));
        List<String> problems = verifications.run("p", "imported").verification().problems();
        assertTrue(problems.stream().anyMatch(p -> p.contains("is not valid JSON")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("but the backup recorded")), problems.toString());
    }

    @Test
    void aVerificationIsAskedForOnceAtATimeOfAFinishedBackupAndOneThatCannotStartIsRecordedFailed() {
        backups.create(Backup.requested("p", "fresh", "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600)));
        ConflictException notYet = assertThrows(ConflictException.class, () -> verifications.request("p", "fresh"));
        assertEquals("name", notYet.field());

        Backup pending = verifications.request("p", "nightly");
        assertTrue(pending.verification().pending());
        assertTrue(backups.find("p", "nightly").orElseThrow().verification().pending());
        assertThrows(ConflictException.class, () -> verifications.request("p", "nightly"));
        clock.advance(Duration.ofMinutes(21)); // its worker died: asked again, it runs again
        Backup refused = verifications.start(verifications.request("p", "nightly"), (project, name) -> {
            throw new IllegalStateException("throttled");
        });
        assertEquals(false, refused.verification().ok());
        assertEquals(List.of("the verification could not be started: throttled"), refused.verification().problems());
        assertEquals(refused.verification(), backups.find("p", "nightly").orElseThrow().verification());

        Backup again = verifications.start(verifications.request("p", "nightly"), (project, name) -> { });
        assertTrue(again.verification().pending());
        Backup done = verifications.run("p", "nightly");
        assertEquals(again.verification().requestedAt(), done.verification().requestedAt());
        assertEquals(true, done.verification().ok());
    }

    @Test
    void aBackupThatAskedForItIsVerifiedAfterItsRunAndOneThatDidNotIsLeftAlone() {
        Backup plain = backups.find("p", "nightly").orElseThrow();
        assertNull(verifications.afterBackup(plain).verification());
        backups.create(Backup.requested("p", "checked", "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600)).asked(null, true));
        Backup done = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock,
                new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(1))).run("p", "checked");
        Backup verified = verifications.afterBackup(done);
        assertEquals(true, verified.verification().ok(), verified.verification().problems().toString());
        assertEquals(true, backups.find("p", "checked").orElseThrow().verification().ok());
    }
}
