package io.lifeboat.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Velero server running as a non-root user extracts and parses what {@link ArchiveWriter} writes. */
class VeleroReadsLifeboatArchivesTest {
    static final byte[] CONFIG_MAP = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"shop"},"data":{"a":"b"}}"""
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] CRD = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.demo.io"}}"""
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aNonRootVeleroExtractsAndParsesWhatLifeboatWrites() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter writer = new ArchiveWriter(out);
        writer.writeVersion();
        writer.writeItem("configmaps", "v1", "shop", "settings", CONFIG_MAP);
        writer.writeItem("customresourcedefinitions.apiextensions.k8s.io", "v1", null, "widgets.demo.io", CRD);
        writer.finish();

        NonRootVelero.Reading reading = NonRootVelero.read(out.toByteArray());

        assertTrue(reading.extracted(), reading.errors());
        assertEquals(Map.of("configmaps", List.of("v1-preferredversion"),
                "customresourcedefinitions.apiextensions.k8s.io", List.of("v1-preferredversion")), reading.versionFolders());
        List<NonRootVelero.Item> top = reading.topItems();
        assertEquals(2, top.size(), top.toString());
        NonRootVelero.Item configMap = top.stream().filter(i -> i.folder().equals("configmaps")).findFirst().orElseThrow();
        assertEquals("shop", configMap.namespace());
        assertEquals("settings", configMap.name());
        assertEquals(new String(CONFIG_MAP, StandardCharsets.UTF_8), new String(configMap.content(), StandardCharsets.UTF_8));
        NonRootVelero.Item crd = top.stream().filter(i -> i.namespace() == null).findFirst().orElseThrow();
        assertEquals("widgets.demo.io", crd.name());
        assertEquals(2, reading.items().stream().filter(i -> "v1-preferredversion".equals(i.version())).count());
    }

    /** The same archive with entries 0644 (what Lifeboat wrote before): the folders lack the execute bit. */
    @Test
    void entriesWithoutTheExecuteBitStopANonRootVeleroAtTheFirstEntry() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            entry(tar, Layout.VERSION_ENTRY, "1.1.0\n".getBytes(StandardCharsets.UTF_8));
            entry(tar, Layout.itemEntry("configmaps", "shop", "settings"), CONFIG_MAP);
        }

        NonRootVelero.Reading reading = NonRootVelero.read(out.toByteArray());

        assertFalse(reading.extracted(), "a non-root reader must not get through folders made 0644");
        assertTrue(reading.errors().contains("extraction failed") && reading.errors().contains("metadata/version"),
                reading.errors());
        assertTrue(reading.items().isEmpty());
    }

    private static void entry(TarArchiveOutputStream tar, String path, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(content.length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
