package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.RootPathsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lifeboat.sandbox.kube.StoredObjects.TypeKey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the sandbox answers, request by request: the objects ({@link ObjectRequests} on {@link StoredObjects}), and
 * what real clients need around them: discovery, {@code /version}, skeleton OpenAPI v3 documents, list paging,
 * bearer-token checks, Status bodies with real reasons on errors, and fault injection. Safe to call from many threads
 * at once ({@link SandboxHttpServer} does); the latency and the in-flight limit are the server's.
 */
final class SandboxDispatcher {
    private static final Set<String> PUBLIC_PATHS = Set.of("/version", "/healthz", "/livez", "/readyz");
    private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
    private static final TypeKey DEFINITIONS = new TypeKey("apiextensions.k8s.io", "v1", "customresourcedefinitions");

    private final StoredObjects store = new StoredObjects();
    private final ObjectRequests objects = new ObjectRequests(store);
    private final Faults faults;
    private final ListPager pager;
    private final Discovery discovery;
    private final OpenApiDocuments openApi;
    private final String bearerToken;
    private volatile String serverAddress = "127.0.0.1:443";

    /** {@code bearerToken} null lets every request in. */
    SandboxDispatcher(Faults faults, Duration snapshotTimeToLive, String bearerToken) {
        this.faults = faults;
        this.pager = new ListPager(snapshotTimeToLive);
        this.discovery = new Discovery(this::storedCustomResourceDefinitions, store::definitionChanges);
        this.openApi = new OpenApiDocuments(discovery::served);
        this.bearerToken = bearerToken;
    }

    void serverAddress(String hostAndPort) {
        this.serverAddress = hostAndPort;
    }

    ListPager pager() {
        return pager;
    }

    StoredObjects store() {
        return store;
    }

    /** Stores an object as if a client had created it, without going through HTTP (nor counting a request). */
    void create(String collectionPath, Object object) {
        ApiResponse response = dispatch(new ApiRequest("POST", collectionPath,
                Map.of("content-type", Responses.JSON), Serialization.asJson(object).getBytes(StandardCharsets.UTF_8)));
        if (response.code() != 201) {
            throw new IllegalStateException("could not create " + collectionPath + ": " + response.code() + " "
                    + response.utf8Body());
        }
    }

    /**
     * Whether a request counts against the in-flight limit: like API Priority and Fairness, health checks,
     * {@code /version} and watches do not.
     */
    static boolean limited(RequestPath path) {
        return !PUBLIC_PATHS.contains(path.path()) && !path.isWatch();
    }

    /** The 401 answer for a request without the bearer token, or empty when it may go on. */
    Optional<ApiResponse> refuseUnauthenticated(ApiRequest request, RequestPath path) {
        boolean allowed = bearerToken == null || PUBLIC_PATHS.contains(path.path())
                || ("Bearer " + bearerToken).equals(request.header("Authorization"));
        return allowed ? Optional.empty() : Optional.of(Responses.status(401, "Unauthorized", "Unauthorized"));
    }

    /** Counts a request as it arrives, whatever its answer (401 and 429 included). */
    void received(String method, RequestPath path) {
        faults.countRequest(method, path.path());
    }

    /** Answers one request that is not a watch. */
    ApiResponse dispatch(ApiRequest request) {
        RequestPath path = RequestPath.parse(request.pathAndQuery());
        try {
            return answer(request, path);
        } catch (ObjectRequests.Refused refused) {
            return refused.response();
        } catch (Selectors.Invalid invalid) {
            return Responses.badRequest(invalid.getMessage());
        } catch (RuntimeException e) {
            return Responses.status(500, "InternalError", "sandbox failed: " + e);
        }
    }

    /** The type a watch request is for, or the answer that refuses it. */
    ObjectRequests.Target watchTarget(RequestPath path) {
        return target(path);
    }

    /** What a watch of the target gets first, and its filter of later changes. */
    ObjectRequests objects() {
        return objects;
    }

    private ApiResponse answer(ApiRequest request, RequestPath path) {
        String accept = request.header("Accept");
        if (accept != null && accept.contains(PROTOBUF) && !accept.contains("json") && !accept.contains("*/*")) {
            return Responses.status(406, "NotAcceptable", "the sandbox serves JSON only");
        }
        String contentType = request.header("Content-Type");
        if (contentType != null && contentType.contains(PROTOBUF)) {
            return Responses.status(415, "UnsupportedMediaType", "the sandbox accepts JSON only");
        }
        String method = request.method();
        if (method.equals("GET")) {
            Optional<ApiResponse> fixed = serverPath(path);
            if (fixed.isPresent()) {
                return fixed.get();
            }
        }
        if (!path.isResource()) {
            return Responses.notFound("the server could not find the requested resource");
        }
        ObjectRequests.Target target = target(path);
        boolean collection = path.name() == null;
        return switch (method) {
            case "GET" -> collection ? list(target) : objects.get(target);
            case "POST" -> collection ? objects.create(target, request) : notAllowed();
            case "PUT" -> collection ? notAllowed() : objects.update(target, request);
            case "PATCH" -> collection ? notAllowed() : objects.patch(target, request);
            case "DELETE" -> collection ? objects.deleteCollection(target) : objects.delete(target);
            default -> Responses.status(405, "MethodNotAllowed", "method " + method + " is not supported");
        };
    }

    /** The served type a resource path names; 404 when it is not served, or names a subresource other than status. */
    private ObjectRequests.Target target(RequestPath path) {
        if (path.subresource() != null && !path.subresource().equals("status")) {
            throw new ObjectRequests.Refused(Responses.notFound("the sandbox serves no " + path.subresource()
                    + " subresource"));
        }
        String plural = path.subresource() == null ? path.plural() : path.plural() + "/" + path.subresource();
        if (discovery.find(path.group(), path.version(), plural).isEmpty()) {
            throw new ObjectRequests.Refused(Responses.notFound("the server could not find the requested resource"));
        }
        ApiResourceType type = discovery.find(path.group(), path.version(), path.plural()).orElseThrow();
        return new ObjectRequests.Target(type, discovery.customWithStatus(type), path);
    }

    private static ApiResponse notAllowed() {
        return Responses.status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }

    /** Everything that is not an object: health, version, discovery. */
    private Optional<ApiResponse> serverPath(RequestPath path) {
        String p = path.path();
        switch (p) {
            case "/":
                return Optional.of(Responses.json(new RootPathsBuilder().withPaths(rootPaths()).build()));
            case "/version":
                return Optional.of(Responses.json(ServerVersion.info()));
            case "/healthz":
            case "/livez":
            case "/readyz":
                return Optional.of(Responses.text(200, "ok"));
            case "/api":
                return Optional.of(Responses.json(discovery.coreVersions(serverAddress)));
            case "/apis":
                return Optional.of(Responses.json(discovery.groups()));
            case "/openapi/v3":
                return Optional.of(Responses.json(200, openApi.index()));
            default:
                break;
        }
        String[] segments = p.substring(1).split("/");
        if (segments[0].equals("api") && segments.length == 2) {
            return Optional.of(discovery.resources("", segments[1]).map(Responses::json)
                    .orElseGet(() -> Responses.notFound("the server could not find the requested resource")));
        }
        if (segments[0].equals("apis") && segments.length == 2) {
            return Optional.of(discovery.group(segments[1]).map(Responses::json)
                    .orElseGet(() -> Responses.notFound("the server could not find the requested resource")));
        }
        if (segments[0].equals("apis") && segments.length == 3) {
            if (faults.shouldFailDiscovery(segments[1] + "/" + segments[2])) {
                return Optional.of(Responses.status(503, "ServiceUnavailable", "the server is currently unable to handle the request"));
            }
            return Optional.of(discovery.resources(segments[1], segments[2]).map(Responses::json)
                    .orElseGet(() -> Responses.notFound("the server could not find the requested resource")));
        }
        if (p.startsWith("/openapi/v3/")) {
            return Optional.of(openApi.document(p.substring("/openapi/v3/".length()))
                    .map(document -> Responses.json(200, document))
                    .orElseGet(() -> Responses.notFound("the server could not find the requested resource")));
        }
        if (segments[0].equals("openapi")) {
            return Optional.of(Responses.notFound("the sandbox serves no OpenAPI v2 document"));
        }
        return Optional.empty();
    }

    private List<String> rootPaths() {
        List<String> paths = new ArrayList<>(List.of("/api", "/api/v1", "/apis"));
        discovery.groups().getGroups().forEach(group -> {
            paths.add("/apis/" + group.getName());
            group.getVersions().forEach(v -> paths.add("/apis/" + v.getGroupVersion()));
        });
        paths.addAll(List.of("/healthz", "/livez", "/readyz", "/version"));
        return paths;
    }

    private ApiResponse list(ObjectRequests.Target target) {
        RequestPath path = target.path();
        if (faults.shouldFailList(path)) {
            return Responses.status(500, "InternalError", "injected fault: list of " + path.plural() + " failed");
        }
        long limit = parseLimit(path.queryParameter("limit"));
        String listQuery = path.path() + "?labelSelector=" + path.query().getOrDefault("labelSelector", "")
                + "&fieldSelector=" + path.query().getOrDefault("fieldSelector", "");
        String token = path.queryParameter("continue");
        if (token != null && !token.isEmpty()) {
            return pager.nextPage(listQuery, token, limit);
        }
        ListPager.ListHeader header = new ListPager.ListHeader(path.groupVersion(), target.type().kind() + "List",
                String.valueOf(store.currentResourceVersion()));
        return pager.firstPage(listQuery, header, objects.list(target), limit);
    }

    private static long parseLimit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(limit);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** CustomResourceDefinitions as stored right now; discovery is made from them when they change. */
    List<CustomResourceDefinition> storedCustomResourceDefinitions() {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (var entry : store.list(DEFINITIONS, null, e -> true)) {
            crds.add(Serialization.unmarshal(entry.getValue().json(), CustomResourceDefinition.class));
        }
        return crds;
    }

    /** Empties the store. */
    void reset() {
        store.clear();
    }
}
