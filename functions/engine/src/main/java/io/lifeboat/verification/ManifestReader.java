package io.lifeboat.verification;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lifeboat.backup.ManifestWriter;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads Lifeboat's manifest of a backup ({@link ManifestWriter}'s file) as a stream: the items one at a time, in the
 * order they were written (the archive's order), then what follows them (the archive's size, SHA-256 and entry count,
 * and the item counts). Never more than one item is held, whatever the manifest's size. A manifest not in
 * {@link ManifestWriter}'s form is a {@link MalformedFile}.
 */
final class ManifestReader implements AutoCloseable {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonParser json;
    private boolean itemsEnded;

    /** One item as the manifest lists it: its archive path, the SHA-256 of its bytes, and their number. */
    record Item(String path, String sha256, long size) {
    }

    /** What the manifest says after its items; a field it lacks is null. */
    record Trailer(Long archiveSizeBytes, String archiveSha256, Long archiveEntries, Long itemCount,
                   Map<String, Long> itemsPerType) {
    }

    /** Opens the decompressed manifest and reads up to its first item; checks its format version and backup name. */
    ManifestReader(InputStream decompressed, String backup) throws IOException {
        this.json = FACTORY.createParser(decompressed);
        expect(JsonToken.START_OBJECT, "a JSON object");
        Long version = null;
        String named = null;
        while (true) {
            String field = nextField();
            if (field == null) {
                throw new MalformedFile("the manifest has no items");
            }
            switch (field) {
                case "formatVersion" -> version = number();
                case "backup" -> named = text();
                case "items" -> {
                    expect(JsonToken.START_ARRAY, "items to be an array");
                    if (version == null || version != ManifestWriter.FORMAT_VERSION) {
                        throw new MalformedFile("the manifest's format version is " + version + ", not "
                                + ManifestWriter.FORMAT_VERSION);
                    }
                    if (!backup.equals(named)) {
                        throw new MalformedFile("the manifest is of backup " + Problems.shown(named) + ", not " + backup);
                    }
                    return;
                }
                default -> json.skipChildren();
            }
        }
    }

    /** The next item, or null after the last. */
    Item next() throws IOException {
        if (itemsEnded) {
            return null;
        }
        JsonToken token = json.nextToken();
        if (token == JsonToken.END_ARRAY) {
            itemsEnded = true;
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new MalformedFile("an item of the manifest is not an object");
        }
        String path = null;
        String sha256 = null;
        Long size = null;
        for (String field = nextField(); field != null; field = nextField()) {
            switch (field) {
                case "path" -> path = text();
                case "sha256" -> sha256 = text();
                case "size" -> size = number();
                default -> json.skipChildren();
            }
        }
        if (path == null || sha256 == null || size == null) {
            throw new MalformedFile("an item of the manifest lacks its path, sha256 or size");
        }
        return new Item(path, sha256, size);
    }

    /** Skips the items left, then reads what follows them. */
    Trailer finish() throws IOException {
        while (next() != null) {
            // items the archive did not hold are counted by the caller before it finishes
        }
        Long size = null;
        String sha256 = null;
        Long entries = null;
        Long itemCount = null;
        Map<String, Long> perType = null;
        for (String field = nextField(); field != null; field = nextField()) {
            switch (field) {
                case "archive" -> {
                    expect(JsonToken.START_OBJECT, "archive to be an object");
                    for (String inner = nextField(); inner != null; inner = nextField()) {
                        switch (inner) {
                            case "sizeBytes" -> size = number();
                            case "sha256" -> sha256 = text();
                            case "entries" -> entries = number();
                            default -> json.skipChildren();
                        }
                    }
                }
                case "itemCount" -> itemCount = number();
                case "itemsPerType" -> {
                    expect(JsonToken.START_OBJECT, "itemsPerType to be an object");
                    perType = new LinkedHashMap<>();
                    for (String type = nextField(); type != null; type = nextField()) {
                        perType.put(type, number());
                    }
                }
                default -> json.skipChildren();
            }
        }
        return new Trailer(size, sha256, entries, itemCount, perType);
    }

    /** The next field name of the current object, its value's first token read; null at the object's end. */
    private String nextField() throws IOException {
        JsonToken token = json.nextToken();
        if (token == JsonToken.END_OBJECT) {
            return null;
        }
        if (token != JsonToken.FIELD_NAME) {
            throw new MalformedFile("the manifest is not in Lifeboat's form");
        }
        String name = json.currentName();
        json.nextToken();
        return name;
    }

    private void expect(JsonToken token, String what) throws IOException {
        JsonToken actual = json.currentToken() == null ? json.nextToken() : json.currentToken();
        if (actual != token) {
            throw new MalformedFile("the manifest was expected to hold " + what);
        }
    }

    private Long number() throws IOException {
        if (json.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedFile("the manifest holds " + Problems.shown(json.getText()) + " where a whole number belongs");
        }
        return json.getLongValue();
    }

    private String text() throws IOException {
        if (json.currentToken() != JsonToken.VALUE_STRING) {
            throw new MalformedFile("the manifest holds " + Problems.shown(json.getText()) + " where a text belongs");
        }
        return json.getText();
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
