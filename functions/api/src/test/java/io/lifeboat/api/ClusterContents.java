package io.lifeboat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.sandbox.kube.Kubectl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything a cluster holds, as the real kubectl lists it: every type {@code kubectl api-resources --verbs=list}
 * names, in one {@code kubectl get -A -o json}, keyed by {@code apiVersion group/Kind namespace/name}. Written for the
 * round-trip test, independently of the code under test: it knows nothing of Lifeboat's discovery or archive.
 */
final class ClusterContents {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Kubernetes' types that no backup tool restores (Velero's list): objects of a cluster, not of its workloads. The
     * test expects none of them in the target, whatever the source has.
     */
    static final Set<String> NEVER_RESTORED = Set.of("events", "events.events.k8s.io", "nodes", "componentstatuses");

    private final Map<String, ObjectNode> objects;
    private final Set<String> types;

    private ClusterContents(Map<String, ObjectNode> objects, Set<String> types) {
        this.objects = objects;
        this.types = types;
    }

    /** Lists every listable type but those never restored. */
    static ClusterContents of(Kubectl kubectl) {
        String names = kubectl.run("api-resources", "--verbs=list", "-o", "name").assertSuccess().stdout();
        Set<String> types = new java.util.TreeSet<>();
        for (String name : names.split("\n")) {
            if (!name.isBlank() && !NEVER_RESTORED.contains(name.trim())) {
                types.add(name.trim());
            }
        }
        String listed = kubectl.run("get", String.join(",", types), "-A", "-o", "json").assertSuccess().stdout();
        Map<String, ObjectNode> objects = new TreeMap<>();
        try {
            for (JsonNode item : JSON.readTree(listed).path("items")) {
                objects.put(key(item), (ObjectNode) item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ClusterContents(objects, types);
    }

    static String key(JsonNode item) {
        String apiVersion = item.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        JsonNode metadata = item.path("metadata");
        String namespace = metadata.path("namespace").asText("");
        return group + "/" + item.path("kind").asText() + " " + (namespace.isEmpty() ? "" : namespace + "/")
                + metadata.path("name").asText();
    }

    Map<String, ObjectNode> objects() {
        return objects;
    }

    Set<String> types() {
        return types;
    }

    /** Distinct kinds among the objects. */
    Set<String> kinds() {
        Set<String> kinds = new java.util.TreeSet<>();
        objects.keySet().forEach(key -> kinds.add(key.substring(0, key.indexOf(' '))));
        return kinds;
    }

    /**
     * What must be equal between an object and its restored copy: everything but what API servers own (uid,
     * resourceVersion, generation, timestamps, managed fields, status) and the two labels a restore adds. Nothing
     * else is removed here; the documented exceptions are applied by the test, one by one.
     */
    static ObjectNode normalised(ObjectNode object) {
        ObjectNode node = object.deepCopy();
        ObjectNode metadata = (ObjectNode) node.get("metadata");
        for (String field : List.of("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                "selfLink")) {
            metadata.remove(field);
        }
        if (metadata.get("labels") instanceof ObjectNode labels) {
            labels.remove("velero.io/backup-name");
            labels.remove("velero.io/restore-name");
            if (labels.isEmpty()) {
                metadata.remove("labels");
            }
        }
        node.remove("status");
        return node;
    }

    /** The keys in this cluster and not in {@code other}. */
    List<String> missingFrom(ClusterContents other) {
        List<String> missing = new ArrayList<>();
        for (String key : objects.keySet()) {
            if (!other.objects.containsKey(key)) {
                missing.add(key);
            }
        }
        return missing;
    }
}
