package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Skeleton OpenAPI v3 documents: {@code /openapi/v3} and one document per group/version, holding for each resource
 * only its PATCH operation with the {@code fieldValidation} query parameter, and no schemas.
 *
 * <p>Why: {@code kubectl create/apply/replace -f} validate by default. kubectl looks in these documents for
 * whether the server validates fields itself; when it finds the parameter it leaves validation to the server
 * (which the sandbox does not do), and otherwise it needs full schemas to validate on its own and fails without them.
 */
final class OpenApiDocuments {
    private final Supplier<List<ApiResourceType>> served;

    OpenApiDocuments(Supplier<List<ApiResourceType>> served) {
        this.served = served;
    }

    /** The index: each group/version with the URL of its document, the hash changing with its content. */
    String index() {
        Map<String, Object> paths = new LinkedHashMap<>();
        List<ApiResourceType> types = served.get();
        types.stream().map(OpenApiDocuments::prefix).distinct().forEach(prefix -> {
            String document = document(types, prefix);
            paths.put(prefix, Map.of("serverRelativeURL", "/openapi/v3/" + prefix + "?hash=" + hash(document)));
        });
        return Serialization.asJson(Map.of("paths", paths));
    }

    /** The document of "api/v1" or "apis/GROUP/VERSION", or empty when that is not served. */
    Optional<String> document(String prefix) {
        List<ApiResourceType> types = served.get();
        if (types.stream().noneMatch(t -> prefix(t).equals(prefix))) {
            return Optional.empty();
        }
        return Optional.of(document(types, prefix));
    }

    private static String document(List<ApiResourceType> types, String prefix) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (ApiResourceType type : types) {
            if (type.isSubresource() || !prefix(type).equals(prefix)) {
                continue;
            }
            String path = "/" + prefix + (type.namespaced() ? "/namespaces/{namespace}/" : "/")
                    + type.plural() + "/{name}";
            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("operationId", "patch" + type.kind());
            patch.put("parameters", List.of(Map.of("name", "fieldValidation", "in", "query",
                    "schema", Map.of("type", "string", "uniqueItems", true))));
            patch.put("responses", Map.of("200", Map.of("description", "OK")));
            patch.put("x-kubernetes-action", "patch");
            patch.put("x-kubernetes-group-version-kind",
                    Map.of("group", type.group(), "version", type.version(), "kind", type.kind()));
            paths.put(path, Map.of("patch", patch));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.0.0");
        document.put("info", Map.of("title", "Kubernetes", "version", ServerVersion.GIT_VERSION));
        document.put("paths", paths);
        document.put("components", Map.of());
        return Serialization.asJson(document);
    }

    private static String prefix(ApiResourceType type) {
        return type.group().isEmpty() ? "api/" + type.version() : "apis/" + type.group() + "/" + type.version();
    }

    private static String hash(String document) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(document.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16).toUpperCase();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
