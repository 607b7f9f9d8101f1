package io.lifeboat.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.archive.ArchiveReader;
import io.lifeboat.archive.ArchiveWriter;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveSpoolTest {
    static final ArchiveLimits LIMITS = ArchiveLimits.withMaxEntryBytes(1 << 20);

    @TempDir
    Path work;

    static List<Path> spools(Path root) throws IOException {
        try (var children = Files.list(root)) {
            return children.toList();
        }
    }

    record Written(byte[] bytes, String sha256) {
    }

    static Written lifeboatArchive() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out);
        writer.writeVersion();
        for (int i = 0; i < 30; i++) {
            writer.writeItem("configmaps", "v1", "shop", "cm-" + i, ("{\"metadata\":{\"name\":\"cm-" + i + "\",\"namespace\":\"shop\"}}").getBytes());
        }
        writer.writeItem("widgets.demo.lifeboat.io", "v1", "shop", "w1", "{\"metadata\":{\"name\":\"w1\",\"namespace\":\"shop\"}}".getBytes());
        writer.writeItem("customresourcedefinitions.apiextensions.k8s.io", "v1", null, "widgets.demo.lifeboat.io",
                "{\"metadata\":{\"name\":\"widgets.demo.lifeboat.io\"}}".getBytes());
        writer.writeItem("namespaces", "v1", null, "shop", "{\"metadata\":{\"name\":\"shop\"}}".getBytes());
        ArchiveWriter.Summary summary = writer.finish();
        return new Written(out.toByteArray(), summary.sha256());
    }

    @Test
    void itemsAreFiledByTypeAndComeBackInRestoreOrder() throws IOException {
        Written archive = lifeboatArchive();
        try (ArchiveSpool spool = ArchiveSpool.read(new ByteArrayInputStream(archive.bytes()), archive.sha256(), LIMITS,
                work)) {
            assertEquals(List.of(RestoreOrder.CRDS, "namespaces", "configmaps", "widgets.demo.lifeboat.io"), spool.resourceFolders());
            assertEquals(33, spool.total(), "preferred-version copies are not counted twice");
            List<String> names = new ArrayList<>();
            spool.forEach("configmaps", item -> names.add(item.path("metadata").path("name").asText()));
            assertEquals(30, names.size());
            assertEquals("cm-0", names.get(0));
        }
        assertEquals(List.of(), spools(work), "closing removes the spool");
    }

    @Test
    void aFlippedByteIsRefused() throws IOException {
        Written archive = lifeboatArchive();
        for (int position : new int[]{archive.bytes().length / 2, archive.bytes().length - 3, 20}) {
            byte[] tampered = archive.bytes().clone();
            tampered[position] ^= 0x01;
            assertThrows(ArchiveReader.ArchiveException.class, () -> ArchiveSpool.read(new ByteArrayInputStream(tampered),
                    archive.sha256(), LIMITS, work), "byte " + position);
            assertEquals(List.of(), spools(work), "nothing is left of a refused archive");
        }
    }

    @Test
    void aTruncatedArchiveIsRefused() {
        Written archive = lifeboatArchive();
        byte[] truncated = java.util.Arrays.copyOf(archive.bytes(), archive.bytes().length - 40);
        assertThrows(ArchiveReader.ArchiveException.class, () -> ArchiveSpool.read(new ByteArrayInputStream(truncated),
                archive.sha256(), LIMITS, work));
    }

    @Test
    void aRecordedChecksumThatDiffersIsRefused() {
        Written archive = lifeboatArchive();
        ArchiveReader.ArchiveException e = assertThrows(ArchiveReader.ArchiveException.class, () -> ArchiveSpool.read(
                new ByteArrayInputStream(archive.bytes()), "0".repeat(64), LIMITS, work));
        assertTrue(e.getMessage().contains("changed or damaged"), e.getMessage());
    }

    /** An archive laid out as Velero writes it, by this test: preferred-version folders, no checksum on record. */
    @Test
    void anArchiveInVelerosLayoutIsRead() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entry(tar, "metadata/version", "1.1.0\n");
            for (String folder : List.of("resources/deployments.apps/namespaces/shop/", "resources/deployments.apps/v1-preferredversion/namespaces/shop/")) {
                entry(tar, folder + "frontend.json", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"frontend\",\"namespace\":\"shop\"}}");
            }
            entry(tar, "resources/namespaces/cluster/shop.json", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
            entry(tar, "resources/namespaces/v1-preferredversion/cluster/shop.json", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
        }
        try (ArchiveSpool spool = ArchiveSpool.read(new ByteArrayInputStream(out.toByteArray()), null, LIMITS, work)) {
            assertEquals(List.of("namespaces", "deployments.apps"), spool.resourceFolders());
            assertEquals(2, spool.total());
            List<ObjectNode> deployments = new ArrayList<>();
            spool.forEach("deployments.apps", deployments::add);
            assertEquals("frontend", deployments.get(0).path("metadata").path("name").asText());
        }
    }

    @Test
    void anArchiveWithoutAVeleroVersionIsRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            entry(tar, "metadata/version", "2.0.0\n");
        }
        ArchiveReader.ArchiveException e = assertThrows(ArchiveReader.ArchiveException.class,
                () -> ArchiveSpool.read(new ByteArrayInputStream(out.toByteArray()), null, LIMITS, work));
        assertTrue(e.getMessage().contains("'2.0.0'"), e.getMessage());
    }

    @Test
    void anEntryOutsideTheArchiveIsRefusedBeforeAnythingIsKept() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            entry(tar, "metadata/version", "1.1.0\n");
            entry(tar, "resources/configmaps/namespaces/shop/a.json", "{}");
            entry(tar, "resources/../../../etc/cron.d/evil", "* * * * * root sh");
        }
        assertThrows(ArchiveReader.ArchiveException.class,
                () -> ArchiveSpool.read(new ByteArrayInputStream(out.toByteArray()), null, LIMITS, work));
        assertEquals(List.of(), spools(work));
    }

    /** While the spool is open, no file under its root holds the Secret's value, in clear or in base64. */
    @Test
    void aSecretIsNeverOnDiskInClear() throws IOException {
        String value = "hunter2-correct-horse-battery-staple";
        String base64 = java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out);
        writer.writeVersion();
        writer.writeItem("secrets", "v1", "shop", "db", ("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":"
                + "{\"name\":\"db\",\"namespace\":\"shop\"},\"data\":{\"password\":\"" + base64 + "\"},"
                + "\"stringData\":{\"plain\":\"" + value + "\"}}").getBytes(StandardCharsets.UTF_8));
        ArchiveWriter.Summary summary = writer.finish();
        try (ArchiveSpool spool = ArchiveSpool.read(new ByteArrayInputStream(out.toByteArray()), summary.sha256(), LIMITS, work)) {
            List<Path> files;
            try (var walk = Files.walk(work)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().endsWith(".items")), files.toString());
            long spooled = 0;
            for (Path file : files) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                spooled += content.length();
                assertFalse(content.contains(value), file + " holds the secret's value");
                assertFalse(content.contains(base64), file + " holds the secret's base64");
                assertFalse(content.contains("\"kind\""), file + " holds JSON in clear");
                if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(file)), file.toString());
                }
            }
            assertTrue(spooled > value.length(), "the item was spooled");
            List<ObjectNode> secrets = new ArrayList<>();
            spool.forEach("secrets", secrets::add);
            assertEquals(base64, secrets.get(0).path("data").path("password").asText(), "it decrypts back");
        }
    }

    /** A spool left by an earlier process (its lock free) is deleted when the next spool opens; an open one is kept. */
    @Test
    void aStaleSpoolIsRemovedAndAnOpenOneKept() throws IOException {
        Path stale = Files.createDirectories(work.resolve(ArchiveSpool.PREFIX + "left-by-an-earlier-invocation"));
        Files.write(stale.resolve("0.items"), new byte[]{1, 2, 3});
        Files.write(stale.resolve("lock"), new byte[0]);
        Path oldWithoutLock = Files.createDirectories(work.resolve(ArchiveSpool.PREFIX + "crashed-while-created"));
        Files.setLastModifiedTime(oldWithoutLock, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minusSeconds(3600)));
        Path unrelated = Files.createDirectories(work.resolve("not-a-spool"));
        Written archive = lifeboatArchive();
        try (ArchiveSpool first = ArchiveSpool.read(new ByteArrayInputStream(archive.bytes()), archive.sha256(), LIMITS, work)) {
            assertFalse(Files.exists(stale), "the stale spool is deleted");
            assertFalse(Files.exists(oldWithoutLock), "an old spool without its lock is deleted");
            assertTrue(Files.exists(unrelated), "only spools are touched");
            List<Path> open = spools(work).stream().filter(p -> p.getFileName().toString().startsWith(ArchiveSpool.PREFIX)).toList();
            assertEquals(1, open.size(), open.toString());
            try (ArchiveSpool second = ArchiveSpool.read(new ByteArrayInputStream(archive.bytes()), archive.sha256(), LIMITS, work)) {
                assertTrue(Files.exists(open.get(0)), "a spool still open in this process is kept");
                List<String> names = new ArrayList<>();
                first.forEach("configmaps", item -> names.add(item.path("metadata").path("name").asText()));
                assertEquals(30, names.size());
                assertEquals(33, second.total());
            }
        }
        assertEquals(List.of(unrelated), spools(work));
    }

    static void entry(TarArchiveOutputStream tar, String path, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(path, true);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
