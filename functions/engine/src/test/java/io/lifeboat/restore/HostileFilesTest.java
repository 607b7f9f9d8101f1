package io.lifeboat.restore;

import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.BackupService;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.error.TooLargeException;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files in a bucket are written by whoever holds the bucket's keys: each attack here is put in the store in place of
 * what Lifeboat wrote, and must be refused with a clear error, nothing applied and nothing expanded past its limit.
 */
class HostileFilesTest {
    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession target = new InMemoryClusterSession();
    final String tarball = Layout.backupObject("", "nightly", Layout.BackupFile.TARBALL);
    @TempDir
    Path spools;

    @BeforeEach
    void setUp() {
        InMemoryClusterSession source = new InMemoryClusterSession();
        source.type("", "v1", "namespaces", "Namespace", false).type("", "v1", "secrets", "Secret", true);
        source.add("namespaces", null, "x");
        source.add("secrets", "x", "a").putObject("data").put("password", "aHVudGVyMg==");
        target.serve("", "v1", "namespaces", "Namespace", false).serve("", "v1", "secrets", "Secret", true);
        clusters.create(new Cluster("p", "a", "kubeconfig-a", null, "https://a", ClusterStatus.unknown(), clock.instant()));
        clusters.create(new Cluster("p", "b", "kubeconfig-b", null, "https://b", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "bucket", "", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        backups.create(Backup.requested("p", "nightly", "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600)));
        Backup done = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock,
                new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(1))).run("p", "nightly");
        assertEquals(Backup.Phase.Completed, done.phase());
    }

    Restore restore(String name, ArchiveLimits limits) {
        RestoreExecutor executor = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> target,
                l -> store, clock, Duration.ofSeconds(1), limits, spools);
        restores.create(Restore.requested("p", name, "nightly", "b", new Restore.Request(true, false, false, List.of(),
                Map.of(), Map.of(), ExistingResourcePolicy.none, Map.of(), List.of()), clock.instant()));
        return executor.run("p", name);
    }

    /** The archive, with one more entry of the given type at a Secret's path, after a valid item. */
    static byte[] archiveWith(byte linkFlag, String linkName) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            ArchiveSpoolTest.entry(tar, "metadata/version", "1.1.0\n");
            ArchiveSpoolTest.entry(tar, "resources/namespaces/cluster/x.json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"x\"}}");
            TarArchiveEntry entry = new TarArchiveEntry("resources/secrets/namespaces/x/a.json", linkFlag, true);
            if (linkName != null) {
                entry.setLinkName(linkName);
            }
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    void assertRefused(Restore done, String reason) throws IOException {
        assertEquals(Restore.Phase.Failed, done.phase());
        String results = done.results().toString();
        assertTrue(results.contains("the archive was refused, and nothing was applied"), results);
        assertTrue(results.contains(reason), results);
        assertEquals(List.of(), target.createdInOrder(), "nothing is applied");
        try (var left = Files.list(spools)) {
            assertEquals(List.of(), left.toList(), "no spool is left");
        }
    }

    @Test
    void aSymbolicLinkToEtcPasswdIsRefused() throws IOException {
        store.objects().put(tarball, archiveWith(TarConstants.LF_SYMLINK, "/etc/passwd"));
        assertRefused(restore("symlink", ArchiveLimits.DEFAULTS),
                "entry resources/secrets/namespaces/x/a.json is a symbolic link");
    }

    @Test
    void aHardLinkIsRefused() throws IOException {
        store.objects().put(tarball, archiveWith(TarConstants.LF_LINK, "resources/namespaces/cluster/x.json"));
        assertRefused(restore("hardlink", ArchiveLimits.DEFAULTS), "is a hard link");
    }

    @Test
    void aCharacterDeviceIsRefused() throws IOException {
        store.objects().put(tarball, archiveWith(TarConstants.LF_CHR, null));
        assertRefused(restore("chardev", ArchiveLimits.DEFAULTS), "is a character device");
    }

    @Test
    void aFifoIsRefused() throws IOException {
        store.objects().put(tarball, archiveWith(TarConstants.LF_FIFO, null));
        assertRefused(restore("fifo", ArchiveLimits.DEFAULTS), "is a FIFO");
    }

    @Test
    void anArchivePastTheTotalCapIsRefused() throws IOException {
        assertRefused(restore("total", new ArchiveLimits(1 << 20, 4096, 1000)),
                "expands past the limit of 4096 bytes once decompressed (lifeboat.restore.max-archive-bytes)");
    }

    @Test
    void anArchiveWithTooManyEntriesIsRefused() throws IOException {
        assertRefused(restore("entries", new ArchiveLimits(1 << 20, 1 << 30, 3)),
                "has more than 3 entries (limit lifeboat.restore.max-entries)");
    }

    /** 40 MiB of zeros, about 40 KB compressed: past the 32 MiB default that every small file is read with. */
    static byte[] gzipBomb() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 40; i++) {
                gzip.write(zeros);
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(value = Layout.BackupFile.class, names = {"LOGS", "RESOURCE_LIST", "RESULTS", "LIFEBOAT_MANIFEST"})
    void aGzipBombInPlaceOfABackupFileIsA422(Layout.BackupFile file) throws IOException {
        byte[] bomb = gzipBomb();
        assertTrue(bomb.length < 100_000, "a small file: " + bomb.length);
        String key = Layout.backupObject("", "nightly", file);
        BackupService service = new BackupService(backups, clusters, locations, l -> store, clock);
        try (InputStream intact = service.openFile("p", "nightly", file)) {
            assertTrue(intact.readAllBytes().length > 0, "the file Lifeboat wrote reads");
        }
        store.objects().put(key, bomb);
        TooLargeException e = assertThrows(TooLargeException.class, () -> service.openFile("p", "nightly", file));
        assertEquals(422, e.status());
        assertEquals(file.fileName("nightly") + " expands past the limit of 33554432 bytes", e.getMessage());
    }

    @Test
    void aGzipBombInPlaceOfARestoreLogIsA422() throws IOException {
        Restore done = restore("fine", ArchiveLimits.DEFAULTS);
        assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
        RestoreService service = new RestoreService(restores, backups, clusters, locations, l -> store, clock);
        try (InputStream log = service.openLog("p", "fine")) {
            assertTrue(new String(log.readAllBytes(), StandardCharsets.UTF_8).contains("restore fine"));
        }
        store.objects().put(Layout.restoreObject("", "fine", Layout.RestoreFile.LOGS), gzipBomb());
        TooLargeException e = assertThrows(TooLargeException.class, () -> service.openLog("p", "fine"));
        assertTrue(e.getMessage().contains("expands past the limit of 33554432 bytes"), e.getMessage());
    }
}
