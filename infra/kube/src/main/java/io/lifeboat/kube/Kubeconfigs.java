package io.lifeboat.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.lifeboat.error.InvalidInputException;
import org.yaml.snakeyaml.LoaderOptions;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads a kubeconfig a user uploaded, as data: a kubeconfig is never a program. It is parsed once, strictly (a key
 * given twice is refused), every entry is checked against the few fields Lifeboat honours, and the client is built
 * from the result alone ({@link CheckedKubeconfig}), never from the raw YAML. Refused, each with the field named:
 * a cluster, context or user named twice (a client keeps another entry than a checker reads), exec and auth-provider
 * plugins (they run programs), every file path (they read the machine Lifeboat runs on), proxies (they send the
 * credentials elsewhere), basic auth and impersonation; {@code insecure-skip-tls-verify} is reported, and the caller
 * decides whether it was allowed.
 */
public final class Kubeconfigs {
    private static final int MAX_ALIASES = 10;
    private static final YAMLMapper YAML = yamlMapper();

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "clusters", "contexts", "users",
            "current-context", "preferences", "extensions");
    private static final Set<String> NAMED = Set.of("name", "cluster", "context", "user");
    private static final Set<String> CLUSTER = Set.of("server", "certificate-authority-data", "insecure-skip-tls-verify",
            "disable-compression", "extensions");
    private static final Set<String> CONTEXT = Set.of("cluster", "user", "namespace", "extensions");
    private static final Set<String> USER = Set.of("token", "client-certificate-data", "client-key-data", "extensions");
    /** Why a field that kubeconfigs may carry is refused. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("exec", "runs a program: use a service-account token or a client certificate"),
            Map.entry("auth-provider", "runs a plugin: use a service-account token or a client certificate"),
            Map.entry("tokenFile", "is a file path: give the token inline (token)"),
            Map.entry("client-certificate", "is a file path: use client-certificate-data"),
            Map.entry("client-key", "is a file path: use client-key-data"),
            Map.entry("certificate-authority", "is a file path: use certificate-authority-data"),
            Map.entry("proxy-url", "would send the cluster's credentials through a proxy: proxies are not allowed"),
            Map.entry("username", "basic authentication is not supported: use a token or a client certificate"),
            Map.entry("password", "basic authentication is not supported: use a token or a client certificate"),
            Map.entry("as", "impersonation is not supported"),
            Map.entry("as-uid", "impersonation is not supported"),
            Map.entry("as-groups", "impersonation is not supported"),
            Map.entry("as-user-extra", "impersonation is not supported"),
            Map.entry("tls-server-name", "is not supported: the server's certificate must name its address"));

    private Kubeconfigs() {
    }

    private static YAMLMapper yamlMapper() {
        LoaderOptions loader = new LoaderOptions();
        loader.setMaxAliasesForCollections(MAX_ALIASES); // no "billion laughs"
        loader.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(50).build()).build();
        YAMLMapper mapper = new YAMLMapper(factory);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }

    /** The entries of the context to use ({@code requestedContext}, or the current one), checked. */
    public static CheckedKubeconfig inspect(String yaml, String requestedContext) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (Exception e) {
            String why = e.getMessage() != null && e.getMessage().contains("Duplicate") ? "gives a key twice"
                    : "is not a readable kubeconfig (YAML with clusters, users and contexts)";
            throw new InvalidInputException("kubeconfig", why);
        }
        if (!(root instanceof ObjectNode)) {
            throw new InvalidInputException("kubeconfig", "is not a readable kubeconfig (YAML with clusters, users and contexts)");
        }
        onlyKnown(root, TOP, "kubeconfig");
        Map<String, JsonNode> clusters = entries(root, "clusters", "cluster", CLUSTER);
        Map<String, JsonNode> contexts = entries(root, "contexts", "context", CONTEXT);
        Map<String, JsonNode> users = entries(root, "users", "user", USER);
        if (contexts.isEmpty()) {
            throw new InvalidInputException("kubeconfig", "names no context");
        }
        String contextName = requestedContext != null ? requestedContext : text(root, "current-context");
        if (contextName == null || contextName.isEmpty()) {
            throw new InvalidInputException("context", "is required: the kubeconfig has no current-context");
        }
        JsonNode context = contexts.get(contextName);
        if (context == null) {
            throw new InvalidInputException(requestedContext != null ? "context" : "kubeconfig",
                    "context '" + contextName + "' is not in the kubeconfig");
        }
        String clusterName = text(context, "cluster");
        JsonNode cluster = clusterName == null ? null : clusters.get(clusterName);
        if (cluster == null) {
            throw new InvalidInputException("kubeconfig", "context '" + contextName + "' names no cluster of the kubeconfig");
        }
        String server = text(cluster, "server");
        if (server == null || server.isBlank()) {
            throw new InvalidInputException("kubeconfig", "cluster '" + clusterName + "' of context '" + contextName
                    + "' has no server");
        }
        String userName = text(context, "user");
        JsonNode user = userName == null ? null : users.get(userName);
        if (userName != null && user == null) {
            throw new InvalidInputException("kubeconfig", "context '" + contextName + "' names user '" + userName
                    + "', which is not in the kubeconfig");
        }
        JsonNode insecure = cluster.get("insecure-skip-tls-verify");
        if (insecure != null && !insecure.isBoolean()) {
            throw new InvalidInputException("kubeconfig", "insecure-skip-tls-verify of cluster '" + clusterName
                    + "' must be true or false");
        }
        return new CheckedKubeconfig(contextName, server, text(cluster, "certificate-authority-data"),
                insecure != null && insecure.booleanValue(), user == null ? null : text(user, "token"),
                user == null ? null : text(user, "client-certificate-data"),
                user == null ? null : text(user, "client-key-data"), text(context, "namespace"));
    }

    /**
     * The entries of one list ({@code clusters}), by name, each body ({@code cluster}) checked against the allowed
     * fields; a name given twice is refused.
     */
    private static Map<String, JsonNode> entries(JsonNode root, String list, String body, Set<String> allowed) {
        JsonNode items = root.get(list);
        Map<String, JsonNode> byName = new HashMap<>();
        if (items == null || items.isNull()) {
            return byName;
        }
        if (!items.isArray()) {
            throw new InvalidInputException("kubeconfig." + list, "must be a list");
        }
        for (int i = 0; i < items.size(); i++) {
            String field = "kubeconfig." + list + "[" + i + "]";
            JsonNode item = items.get(i);
            if (!(item instanceof ObjectNode)) {
                throw new InvalidInputException(field, "must be an entry with a name and a " + body);
            }
            onlyKnown(item, NAMED, field);
            String name = text(item, "name");
            if (name == null || name.isEmpty()) {
                throw new InvalidInputException(field + ".name", "is required");
            }
            if (byName.containsKey(name)) {
                throw new InvalidInputException(field + ".name", "'" + name + "' names a second entry of " + list
                        + ": every name must be unique");
            }
            JsonNode content = item.get(body);
            if (content != null && !content.isNull()) {
                if (!(content instanceof ObjectNode)) {
                    throw new InvalidInputException(field + "." + body, "must be a mapping");
                }
                onlyKnown(content, allowed, field + "." + body);
                for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> value = it.next();
                    if (!value.getKey().equals("extensions") && !value.getKey().equals("insecure-skip-tls-verify")
                            && !value.getKey().equals("disable-compression") && !value.getValue().isTextual()) {
                        throw new InvalidInputException(field + "." + body + "." + value.getKey(), "must be a string");
                    }
                }
            }
            byName.put(name, content == null || content.isNull() ? YAML.createObjectNode() : content);
        }
        return byName;
    }

    private static void onlyKnown(JsonNode node, Set<String> allowed, String field) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (REFUSED.containsKey(key)) {
                throw new InvalidInputException(field + "." + key, REFUSED.get(key));
            }
            if (!allowed.contains(key)) {
                throw new InvalidInputException(field + "." + key, "is not a field Lifeboat accepts here (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
