package io.lifeboat.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lifeboat.archive.ArchiveWriter;
import io.lifeboat.archive.Layout;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Streams Lifeboat's manifest of a backup (a file of its own beside Velero's, {@code lifeboat-manifest.json.gz}) as
 * items are backed up: the format version, the backup's name, each item's archive path, SHA-256 and size, and at
 * the end the archive's size, SHA-256 and entry count, and the item counts.
 */
public final class ManifestWriter {
    public static final int FORMAT_VERSION = 1;

    private final JsonGenerator json;
    private final MessageDigest digest = sha256();

    public ManifestWriter(OutputStream out, String backup) {
        try {
            json = new JsonFactory().createGenerator(out);
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeNumberField("formatVersion", FORMAT_VERSION);
            json.writeStringField("backup", backup);
            json.writeArrayFieldStart("items");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One item, as written into the archive ({@code namespace} null for a cluster-scoped one). */
    public void add(String groupResource, String namespace, String name, byte[] content) {
        try {
            json.writeStartObject();
            json.writeStringField("path", Layout.itemEntry(groupResource, namespace, name));
            json.writeStringField("sha256", HexFormat.of().formatHex(digest.digest(content)));
            json.writeNumberField("size", content.length);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void finish(ArchiveWriter.Summary archive, long items, Map<String, Long> itemsPerType) {
        try {
            json.writeEndArray();
            json.writeObjectFieldStart("archive");
            json.writeNumberField("sizeBytes", archive.sizeBytes());
            json.writeStringField("sha256", archive.sha256());
            json.writeNumberField("entries", archive.entries());
            json.writeEndObject();
            json.writeNumberField("itemCount", items);
            json.writeObjectFieldStart("itemsPerType");
            for (var entry : itemsPerType.entrySet()) {
                json.writeNumberField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
