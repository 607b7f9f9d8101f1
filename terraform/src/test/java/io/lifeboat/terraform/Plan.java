package io.lifeboat.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A plan as {@code terraform show -json} writes it, with the queries the checks need. */
final class Plan {
    private final JsonNode json;

    private Plan(JsonNode json) {
        this.json = json;
    }

    static Plan read(Path file) {
        try {
            return new Plan(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The planned values ("after") of every managed resource of one type. */
    List<JsonNode> resources(String type) {
        return changes("managed", type).stream().map(change -> change.path("change").path("after")).toList();
    }

    /** The resource changes of data sources of one type (policy documents are read at apply, their actions known now). */
    List<JsonNode> dataSources(String type) {
        return changes("data", type);
    }

    List<JsonNode> changes(String mode, String type) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode change : json.path("resource_changes")) {
            if (change.path("mode").asText().equals(mode) && change.path("type").asText().equals(type)) {
                found.add(change);
            }
        }
        return found;
    }

    /** The types of managed resources the plan creates. */
    Set<String> createdTypes() {
        Set<String> types = new TreeSet<>();
        for (JsonNode change : json.path("resource_changes")) {
            if (change.path("mode").asText().equals("managed")
                    && change.path("change").path("actions").toString().equals("[\"create\"]")) {
                types.add(change.path("type").asText());
            }
        }
        return types;
    }

    /** Every managed resource change, for checks that hold for all of them. */
    List<JsonNode> managedChanges() {
        List<JsonNode> found = new ArrayList<>();
        json.path("resource_changes").forEach(change -> {
            if (change.path("mode").asText().equals("managed")) {
                found.add(change);
            }
        });
        return found;
    }
}
