package io.lifeboat.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    /**
     * Every data source of one type, as {address, name, index?, values}: the ones read during the plan (their inputs
     * were known) from the prior state, and the ones deferred to apply from the changes, whose known parts (a policy
     * document's actions, say) are there already.
     */
    List<JsonNode> dataSources(String type) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode resource : json.path("prior_state").path("values").path("root_module").path("resources")) {
            if (resource.path("mode").asText().equals("data") && resource.path("type").asText().equals(type)) {
                found.add(resource);
            }
        }
        for (JsonNode change : changes("data", type)) {
            ObjectNode deferred = change.deepCopy();
            deferred.set("values", change.path("change").path("after"));
            found.add(deferred);
        }
        return found;
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

    /** The planned Lambda functions, by function name. */
    Map<String, JsonNode> lambdas() {
        Map<String, JsonNode> lambdas = new TreeMap<>();
        resources("aws_lambda_function").forEach(l -> lambdas.put(l.path("function_name").asText(), l));
        return lambdas;
    }

    /** One planned Lambda function, by name. */
    JsonNode lambda(String name) {
        JsonNode lambda = lambdas().get(name);
        if (lambda == null) {
            throw new AssertionError("no Lambda " + name + " in the plan");
        }
        return lambda;
    }

    /** A planned Lambda function's environment variables. */
    static Map<String, String> environment(JsonNode lambda) {
        Map<String, String> variables = new HashMap<>();
        lambda.path("environment").path(0).path("variables").fields()
                .forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
        return variables;
    }
}
