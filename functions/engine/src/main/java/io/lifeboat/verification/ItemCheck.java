package io.lifeboat.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.archive.Layout;

import java.io.IOException;

/**
 * Whether an item entry of an archive parses as the Kubernetes object its place says it is: a JSON object with an
 * {@code apiVersion}, a {@code kind} and {@code metadata}, whose {@code metadata.name} is the entry's file name and whose
 * {@code metadata.namespace} is the namespace of its folder (none under {@code cluster/}), as Velero's restore and
 * Lifeboat's read it.
 */
final class ItemCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ItemCheck() {
    }

    /** The item's resource-list key ({@code apps/v1/Deployment}), or why it is not a Kubernetes object. */
    record Result(String resourceListKey, String problem) {
    }

    static Result of(String path, Layout.ItemEntry place, byte[] content) {
        JsonNode item;
        try {
            item = JSON.readTree(content);
        } catch (IOException e) {
            return failed(path, "is not valid JSON");
        }
        if (item == null || !item.isObject()) {
            return failed(path, "is not a JSON object");
        }
        String apiVersion = item.path("apiVersion").isTextual() ? item.get("apiVersion").asText() : "";
        String kind = item.path("kind").isTextual() ? item.get("kind").asText() : "";
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            return failed(path, "has no apiVersion or no kind");
        }
        JsonNode metadata = item.path("metadata");
        if (!metadata.isObject()) {
            return failed(path, "has no metadata");
        }
        if (!place.name().equals(metadata.path("name").asText(null))) {
            return failed(path, "is named " + Problems.shown(metadata.path("name").asText(null))
                    + " in its metadata, unlike its file");
        }
        String namespace = metadata.path("namespace").asText("");
        if (place.clusterScoped() ? !namespace.isEmpty() : !place.namespace().equals(namespace)) {
            return failed(path, "has metadata.namespace " + Problems.shown(namespace) + ", unlike its folder");
        }
        return new Result(apiVersion + "/" + kind, null);
    }

    private static Result failed(String path, String why) {
        return new Result(null, Problems.shown(path) + " " + why);
    }
}
