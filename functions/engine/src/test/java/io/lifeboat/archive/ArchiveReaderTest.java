package io.lifeboat.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
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
