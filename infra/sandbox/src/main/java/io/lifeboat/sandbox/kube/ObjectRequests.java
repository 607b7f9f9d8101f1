package io.lifeboat.sandbox.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.lifeboat.sandbox.kube.StoredObjects.ObjectKey;
import io.lifeboat.sandbox.kube.StoredObjects.Stored;
import io.lifeboat.sandbox.kube.StoredObjects.TypeKey;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What the API server does with a request for objects of a served type — create, get, list, update (PUT), patch,
 * delete — following kube-apiserver's generic registry: the answers, their Status bodies and reasons, and the
 * metadata it owns.
 *
 * <ul>
 *   <li>create: name or generateName (five random characters added), names checked as the type requires
 *   (a DNS label for namespaces, a path segment for RBAC objects, a DNS subdomain for the rest), the namespace taken
 *   from the path (another in the body is 400) and required to exist (404, as the NamespaceLifecycle admission
 *   answers), no namespace on a cluster-scoped object; uid, creationTimestamp, resourceVersion and generation 1 set;
 *   409 AlreadyExists.</li>
 *   <li>update and patch: 404 when absent; a resourceVersion in the body that is not the stored one is 409 Conflict
 *   (none means unconditional); uid, creationTimestamp and namespace kept; generation raised when anything but
 *   metadata and status changed; a new resourceVersion only when something changed. JSON patch and JSON merge patch
 *   are served; strategic merge and apply patches are 415, the sandbox not knowing the types' schemas.</li>
 *   <li>delete: an object with finalizers gets a deletionTimestamp and stays until they are removed. Deleting a
 *   Namespace deletes what it holds, at once; deleting a CustomResourceDefinition deletes its objects.</li>
 *   <li>the status subresource: a custom type whose definition declares it ignores status in creates and updates of
 *   the object, and {@code /status} changes status alone. Built-in types keep status as written (the sandbox runs
 *   no controllers that would set it).</li>
 * </ul>
 * Safe for concurrent use: every write is a compare-and-set on the stored object, tried again when another write
 * came first.
 */
final class ObjectRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeKey NAMESPACES = new TypeKey("", "v1", "namespaces");
    private static final TypeKey DEFINITIONS = new TypeKey("apiextensions.k8s.io", "v1", "customresourcedefinitions");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final String GENERATED_CHARACTERS = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String METADATA = "metadata";
    private static final String STATUS = "status";

    private final StoredObjects store;

    ObjectRequests(StoredObjects store) {
        this.store = store;
    }

    /** An answer other than success, carried out of the request's handling. */
    static final class Refused extends RuntimeException {
        private final transient ApiResponse response;

        Refused(ApiResponse response) {
            super(null, null, false, false);
            this.response = response;
        }

        ApiResponse response() {
            return response;
        }
    }

    /** A request's target: the served type and, for a subresource, its name ("status"). */
    record Target(ApiResourceType type, boolean statusSubresourceDeclared, RequestPath path) {
        TypeKey key() {
            return new TypeKey(type.group(), type.version(), type.plural());
        }

        boolean isStatus() {
            return "status".equals(path.subresource());
        }

        String resource() {
            return type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
        }

        /** Status subresource semantics: declared by the custom type's definition. */
        boolean separateStatus() {
            return statusSubresourceDeclared;
        }
    }

    ApiResponse create(Target target, ApiRequest request) {
        RequestPath path = target.path();
        if (target.type().namespaced() && path.namespace() == null) {
            return Responses.status(405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource");
        }
        ObjectNode object = body(request, target);
        ObjectNode metadata = metadata(object);
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            String prefix = metadata.path("generateName").asText("");
            if (prefix.isEmpty()) {
                throw invalid(target, object, "", "metadata.name: Required value: name or generateName is required");
            }
            name = generated(prefix);
            metadata.put("name", name);
        }
        checkName(target, object, name);
        String namespace = "";
        if (target.type().namespaced()) {
            namespace = path.namespace();
            String inBody = metadata.path("namespace").asText("");
            if (!inBody.isEmpty() && !inBody.equals(namespace)) {
                throw refused(400, "BadRequest", "the namespace of the provided object does not match the namespace "
                        + "sent on the request", target, name);
            }
            if (store.get(NAMESPACES, new ObjectKey("", namespace)).isEmpty()) {
                throw new Refused(status(404, "NotFound", "namespaces \"" + namespace + "\" not found",
                        "", "namespaces", namespace));
            }
            metadata.put("namespace", namespace);
        } else {
            metadata.remove("namespace");
        }
        if (target.separateStatus()) {
            object.remove(STATUS);
        }
        metadata.remove("deletionTimestamp");
        metadata.remove("deletionGracePeriodSeconds");
        long version = store.nextResourceVersion();
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", now());
        metadata.put("resourceVersion", String.valueOf(version));
        metadata.put("generation", 1);
        Stored stored = stored(object, version);
        if (!store.create(target.key(), new ObjectKey(namespace, name), stored)) {
            throw refused(409, "AlreadyExists", target.resource() + " \"" + name + "\" already exists", target, name);
        }
        return Responses.json(201, stored.json());
    }

    ApiResponse get(Target target) {
        return Responses.json(200, existing(target).json());
    }

    /** The stored JSON of every object a list (or a watch's first events) gets, in key order. */
    List<String> list(Target target) {
        RequestPath path = target.path();
        Predicate<Map<String, String>> labels = Selectors.labels(path.queryParameter("labelSelector"));
        Predicate<ObjectKey> fields = Selectors.fields(path.queryParameter("fieldSelector"));
        List<String> items = new ArrayList<>();
        for (Map.Entry<ObjectKey, Stored> entry : store.list(target.key(), path.namespace(),
                e -> fields.test(e.getKey()) && labels.test(e.getValue().labels()))) {
            items.add(entry.getValue().json());
        }
        return items;
    }

    /** What a watch of this target is told, as a filter of the store's changes. */
    Predicate<StoredObjects.Change> watchFilter(Target target) {
        RequestPath path = target.path();
        Predicate<Map<String, String>> labels = Selectors.labels(path.queryParameter("labelSelector"));
        Predicate<ObjectKey> fields = Selectors.fields(path.queryParameter("fieldSelector"));
        String namespace = path.namespace();
        return change -> (namespace == null || change.key().namespace().equals(namespace))
                && fields.test(change.key()) && labels.test(change.object().labels());
    }

    ApiResponse update(Target target, ApiRequest request) {
        ObjectNode sent = body(request, target);
        return write(target, sent, (current, ignored) -> sent.deepCopy());
    }

    ApiResponse patch(Target target, ApiRequest request) {
        String contentType = request.header("Content-Type");
        String type = contentType == null ? "" : contentType.split(";")[0].trim();
        JsonNode patch = parse(request.utf8Body(), target);
        return switch (type) {
            case "application/merge-patch+json" -> write(target, null, (current, ignored) -> {
                JsonNode merged = MergePatch.apply(current.deepCopy(), patch);
                if (!merged.isObject()) {
                    throw refused(422, "Invalid", "the patch does not leave an object", target, target.path().name());
                }
                return (ObjectNode) merged;
            });
            case "application/json-patch+json" -> write(target, null, (current, ignored) -> {
                try {
                    JsonNode patched = JsonPatch.apply(patch, current.deepCopy());
                    if (!patched.isObject()) {
                        throw refused(422, "Invalid", "the patch does not leave an object", target,
                                target.path().name());
                    }
                    return (ObjectNode) patched;
                } catch (JsonPatchException | IllegalArgumentException e) {
                    throw refused(422, "Invalid", "the JSON patch could not be applied: " + e.getMessage(), target,
                            target.path().name());
                }
            });
            default -> Responses.status(415, "UnsupportedMediaType", "the body of the request was in an unknown "
                    + "format - accepted media types include: application/json-patch+json, "
                    + "application/merge-patch+json (the sandbox serves no strategic merge or apply patches)");
        };
    }

    /** How a write makes the object to store from the stored one. */
    private interface Change {
        ObjectNode apply(ObjectNode current, Stored stored);
    }

    /**
     * Update and patch: computes the new object from the stored one, keeps what the server owns, and stores it if
     * the stored one is still the one it was computed from; otherwise computes it again from the newer one.
     */
    private ApiResponse write(Target target, ObjectNode sent, Change change) {
        RequestPath path = target.path();
        ObjectKey key = key(target);
        while (true) {
            Stored stored = existing(target);
            ObjectNode current = parseStored(stored);
            ObjectNode next = change.apply(current, stored);
            ObjectNode metadata = metadata(next);
            String name = metadata.path("name").asText("");
            if (!name.isEmpty() && !name.equals(path.name())) {
                throw refused(400, "BadRequest", "the name of the object (" + name + ") does not match the name on "
                        + "the URL (" + path.name() + ")", target, path.name());
            }
            String namespace = metadata.path("namespace").asText("");
            if (path.namespace() != null && !namespace.isEmpty() && !namespace.equals(path.namespace())) {
                throw refused(400, "BadRequest", "the namespace of the provided object does not match the namespace "
                        + "sent on the request", target, path.name());
            }
            String expected = metadata.path("resourceVersion").asText("");
            String currentVersion = metadata(current).path("resourceVersion").asText();
            if (!expected.isEmpty() && !expected.equals(currentVersion)) {
                throw refused(409, "Conflict", "Operation cannot be fulfilled on " + target.resource() + " \""
                        + path.name() + "\": the object has been modified; please apply your changes to the latest "
                        + "version and try again", target, path.name());
            }
            if (target.isStatus()) {
                ObjectNode onlyStatus = current.deepCopy();
                if (next.has(STATUS)) {
                    onlyStatus.set(STATUS, next.get(STATUS));
                } else {
                    onlyStatus.remove(STATUS);
                }
                next = onlyStatus;
            } else if (target.separateStatus()) {
                if (current.has(STATUS)) {
                    next.set(STATUS, current.get(STATUS));
                } else {
                    next.remove(STATUS);
                }
            }
            keepOwned(current, next, target);
            if (next.equals(current)) {
                return Responses.json(200, stored.json()); // nothing changed: no new resourceVersion
            }
            if (!target.isStatus() && specChanged(current, next)) {
                metadata(next).put("generation", metadata(current).path("generation").asLong(0) + 1);
            }
            boolean finalized = metadata(next).has("deletionTimestamp") && finalizers(next).isEmpty();
            if (finalized) {
                if (store.remove(target.key(), key, stored)) {
                    return Responses.json(200, stored.json());
                }
                continue;
            }
            long version = store.nextResourceVersion();
            metadata(next).put("resourceVersion", String.valueOf(version));
            Stored written = stored(next, version);
            if (store.replace(target.key(), key, stored, written)) {
                return Responses.json(200, written.json());
            }
        }
    }

    /** uid, creationTimestamp, namespace, generation, resourceVersion and deletionTimestamp are the server's. */
    private static void keepOwned(ObjectNode current, ObjectNode next, Target target) {
        ObjectNode was = metadata(current);
        ObjectNode is = metadata(next);
        is.put("name", target.path().name());
        for (String owned : List.of("namespace", "uid", "creationTimestamp", "generation", "resourceVersion",
                "deletionTimestamp", "deletionGracePeriodSeconds")) {
            if (was.has(owned)) {
                is.set(owned, was.get(owned).deepCopy());
            } else {
                is.remove(owned);
            }
        }
        if (!next.has("apiVersion")) {
            next.set("apiVersion", current.get("apiVersion"));
        }
        if (!next.has("kind")) {
            next.set("kind", current.get("kind"));
        }
    }

    private static boolean specChanged(ObjectNode current, ObjectNode next) {
        ObjectNode a = current.deepCopy();
        ObjectNode b = next.deepCopy();
        for (ObjectNode node : List.of(a, b)) {
            node.remove(METADATA);
            node.remove(STATUS);
        }
        return !a.equals(b);
    }

    ApiResponse delete(Target target) {
        return delete(target, key(target));
    }

    private ApiResponse delete(Target target, ObjectKey key) {
        while (true) {
            Stored stored = store.get(target.key(), key).orElseThrow(() -> refused(404, "NotFound",
                    target.resource() + " \"" + key.name() + "\" not found", target, key.name()));
            ObjectNode current = parseStored(stored);
            if (!finalizers(current).isEmpty()) {
                if (metadata(current).has("deletionTimestamp")) {
                    return Responses.json(200, stored.json());
                }
                ObjectNode marked = current.deepCopy();
                long version = store.nextResourceVersion();
                metadata(marked).put("deletionTimestamp", now());
                metadata(marked).put("deletionGracePeriodSeconds", 0);
                metadata(marked).put("resourceVersion", String.valueOf(version));
                Stored written = stored(marked, version);
                if (store.replace(target.key(), key, stored, written)) {
                    return Responses.json(200, written.json());
                }
                continue;
            }
            if (store.remove(target.key(), key, stored)) {
                if (target.key().equals(NAMESPACES)) {
                    emptyNamespace(key.name());
                } else if (target.key().equals(DEFINITIONS)) {
                    deleteDefinedObjects(current);
                }
                return Responses.json(200, stored.json());
            }
        }
    }

    /** DELETE of a collection: every object the selectors keep, answered with the list of what was deleted. */
    ApiResponse deleteCollection(Target target) {
        RequestPath path = target.path();
        Predicate<Map<String, String>> labels = Selectors.labels(path.queryParameter("labelSelector"));
        Predicate<ObjectKey> fields = Selectors.fields(path.queryParameter("fieldSelector"));
        List<String> deleted = new ArrayList<>();
        for (Map.Entry<ObjectKey, Stored> entry : store.list(target.key(), path.namespace(),
                e -> fields.test(e.getKey()) && labels.test(e.getValue().labels()))) {
            try {
                deleted.add(delete(target, entry.getKey()).utf8Body());
            } catch (Refused gone) {
                // deleted by another request meanwhile
            }
        }
        return Responses.json(200, ListPager.compose(new ListPager.ListHeader(target.type().groupVersion(),
                target.type().kind() + "List", String.valueOf(store.currentResourceVersion())), deleted, null, 0));
    }

    /** What a real namespace controller does once a namespace is deleted: deletes everything in it. */
    private void emptyNamespace(String namespace) {
        for (TypeKey type : store.typesHeld()) {
            for (Map.Entry<ObjectKey, Stored> entry : store.list(type, namespace, e -> true)) {
                if (!entry.getKey().namespace().isEmpty()) {
                    store.remove(type, entry.getKey(), entry.getValue());
                }
            }
        }
    }

    /** Deleting a CustomResourceDefinition deletes the objects of its type, at every version. */
    private void deleteDefinedObjects(ObjectNode definition) {
        String group = definition.path("spec").path("group").asText();
        String plural = definition.path("spec").path("names").path("plural").asText();
        for (TypeKey type : store.typesHeld()) {
            if (type.group().equals(group) && type.plural().equals(plural)) {
                for (Map.Entry<ObjectKey, Stored> entry : store.list(type, null, e -> true)) {
                    store.remove(type, entry.getKey(), entry.getValue());
                }
            }
        }
    }

    private Stored existing(Target target) {
        RequestPath path = target.path();
        return store.get(target.key(), key(target)).orElseThrow(() -> refused(404, "NotFound",
                target.resource() + " \"" + path.name() + "\" not found", target, path.name()));
    }

    private static ObjectKey key(Target target) {
        String namespace = target.type().namespaced() ? target.path().namespace() : "";
        return new ObjectKey(namespace == null ? "" : namespace, target.path().name());
    }

    private ObjectNode body(ApiRequest request, Target target) {
        JsonNode body = parse(request.utf8Body(), target);
        if (!body.isObject()) {
            throw refused(400, "BadRequest", "the body of the request is not a JSON object", target, null);
        }
        ObjectNode object = (ObjectNode) body;
        String expected = target.type().groupVersion();
        String apiVersion = object.path("apiVersion").asText("");
        if (apiVersion.isEmpty()) {
            object.put("apiVersion", expected);
        } else if (!apiVersion.equals(expected)) {
            throw refused(400, "BadRequest", "the API version in the data (" + apiVersion + ") does not match the "
                    + "expected API version (" + expected + ")", target, null);
        }
        String kind = object.path("kind").asText("");
        if (kind.isEmpty()) {
            object.put("kind", target.type().kind());
        } else if (!kind.equals(target.type().kind())) {
            throw refused(400, "BadRequest", "the kind in the data (" + kind + ") does not match the expected kind ("
                    + target.type().kind() + ")", target, null);
        }
        if (!object.path(METADATA).isObject()) {
            object.putObject(METADATA);
        }
        return object;
    }

    private static JsonNode parse(String text, Target target) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw refused(400, "BadRequest", "the request has no body", target, null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw refused(400, "BadRequest", "the body of the request is not JSON: " + e.getOriginalMessage(), target,
                    null);
        }
    }

    private static ObjectNode parseStored(Stored stored) {
        try {
            return (ObjectNode) JSON.readTree(stored.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the store holds JSON it wrote itself", e);
        }
    }

    private static Stored stored(ObjectNode object, long version) {
        Map<String, String> labels = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.path(METADATA).path("labels").fields();
        fields.forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
        try {
            return new Stored(JSON.writeValueAsString(object), Map.copyOf(labels), version);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode metadata(ObjectNode object) {
        JsonNode metadata = object.get(METADATA);
        if (metadata == null || !metadata.isObject()) {
            return object.putObject(METADATA);
        }
        return (ObjectNode) metadata;
    }

    private static List<String> finalizers(ObjectNode object) {
        List<String> finalizers = new ArrayList<>();
        metadata(object).path("finalizers").forEach(f -> finalizers.add(f.asText()));
        return finalizers;
    }

    /** The name rules of kube-apiserver's validation for the type. */
    private static void checkName(Target target, ObjectNode object, String name) {
        String kind = target.type().kind();
        String problem = null;
        if (kind.equals("Namespace")) {
            if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
                problem = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
                        + "must start and end with an alphanumeric character";
            }
        } else if (kind.equals("Role") || kind.equals("ClusterRole") || kind.equals("RoleBinding")
                || kind.equals("ClusterRoleBinding")) {
            if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")) {
                problem = "may not be '.' or '..' and may not contain '/' or '%'";
            }
        } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            problem = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character";
        }
        if (problem != null) {
            throw invalid(target, object, name, "metadata.name: Invalid value: \"" + name + "\": " + problem);
        }
    }

    private static String generated(String prefix) {
        StringBuilder name = new StringBuilder(prefix);
        for (int i = 0; i < 5; i++) {
            name.append(GENERATED_CHARACTERS.charAt(RANDOM.nextInt(GENERATED_CHARACTERS.length())));
        }
        return name.toString();
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Refused invalid(Target target, ObjectNode object, String name, String cause) {
        String kind = object.path("kind").asText(target.type().kind());
        return refused(422, "Invalid", kind + " \"" + name + "\" is invalid: " + cause, target, name);
    }

    private static Refused refused(int code, String reason, String message, Target target, String name) {
        return new Refused(status(code, reason, message, target.type().group(), target.type().plural(), name));
    }

    private static ApiResponse status(int code, String reason, String message, String group, String plural,
                                      String name) {
        Status status = Responses.statusObject(code, reason, message);
        status.setDetails(new StatusDetailsBuilder().withName(name).withGroup(group == null || group.isEmpty() ? null : group)
                .withKind(plural).build());
        return Responses.json(code, Serialization.asJson(status));
    }

    /** For tests: the stored object, as JSON. */
    Optional<String> stored(TypeKey type, String namespace, String name) {
        return store.get(type, new ObjectKey(namespace == null ? "" : namespace, name)).map(Stored::json);
    }
}
