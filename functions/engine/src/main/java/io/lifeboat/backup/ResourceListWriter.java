package io.lifeboat.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Streams the resource list ({@code "<groupVersion>/<Kind>" -> ["ns/name", ...]}) as items are backed up, so that
 * it never has to be held whole. Items of one type arrive together; names keep the API server's order.
 */
public final class ResourceListWriter {
    private final JsonGenerator json;
    private String currentKey;

    public ResourceListWriter(OutputStream out) {
        try {
            this.json = new JsonFactory().createGenerator(out);
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void add(String key, String namespace, String name) {
        try {
            if (!key.equals(currentKey)) {
                if (currentKey != null) {
                    json.writeEndArray();
                }
                json.writeArrayFieldStart(key);
                currentKey = key;
            }
            json.writeString(namespace == null ? name : namespace + "/" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void finish() {
        try {
            if (currentKey != null) {
                json.writeEndArray();
            }
            json.writeEndObject();
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
