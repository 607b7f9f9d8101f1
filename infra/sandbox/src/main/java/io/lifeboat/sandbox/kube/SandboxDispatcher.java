package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.RootPathsBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The fabric8 CRUD dispatcher (the object store, create/get/replace/merge-patch/delete, watch) with what real
 * clients need on top: discovery, {@code /version}, skeleton OpenAPI v3 documents, list paging, bearer-token checks,
 * Status bodies with real reasons on errors, fault injection, and an index that keeps writes fast in a full store.
 *
 * <p>Threads and locks (fabric8 mockwebserver 7.5.2 on Vert.x 4.5): the mock's one HTTP server is created outside a
 * verticle, so every request of a sandbox reaches {@link #dispatch} on the same Vert.x event-loop thread, which waits
 * for the answer; the answer's body is then sent at once, or after its body delay by a Vert.x timer. Store accesses
 * therefore never overlap, whatever the locks: the parent's read-write lock (reads under its read lock, writes under
 * its write lock), the synchronized map and the {@code synchronized (map)} blocks here are never contended. Letting
 * reads run beside writes would need requests dispatched on more than one thread, which the mock's request handler
 * does not allow; what can overlap is the latency ({@link ServerLoad}), and it does.
 */
final class SandboxDispatcher extends KubernetesCrudDispatcher {
    private static final Set<String> PUBLIC_PATHS = Set.of("/version", "/healthz", "/livez", "/readyz");
    private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
    private static final String API = "api";
    private static final String PLURAL = "plural";
    private static final String VERSION = "version";
    private static final String NAMESPACE = "namespace";
    private static final String NAME = "name";
    /** kube-apiserver's API Priority and Fairness says 1 second too. */
    private static final int RETRY_AFTER_SECONDS = 1;

    private final Faults faults;
    private final ListPager pager;
    private final Discovery discovery;
    private final OpenApiDocuments openApi;
    private final String bearerToken;
    private final ServerLoad load;
    private final IdentityIndex identities = new IdentityIndex();
    /** Turns false for good if the index ever disagrees with the store; lookups then scan like the mock does. */
    private volatile boolean identitiesValid = true;
    private volatile MockWebServer requestLog;
    private volatile String serverAddress = "127.0.0.1:443";

    /** {@code bearerToken} null lets every request in. */
    SandboxDispatcher(Faults faults, Duration snapshotTimeToLive, String bearerToken, ServerLoad load) {
        this.faults = faults;
        this.load = load;
        this.pager = new ListPager(snapshotTimeToLive);
        this.discovery = new Discovery(this::storedCustomResourceDefinitions);
        this.openApi = new OpenApiDocuments(discovery::served);
        this.bearerToken = bearerToken;
    }

    /**
     * The mock web server keeps every request it received in a queue for tests to take; the sandbox never takes
     * them, so it empties the queue to keep memory flat in long runs.
     */
    void attach(MockWebServer server, String hostAndPort) {
        this.requestLog = server;
        this.serverAddress = hostAndPort;
    }

    ListPager pager() {
        return pager;
    }

    /** Whether the identity index still follows the store (for tests). */
    boolean identityIndexValid() {
        return identitiesValid;
    }

    /** Stores an object as if a client had created it, without going through HTTP. */
    void create(String collectionPath, HasMetadata object) {
        RecordedRequest request = new RecordedRequest("HTTP/1.1", HttpMethod.POST, collectionPath,
                Headers.builder().add("Content-Type", Responses.JSON).build(),
                new Buffer(Serialization.asJson(object).getBytes(StandardCharsets.UTF_8)));
        MockResponse response = handleCreate(request);
        if (response.code() != 201) {
            throw new IllegalStateException("could not create " + collectionPath + ": " + response.code());
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        drainRequestLog();
        RequestPath path = RequestPath.parse(request.getPath());
        faults.countRequest(path.path());
        if (!authenticated(request, path)) {
            return delayed(Responses.status(401, "Unauthorized", "Unauthorized"));
        }
        // Like API Priority and Fairness: after authentication; health, version and watches are not held to it.
        boolean limited = !PUBLIC_PATHS.contains(path.path()) && !path.isWatch();
        if (limited && !load.enter()) {
            return Responses.tooManyRequests(RETRY_AFTER_SECONDS);
        }
        MockResponse response;
        try {
            response = answer(request, path);
        } catch (RuntimeException e) {
            response = Responses.status(500, "InternalError", "sandbox failed: " + e);
        } finally {
            if (limited) {
                load.leaveWhenAnswered();
            }
        }
        return delayed(completed(response, request, path));
    }

    private boolean authenticated(RecordedRequest request, RequestPath path) {
        return bearerToken == null || PUBLIC_PATHS.contains(path.path())
                || ("Bearer " + bearerToken).equals(request.getHeader("Authorization"));
    }

    /**
     * Puts off sending the answer by the latency. The mock sends a body delay with a Vert.x timer, so the event loop
     * is free to serve other requests meanwhile; a WebSocket upgrade (watch) is not delayed, nor is an answer
     * without a body (the mock sends those at once; every answer here has one, errors included).
     */
    private MockResponse delayed(MockResponse response) {
        Duration latency = load.latency();
        if (!latency.isZero() && response.getWebSocketListener() == null) {
            response.setBodyDelay(latency);
        }
        return response;
    }

    private MockResponse answer(RecordedRequest request, RequestPath path) {
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains(PROTOBUF) && !accept.contains("json") && !accept.contains("*/*")) {
            // The mock speaks JSON only; answer as a JSON-only server would rather than leave the client waiting.
            return Responses.status(406, "NotAcceptable", "the sandbox serves JSON only");
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && contentType.contains(PROTOBUF)) {
            return Responses.status(415, "UnsupportedMediaType", "the sandbox accepts JSON only");
        }
        HttpMethod method = request.method();
        if (method == HttpMethod.GET) {
            Optional<MockResponse> fixed = serverPath(path);
            if (fixed.isPresent()) {
                return fixed.get();
            }
        }
        if (!path.isResource()) {
            return Responses.notFound("the server could not find the requested resource");
        }
        if (method == HttpMethod.GET && path.isCollection() && !path.isWatch()) {
            return list(request, path);
        }
        switch (method) {
            case POST:
            case PUT:
            case PATCH:
                MockResponse written = super.dispatch(request);
                if (path.namespace() == null && written.code() < 300) {
                    dropNamespace(request, path);
                }
                return written;
            case GET:
            case DELETE:
                return super.dispatch(request);
            default:
                return Responses.status(405, "MethodNotAllowed", "method " + method + " is not supported");
        }
    }

    /** Everything that is not an object: health, version, discovery. */
    private Optional<MockResponse> serverPath(RequestPath path) {
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

    private MockResponse list(RecordedRequest request, RequestPath path) {
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
        ListPager.ListHeader header = new ListPager.ListHeader(path.groupVersion(), listKind(path),
                String.valueOf(requestResourceVersion()));
        return pager.firstPage(listQuery, header, storedItems(request.getPath(), path), limit);
    }

    /**
     * A real API server keeps no namespace on a cluster-scoped object, whatever the request carried; the mock keeps
     * one (a merge patch can even leave {@code "namespace": null}). Written at a path without a namespace, the object
     * is cluster-scoped, so its stored JSON loses the field.
     */
    private void dropNamespace(RecordedRequest request, RequestPath path) {
        String name = path.name() != null ? path.name() : nameInBody(request);
        if (name == null) {
            return;
        }
        AttributeSet query = attributeExtractor.fromPath(path.path() + (path.name() == null ? "/" + name : ""));
        synchronized (map) {
            for (Map.Entry<AttributeSet, String> entry : map.entrySet()) {
                if (entry.getKey().matches(query) && !entry.getKey().containsKey(NAMESPACE)
                        && entry.getValue().contains("\"namespace\"")) {
                    GenericKubernetesResource object = Serialization.unmarshal(entry.getValue(), GenericKubernetesResource.class);
                    object.getMetadata().setNamespace(null);
                    entry.setValue(Serialization.asJson(object));
                }
            }
        }
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

    private String listKind(RequestPath path) {
        return BuiltInResources.all().stream()
                .filter(t -> t.group().equals(path.group()) && t.version().equals(path.version())
                        && t.plural().equals(path.plural()))
                .findFirst()
                .or(() -> discovery.find(path.group(), path.version(), path.plural()))
                .map(t -> t.kind() + "List")
                .orElse("List");
    }

    /**
     * The stored JSON of every object the list request matches, ordered by namespace and name like a real server's
     * lists. It reads the store the way the mock's own list does, but keeps the stored text instead of parsing it.
     */
    private List<String> storedItems(String pathAndQuery, RequestPath path) {
        AttributeSet query = attributeExtractor.fromPath(pathAndQuery);
        boolean coreGroup = path.group().isEmpty();
        List<Map.Entry<AttributeSet, String>> found = new ArrayList<>();
        synchronized (map) {
            for (Map.Entry<AttributeSet, String> entry : map.entrySet()) {
                // A core-group query has no "api" attribute and would match objects of any group with the same plural.
                if (entry.getKey().matches(query) && !(coreGroup && entry.getKey().containsKey(API))) {
                    found.add(Map.entry(entry.getKey(), entry.getValue()));
                }
            }
        }
        found.sort(Comparator.comparing((Map.Entry<AttributeSet, String> e) -> valueOf(e.getKey(), NAMESPACE))
                .thenComparing(e -> valueOf(e.getKey(), NAME)));
        List<String> items = new ArrayList<>(found.size());
        found.forEach(e -> items.add(e.getValue()));
        return items;
    }

    private static String valueOf(AttributeSet attributes, String key) {
        Attribute attribute = attributes.getAttribute(key);
        if (attribute == null || attribute.getValues().isEmpty()) {
            return "";
        }
        return attribute.getValues().get(0).toString();
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        if (!identitiesValid || !identities.canAnswer(attributes)) {
            return super.findResource(attributes);
        }
        for (AttributeSet key : identities.matching(attributes)) {
            String value = map.get(key);
            if (value != null) {
                return Map.entry(key, value);
            }
        }
        return null;
    }

    /** Every change to the store passes here; the index follows it. */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                             GenericKubernetesResource resource, String newState) {
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (!identitiesValid) {
            return;
        }
        if (oldAttributes != null) {
            identities.remove(oldAttributes);
        }
        if (newState != null) {
            // The same key the mock has just computed for the new state.
            KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
            AttributeSet key = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
            if (!key.containsKey(PLURAL)) {
                key = AttributeSet.merge(pathAttributes, key);
            }
            if (!map.containsKey(key) || !identities.add(key)) {
                identitiesValid = false;
                identities.clear();
            }
        }
    }

    @Override
    public void reset() {
        super.reset();
        identities.clear();
        identitiesValid = true;
    }

    /** CustomResourceDefinitions as stored right now; discovery is made from them on every request. */
    List<CustomResourceDefinition> storedCustomResourceDefinitions() {
        AttributeSet query = new AttributeSet(new Attribute(API, "apiextensions.k8s.io"), new Attribute(VERSION, "v1"),
                new Attribute(PLURAL, "customresourcedefinitions"));
        List<String> stored = new ArrayList<>();
        synchronized (map) {
            for (Map.Entry<AttributeSet, String> entry : map.entrySet()) {
                if (entry.getKey().matches(query)) {
                    stored.add(entry.getValue());
                }
            }
        }
        List<CustomResourceDefinition> crds = new ArrayList<>(stored.size());
        for (String json : stored) {
            crds.add(Serialization.unmarshal(json, CustomResourceDefinition.class));
        }
        return crds;
    }

    /**
     * Gives error answers a Status body with the reason a real server would give (the mock sends some errors
     * without a body and calls all of its own "Invalid"), and JSON answers their content type.
     */
    private static MockResponse completed(MockResponse response, RecordedRequest request, RequestPath path) {
        if (response == null) {
            return Responses.notFound("the server could not find the requested resource");
        }
        if (response.getWebSocketListener() != null) {
            return response;
        }
        boolean emptyBody = response.getBody() == null || response.getBody().size() == 0;
        int code = response.code();
        if (code >= 400 && (emptyBody || isMockStatus(response))) {
            return errorStatus(code, request, path, emptyBody ? null : response.getBody().readUtf8());
        }
        if (response.header("Content-Type") == null && !emptyBody) {
            response.setHeader("Content-Type", Responses.JSON);
        }
        return response;
    }

    private static boolean isMockStatus(MockResponse response) {
        String body = new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
        return response.code() != 422 && body.contains("\"kind\":\"Status\"") && body.contains("\"reason\":\"Invalid\"");
    }

    private static MockResponse errorStatus(int code, RecordedRequest request, RequestPath path, String mockBody) {
        String name = path.name();
        if (name == null && request.method() == HttpMethod.POST) {
            name = nameInBody(request);
        }
        String reason = Responses.reasonFor(code);
        String message;
        if (code == 409 && request.method() == HttpMethod.POST) {
            reason = "AlreadyExists";
            message = path.plural() + " \"" + name + "\" already exists";
        } else if (code == 404 && name != null) {
            message = path.plural() + " \"" + name + "\" not found";
        } else if (mockBody != null) {
            message = Serialization.unmarshal(mockBody, Status.class).getMessage();
        } else {
            message = reason;
        }
        Status status = Responses.statusObject(code, reason, message);
        if (path.plural() != null) {
            status.setDetails(new StatusDetailsBuilder().withName(name).withGroup(emptyToNull(path.group()))
                    .withKind(path.plural()).build());
        }
        return Responses.json(code, Serialization.asJson(status));
    }

    private static String nameInBody(RecordedRequest request) {
        try {
            GenericKubernetesResource object = Serialization.unmarshal(request.getUtf8Body(),
                    GenericKubernetesResource.class);
            return object.getMetadata() == null ? null : object.getMetadata().getName();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private void drainRequestLog() {
        MockWebServer server = requestLog;
        if (server == null) {
            return;
        }
        try {
            while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
                // dropped: nobody reads the mock's request log
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
