package io.lifeboat.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.discovery.Discovery;
import io.lifeboat.discovery.PreferredResources;
import io.lifeboat.discovery.ResourceType;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A session on a cluster through its API server: its health (the version, and a list that proves the credentials),
 * discovery with fabric8, lists as raw JSON pages (limit/continue) parsed once into trees, raw JSON lookups, creates
 * and updates (each also without waiting: {@link ApiCalls#sendAsync}, no thread held per request), and CSI snapshots ({@link CsiSnapshots}). Listed items are returned as the server sent them, with
 * apiVersion and kind filled in (list items carry neither).
 */
public final class KubeClusterSession implements ClusterSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Reads discovery's answers: every group version is asked at once without a thread per request
     * ({@link ApiCalls#sendAsync}); these threads only parse what comes back.
     */
    private static final ExecutorService DISCOVERY = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "lifeboat-discovery");
        thread.setDaemon(true);
        return thread;
    });
    private static final long POLL_MILLIS = 250;

    /** The annotation that marks a cluster's default storage class. */
    static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    private final KubernetesClient client;
    private final KubeconfigTarget target;
    private final Clock clock;
    private final ApiCalls calls;
    private volatile List<ResourceType> types;
    private volatile long discoveredAt;

    /** A session of a checked kubeconfig's client. */
    public KubeClusterSession(KubernetesClient client, KubeconfigTarget target, long requestTimeoutMillis, Clock clock) {
        this.client = client;
        this.target = target;
        this.clock = clock;
        this.calls = new ApiCalls(client, requestTimeoutMillis);
    }

    /** A session of a client alone (tests, benchmarks): its {@link #target} is unknown (null). */
    public KubeClusterSession(KubernetesClient client, long requestTimeoutMillis) {
        this(client, null, requestTimeoutMillis, Clock.systemUTC());
    }

    @Override
    public KubeconfigTarget target() {
        return target;
    }

    @Override
    public ClusterStatus health() {
        try {
            VersionInfo version = client.getKubernetesVersion();
            // /version answers anyone; listing one namespace proves the credentials, and a backup needs that right
            client.namespaces().list(new ListOptionsBuilder().withLimit(1L).build());
            return new ClusterStatus(ClusterStatus.Health.Healthy, version.getGitVersion(),
                    "the API server answered and accepted the credentials", clock.instant());
        } catch (KubernetesClientException e) {
            // an answer is named by its status and reason code only: its body is the remote's, never echoed
            String reason = e.getCode() == 401 || e.getCode() == 403
                    ? "the API server refused the kubeconfig's credentials (HTTP " + e.getCode() + ")"
                    : e.getCode() > 0 ? "the API server answered HTTP " + e.getCode()
                    + (e.getStatus() != null && e.getStatus().getReason() != null
                    && e.getStatus().getReason().matches("[A-Za-z]{1,40}") ? " (" + e.getStatus().getReason() + ")" : "")
                    : "the API server could not be reached: " + rootMessage(e);
            return new ClusterStatus(ClusterStatus.Health.Unreachable, null, reason, clock.instant());
        } catch (RuntimeException e) {
            return new ClusterStatus(ClusterStatus.Health.Unreachable, null,
                    "the API server could not be reached: " + rootMessage(e), clock.instant());
        }
    }

    /**
     * Every resource the server serves, each at one version, as client-go's {@code ServerPreferredResources} chooses
     * (and so Velero): a group's versions are read in the server's order, a resource is taken at the first version
     * that serves it, and the group's preferred version always wins. A kind served only by a non-preferred version
     * (Istio's EnvoyFilter, v1alpha3 only, in a group that prefers v1) is found too. Every group version is asked at
     * once.
     */
    @Override
    public Discovery discover() {
        try {
            List<APIGroup> groups = groups();
            CompletableFuture<GroupVersion> core = read("", "v1");
            List<List<CompletableFuture<GroupVersion>>> perGroup = new ArrayList<>();
            for (APIGroup group : groups) {
                List<CompletableFuture<GroupVersion>> versions = new ArrayList<>();
                for (GroupVersionForDiscovery version : group.getVersions()) {
                    versions.add(read(group.getName(), version.getVersion()));
                }
                perGroup.add(versions);
            }
            GroupVersion coreVersion = core.join();
            if (coreVersion.failure() != null) {
                throw new SourceException("discovery of the core group failed: " + coreVersion.failure(), true, null);
            }
            List<ResourceType> types = new ArrayList<>(coreVersion.types());
            Map<String, String> unreadable = new TreeMap<>();
            for (int g = 0; g < groups.size(); g++) {
                APIGroup group = groups.get(g);
                String preferred = group.getPreferredVersion() != null ? group.getPreferredVersion().getVersion()
                        : group.getVersions().get(0).getVersion();
                List<List<ResourceType>> versions = new ArrayList<>();
                for (CompletableFuture<GroupVersion> future : perGroup.get(g)) {
                    GroupVersion version = future.join();
                    if (version.failure() != null) {
                        unreadable.put(version.name(), version.failure());
                    } else {
                        versions.add(version.types());
                    }
                }
                types.addAll(PreferredResources.choose(preferred, versions));
            }
            return new Discovery(types, unreadable);
        } catch (CompletionException e) {
            throw new SourceException("discovery failed: " + e.getCause(), true, e.getCause());
        }
    }

    /** The resources of one group version, or why they could not be read. */
    private record GroupVersion(String name, List<ResourceType> types, String failure) {
    }

    /**
     * The API groups ({@code /apis}). Discovery goes through {@link ApiCalls} like the lists. Through fabric8's own
     * calls, a throttled discovery lost a group now and then to "HttpClosedException: Connection was closed" (one
     * discovery in eight against a sandbox with a limit of 2, and the first backup in local mode); fabric8's retry of a
     * 429 cancels the refused answer, which likely closes a pooled Vert.x connection another request had been given.
     * Through ApiCalls, whose requests fabric8 does not retry, none was seen.
     */
    private List<APIGroup> groups() {
        HttpResponse<byte[]> response;
        try {
            response = calls.send("GET", "apis", null);
        } catch (IOException e) {
            throw failure("discovery", 0, e);
        }
        if (response.code() != 200) {
            throw failure("discovery", response.code(), null);
        }
        APIGroupList groups = parse(response.body(), APIGroupList.class);
        return groups.getGroups() == null ? List.of() : groups.getGroups();
    }

    /** The resources of one group version, or why they could not be read; parsed on a discovery thread. */
    private CompletableFuture<GroupVersion> read(String group, String version) {
        String name = group.isEmpty() ? version : group + "/" + version;
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = calls.sendAsync("GET", group.isEmpty() ? "api/" + ApiCalls.segment(version)
                    : "apis/" + ApiCalls.segment(group) + "/" + ApiCalls.segment(version), null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sent.handleAsync((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof IOException io) {
                    return new GroupVersion(name, List.of(), failure("discovery of " + name, 0, io).getMessage());
                }
                throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
            }
            if (response.code() == 404) {
                return new GroupVersion(name, List.of(), "the server lists it but does not serve it (HTTP 404)");
            }
            if (response.code() != 200) {
                return new GroupVersion(name, List.of(),
                        failure("discovery of " + name, response.code(), null).getMessage());
            }
            List<ResourceType> types = new ArrayList<>();
            addAll(types, group, version, parse(response.body(), APIResourceList.class));
            return new GroupVersion(name, types, null);
        }, DISCOVERY);
    }

    private <T> T parse(byte[] body, Class<T> type) {
        try {
            return client.getKubernetesSerialization().unmarshal(new java.io.ByteArrayInputStream(body), type);
        } catch (RuntimeException e) {
            throw new SourceException("discovery: the API server answered something that is not " + type.getSimpleName(),
                    true, e);
        }
    }

    private static void addAll(List<ResourceType> types, String group, String version, APIResourceList resources) {
        if (resources == null || resources.getResources() == null) {
            return;
        }
        for (APIResource r : resources.getResources()) {
            types.add(new ResourceType(group, version, r.getName(), r.getKind(), Boolean.TRUE.equals(r.getNamespaced()),
                    r.getVerbs() == null ? java.util.Set.of() : new HashSet<>(r.getVerbs())));
        }
    }

    @Override
    public Page list(ResourceType type, String namespace, String continueToken, int limit) {
        String path = ApiCalls.path(type, namespace, null) + "?limit=" + limit + (continueToken == null ? ""
                : "&continue=" + URLEncoder.encode(continueToken, StandardCharsets.UTF_8));
        HttpResponse<byte[]> response;
        try {
            response = calls.send("GET", path, null);
        } catch (IOException e) {
            throw new SourceException("listing " + type.groupResource() + ": " + e.getMessage(), true, e);
        }
        if (response.code() != 200) {
            throw failure("listing " + type.groupResource(), response.code(), null);
        }
        try {
            JsonNode list = JSON.readTree(response.body());
            List<ObjectNode> items = new ArrayList<>();
            for (JsonNode item : list.path("items")) {
                ObjectNode object = (ObjectNode) item;
                object.put("apiVersion", type.groupVersion());
                object.put("kind", type.kind());
                items.add(object);
            }
            JsonNode metadata = list.path("metadata");
            String next = metadata.path("continue").asText("");
            long remaining = metadata.has("remainingItemCount") ? metadata.get("remainingItemCount").asLong() : -1;
            return new Page(items, next.isEmpty() ? null : next, remaining);
        } catch (IOException e) {
            throw new SourceException("the list of " + type.groupResource() + " is not JSON", true, e);
        }
    }

    @Override
    public VolumeSnapshot startSnapshot(String project, String backup, Claim claim, String name) {
        return new CsiSnapshots(client).start(project, backup, claim, name);
    }

    @Override
    public VolumeSnapshot checkSnapshot(VolumeSnapshot started) {
        return new CsiSnapshots(client).check(started);
    }

    @Override
    public boolean deleteVolumeSnapshot(String namespace, String name) {
        try {
            return new CsiSnapshots(client).delete(namespace, name);
        } catch (KubernetesClientException e) {
            throw failure("deleting VolumeSnapshot " + namespace + "/" + name, e.getCode(), e);
        }
    }

    private static SourceException failure(String what, int code, Throwable cause) {
        boolean unreachable = code <= 0; // fabric8 reports a failed connection without a status code
        boolean retryable = unreachable || code == 429 || code >= 500;
        String reason = unreachable ? "the API server could not be reached" + (cause == null ? "" : ": " + rootMessage(cause))
                : switch (code) {
                    case 401, 403 -> "the API server refused the credentials (HTTP " + code + ")";
                    case 410 -> "the list expired before it was read (HTTP 410)";
                    default -> "the API server answered HTTP " + code;
                };
        return new SourceException(what + ": " + reason, retryable, cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /**
     * The served type, from the last discovery; a type it lacks (a CRD restored a moment ago may serve it now) makes
     * a new discovery, at most once per {@value #POLL_MILLIS} ms, so that looking up many types the target does not
     * serve yet costs one discovery, not one each.
     */
    @Override
    public Optional<ResourceType> type(String resourceFolder) {
        if (types == null) {
            rediscover();
        }
        Optional<ResourceType> found = find(resourceFolder);
        if (found.isEmpty() && System.nanoTime() - discoveredAt >= POLL_MILLIS * 1_000_000) {
            rediscover();
            found = find(resourceFolder);
        }
        return found;
    }

    private synchronized void rediscover() {
        types = discover().types();
        discoveredAt = System.nanoTime();
    }

    private Optional<ResourceType> find(String resourceFolder) {
        return types.stream().filter(t -> t.groupResource().equals(resourceFolder) && !t.resource().contains("/")).findFirst();
    }

    @Override
    public boolean awaitType(String resourceFolder, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (type(resourceFolder).isPresent()) {
                return true;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        HttpResponse<byte[]> response = send("GET", path(type, namespace, name), null);
        if (response.code() == 404) {
            return Optional.empty();
        }
        check(response);
        return Optional.of((ObjectNode) read(response.body()));
    }

    @Override
    public void create(ResourceType type, ObjectNode item) {
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
        check(send("POST", path(type, namespace, null), bytes(item)));
    }

    @Override
    public void update(ResourceType type, ObjectNode item, ObjectNode live) {
        check(send("PUT", replacementPath(type, item), bytes(replacement(item, live))));
    }

    /** The item, with the live object's resourceVersion (so that a change made meanwhile is refused, 409). */
    private static ObjectNode replacement(ObjectNode item, ObjectNode live) {
        ObjectNode replacement = item.deepCopy();
        ((ObjectNode) replacement.get("metadata")).put("resourceVersion", live.path("metadata").path("resourceVersion").asText());
        return replacement;
    }

    private static String replacementPath(ResourceType type, ObjectNode item) {
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
        return path(type, namespace, item.path("metadata").path("name").asText());
    }

    /** {@link #create} without waiting: no thread is held while the request, or a 429's wait, is under way. */
    @Override
    public CompletableFuture<Void> createAsync(ResourceType type, ObjectNode item) {
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
        return answered(() -> calls.sendAsync("POST", path(type, namespace, null), bytes(item)), response -> {
            check(response);
            return null;
        });
    }

    /** {@link #get} without waiting, as {@link #createAsync}. */
    @Override
    public CompletableFuture<Optional<ObjectNode>> getAsync(ResourceType type, String namespace, String name) {
        return answered(() -> calls.sendAsync("GET", path(type, namespace, name), null), response -> {
            if (response.code() == 404) {
                return Optional.empty();
            }
            check(response);
            return Optional.of((ObjectNode) read(response.body()));
        });
    }

    /** {@link #update} without waiting, as {@link #createAsync}. */
    @Override
    public CompletableFuture<Void> updateAsync(ResourceType type, ObjectNode item, ObjectNode live) {
        return answered(() -> calls.sendAsync("PUT", replacementPath(type, item), bytes(replacement(item, live))),
                response -> {
                    check(response);
                    return null;
                });
    }

    /**
     * The future of a request's answer as {@code read} makes it: failing with {@link Rejected} itself (not wrapped),
     * when the request could not be made, the API server could not be reached, or it refused.
     */
    private static <T> CompletableFuture<T> answered(Supplier<CompletableFuture<HttpResponse<byte[]>>> request,
                                                     Function<HttpResponse<byte[]>, T> read) {
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = request.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        sent.whenComplete((response, failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (!(cause instanceof IOException)) {
                        answer.completeExceptionally(cause);
                        return;
                    }
                    throw new Rejected(0, "the API server could not be reached: " + cause.getMessage());
                }
                answer.complete(read.apply(response));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    @Override
    public boolean storageClassExists(String name) {
        try {
            return client.storage().v1().storageClasses().withName(name).get() != null;
        } catch (KubernetesClientException e) {
            throw new Rejected(e.getCode(), "storage classes could not be read: HTTP " + e.getCode());
        }
    }

    @Override
    public List<StorageClass> storageClasses() {
        try {
            return client.storage().v1().storageClasses().list().getItems().stream()
                    .map(sc -> new StorageClass(sc.getMetadata().getName(), sc.getProvisioner(),
                            "true".equals(sc.getMetadata().getAnnotations() == null ? null
                                    : sc.getMetadata().getAnnotations().get(DEFAULT_CLASS_ANNOTATION))))
                    .sorted(Comparator.comparing(StorageClass::name))
                    .toList();
        } catch (KubernetesClientException e) {
            // named by the status alone (the body is the remote's), or by why no answer came
            throw new Rejected(e.getCode(), "storage classes could not be read: " + (e.getCode() > 0
                    ? "HTTP " + e.getCode() : "the API server could not be reached: " + rootMessage(e)));
        }
    }

    /** The request path, every segment encoded; a name no path may carry is refused before any request. */
    private static String path(ResourceType type, String namespace, String name) {
        try {
            return ApiCalls.path(type, namespace, name);
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, type.groupResource() + ": " + e.getMessage());
        }
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body) {
        try {
            return calls.send(method, path, body);
        } catch (IOException e) {
            throw new Rejected(0, "the API server could not be reached: " + e.getMessage());
        }
    }

    /** A refusal carries the API server's own message (its Status object). */
    private static void check(HttpResponse<byte[]> response) {
        if (response.code() < 300) {
            return;
        }
        String message = "HTTP " + response.code();
        try {
            JsonNode status = read(response.body());
            if (status.hasNonNull("message")) {
                message = status.get("message").asText() + " (HTTP " + response.code() + ")";
            }
        } catch (RuntimeException notJson) {
            // keep the status code alone
        }
        throw new Rejected(response.code(), message);
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new Rejected(0, "the API server answered something that is not JSON");
        }
    }

    private static byte[] bytes(ObjectNode item) {
        try {
            return JSON.writeValueAsBytes(item);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How many 429 TooManyRequests answers this session's raw requests (lists, gets, creates, updates) waited out
     * and sent again; they are not errors (see ApiCalls). For benchmarks and tests.
     */
    public long throttledRetries() {
        return calls.throttledRetries();
    }

    @Override
    public void close() {
        client.close();
    }
}
