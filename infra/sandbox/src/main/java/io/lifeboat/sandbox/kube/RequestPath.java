package io.lifeboat.sandbox.kube;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request path of the Kubernetes REST API taken apart, e.g. {@code /apis/apps/v1/namespaces/demo/deployments/web}.
 * Fields that the path does not have are null; {@code group} is empty for the core group ({@code /api/v1}).
 */
record RequestPath(String path, Map<String, String> query, String group, String version, String namespace,
                   String plural, String name, String subresource) {

    static RequestPath parse(String pathAndQuery) {
        int mark = pathAndQuery.indexOf('?');
        String path = mark < 0 ? pathAndQuery : pathAndQuery.substring(0, mark);
        Map<String, String> query = mark < 0 ? Map.of() : parseQuery(pathAndQuery.substring(mark + 1));
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        List<String> segments = path.isEmpty() || path.equals("/")
                ? List.of() : Arrays.asList(path.substring(1).split("/"));

        String group;
        List<String> rest;
        if (segments.size() >= 2 && segments.get(0).equals("api")) {
            group = "";
            rest = segments.subList(2, segments.size());
        } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
            group = segments.get(1);
            rest = segments.subList(3, segments.size());
        } else {
            return new RequestPath(path, query, null, null, null, null, null, null);
        }
        String version = group.isEmpty() ? segments.get(1) : segments.get(2);

        String namespace = null;
        // "namespaces/demo/configmaps/..." addresses objects in a namespace; "namespaces/demo" and
        // "namespaces/demo/status" address the Namespace object itself.
        boolean inNamespace = rest.size() >= 3 && rest.get(0).equals("namespaces")
                && !(rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize")));
        if (inNamespace) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String plural = rest.size() > 0 ? rest.get(0) : null;
        String name = rest.size() > 1 ? rest.get(1) : null;
        String subresource = rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : null;
        return new RequestPath(path, query, group, version, namespace, plural, name, subresource);
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return Collections.unmodifiableMap(query);
    }

    /** True for a path below /api/VERSION or /apis/GROUP/VERSION that names a resource type. */
    boolean isResource() {
        return plural != null;
    }

    /** A list (or watch) of a resource type, across namespaces or in one. */
    boolean isCollection() {
        return plural != null && name == null;
    }

    boolean isWatch() {
        return "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
    }

    String groupVersion() {
        return group == null ? null : group.isEmpty() ? version : group + "/" + version;
    }

    String queryParameter(String key) {
        return query.get(key);
    }
}
