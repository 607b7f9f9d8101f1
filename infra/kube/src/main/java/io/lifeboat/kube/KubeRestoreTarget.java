package io.lifeboat.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.restore.RestoreTarget;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Restores into a cluster through its API server: discovery to find each type, then raw JSON creates and updates. */
public final class KubeRestoreTarget implements RestoreTarget {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 250;

    private final KubernetesClient client;
    private final KubeClusterSource discovery;
    private final ApiCalls calls;
    private volatile List<ResourceType> types;
    private volatile long discoveredAt;

    public KubeRestoreTarget(KubernetesClient client, long requestTimeoutMillis) {
        this.client = client;
        this.discovery = new KubeClusterSource(client, requestTimeoutMillis);
        this.calls = new ApiCalls(client, requestTimeoutMillis);
    }

    /**
     * The served type, from the last discovery; a type it lacks (a CRD restored a moment ago may serve it now) makes
     * a new discovery, at most once per {@value #POLL_MILLIS} ms, so that looking up many types the target does not
     * serve yet costs one discovery, not one each.
     */
    @Override
    public Optional<ResourceType> type(String resourceFolder) {
        if (types == null) {
            discover();
        }
        Optional<ResourceType> found = find(resourceFolder);
        if (found.isEmpty() && System.nanoTime() - discoveredAt >= POLL_MILLIS * 1_000_000) {
            discover();
            found = find(resourceFolder);
        }
        return found;
    }

    private synchronized void discover() {
        types = discovery.discover().types();
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
        ObjectNode replacement = item.deepCopy();
        ((ObjectNode) replacement.get("metadata")).put("resourceVersion", live.path("metadata").path("resourceVersion").asText());
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
        check(send("PUT", path(type, namespace, item.path("metadata").path("name").asText()), bytes(replacement)));
    }

    @Override
    public boolean storageClassExists(String name) {
        try {
            return client.storage().v1().storageClasses().withName(name).get() != null;
        } catch (KubernetesClientException e) {
            throw new Rejected(e.getCode(), "storage classes could not be read: HTTP " + e.getCode());
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

    @Override
    public void close() {
        client.close();
    }
}
