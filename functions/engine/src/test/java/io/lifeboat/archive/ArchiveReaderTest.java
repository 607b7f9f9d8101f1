package io.lifeboat.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveReaderTest {
    static byte[] tarGz(String path, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry(path, true);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "resources/../../etc/passwd", "resources/x/../../../y.json", "elsewhere/a.json",
            "resources\\x.json"})
    void unsafePathsAreRefused(String path) throws IOException {
        try (ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(tarGz(path, new byte[]{1})), 100)) {
            assertThrows(ArchiveReader.ArchiveException.class, reader::next);
        }
    }

    /** A tarball holding one entry of the given type flag (a link, a device, a FIFO) at an item's path. */
    static byte[] special(byte linkFlag, String linkName) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            TarArchiveEntry version = new TarArchiveEntry("metadata/version", true);
            version.setSize(6);
            tar.putArchiveEntry(version);
            tar.write("1.1.0\n".getBytes());
            tar.closeArchiveEntry();
            TarArchiveEntry entry = new TarArchiveEntry("resources/secrets/namespaces/x/a.json", linkFlag, true);
            if (linkName != null) {
                entry.setLinkName(linkName);
            }
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    static ArchiveReader.ArchiveException readAll(byte[] archive, ArchiveLimits limits) {
        return assertThrows(ArchiveReader.ArchiveException.class, () -> {
            try (ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(archive), limits)) {
                while (reader.next() != null) {
                    // read to the end
                }
            }
        });
    }

    @Test
    void aSymbolicLinkIsRefused() throws IOException {
        ArchiveReader.ArchiveException e = readAll(special(TarConstants.LF_SYMLINK, "/etc/passwd"), ArchiveLimits.DEFAULTS);
        assertEquals("entry resources/secrets/namespaces/x/a.json is a symbolic link, which a backup archive never holds",
                e.getMessage());
    }

    @Test
    void aHardLinkIsRefused() throws IOException {
        ArchiveReader.ArchiveException e = readAll(special(TarConstants.LF_LINK, "metadata/version"), ArchiveLimits.DEFAULTS);
        assertTrue(e.getMessage().contains("is a hard link"), e.getMessage());
    }

    @Test
    void devicesAndFifosAreRefused() throws IOException {
        assertTrue(readAll(special(TarConstants.LF_CHR, null), ArchiveLimits.DEFAULTS).getMessage()
                .contains("is a character device"));
        assertTrue(readAll(special(TarConstants.LF_BLK, null), ArchiveLimits.DEFAULTS).getMessage()
                .contains("is a block device"));
        assertTrue(readAll(special(TarConstants.LF_FIFO, null), ArchiveLimits.DEFAULTS).getMessage()
                .contains("is a FIFO"));
        assertTrue(readAll(special(TarConstants.LF_CONTIG, null), ArchiveLimits.DEFAULTS).getMessage()
                .contains("tar entry of type '7'"));
    }

    /** commons-compress itself calls these files: the reader must not rely on isFile(). */
    @Test
    void commonsCompressCountsLinksAsFiles() {
        assertTrue(new TarArchiveEntry("resources/a.json", TarConstants.LF_SYMLINK).isFile());
    }

    static byte[] manyEntries(int count, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out);
        writer.writeVersion();
        for (int i = 0; i < count; i++) {
            writer.writeItem("configmaps", "v1", "ns", "cm-" + i, new byte[size]);
        }
        writer.finish();
        return out.toByteArray();
    }

    @Test
    void anArchiveWhoseEntriesSumPastTheCapIsRefused() {
        // 40 entries of 1 KB (80 with the preferred-version copies), each under the entry limit; 64 KiB in all.
        ArchiveReader.ArchiveException e = readAll(manyEntries(40, 1000), new ArchiveLimits(2000, 64 * 1024, 1000));
        assertEquals("the archive expands past the limit of 65536 bytes once decompressed (lifeboat.restore.max-archive-bytes)",
                e.getMessage());
    }

    @Test
    void anArchiveWithTooManyEntriesIsRefused() {
        ArchiveReader.ArchiveException e = readAll(manyEntries(30, 1), new ArchiveLimits(100, 1 << 20, 50));
        assertEquals("the archive has more than 50 entries (limit lifeboat.restore.max-entries)", e.getMessage());
    }

    /** 256 MiB of zeros in one entry (under 1 MiB compressed): refused at the 1 MiB cap, having read no more. */
    @Test
    void aTarBombIsRefusedAtTheTotalCapWithoutExpandingIt() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry("resources/configmaps/namespaces/ns/big.json", true);
            entry.setSize(256L << 20);
            tar.putArchiveEntry(entry);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                tar.write(zeros);
            }
            tar.closeArchiveEntry();
        }
        assertTrue(out.size() < 1 << 20, "the bomb is small: " + out.size());
        ArchiveReader.ArchiveException e = readAll(out.toByteArray(), new ArchiveLimits(512L << 20, 1 << 20, 10));
        assertTrue(e.getMessage().startsWith("the archive expands past the limit of 1048576 bytes"), e.getMessage());
    }

    @Test
    void oversizedEntriesAreRefused() throws IOException {
        try (ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(tarGz("resources/a.json", new byte[101])), 100)) {
            assertThrows(ArchiveReader.ArchiveException.class, reader::next);
        }
    }

    @Test
    void aWrittenArchiveReadsBackWithLongPaths() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out);
        writer.writeVersion();
        String longName = "a".repeat(200);
        writer.writeItem("customresourcedefinitions.apiextensions.k8s.io", "v1", null, longName, "{}".getBytes());
        ArchiveWriter.Summary summary = writer.finish();
        assertEquals(3, summary.entries());
        assertEquals(out.size(), summary.sizeBytes());
        try (ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(out.toByteArray()), 100)) {
            assertEquals("metadata/version", reader.next().path());
            assertEquals("resources/customresourcedefinitions.apiextensions.k8s.io/cluster/" + longName + ".json", reader.next().path());
            assertEquals("resources/customresourcedefinitions.apiextensions.k8s.io/v1-preferredversion/cluster/" + longName + ".json",
                    reader.next().path());
            assertNull(reader.next());
        }
    }

    @Test
    void aTruncatedArchiveIsRefused() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out);
        writer.writeVersion();
        for (int i = 0; i < 50; i++) {
            writer.writeItem("configmaps", "v1", "ns", "cm-" + i, ("{\"i\":" + i + "}").getBytes());
        }
        writer.finish();
        byte[] truncated = java.util.Arrays.copyOf(out.toByteArray(), out.size() / 2);
        assertThrows(ArchiveReader.ArchiveException.class, () -> {
            try (ArchiveReader reader = new ArchiveReader(new ByteArrayInputStream(truncated), 1000)) {
                while (reader.next() != null) {
                    // read to the end
                }
            }
        });
    }

    @Test
    void itemEntriesParseBack() {
        assertEquals(new Layout.ItemEntry("deployments.apps", null, "shop", "web"),
                Layout.parseItemEntry("resources/deployments.apps/namespaces/shop/web.json"));
        assertEquals(new Layout.ItemEntry("persistentvolumes", "v1", null, "pv-1"),
                Layout.parseItemEntry("resources/persistentvolumes/v1-preferredversion/cluster/pv-1.json"));
        assertEquals("apps", Layout.parseItemEntry("resources/deployments.apps/namespaces/shop/web.json").group());
        assertNull(Layout.parseItemEntry("metadata/version"));
    }
}
