package io.lifeboat.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A cluster in memory for engine tests: types, objects, paging by offset tokens, and injectable list failures. */
public final class InMemoryClusterSource implements ClusterSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Set<String> ALL_VERBS = Set.of("create", "delete", "get", "list", "patch", "update", "watch");

    private final Map<String, ResourceType> types = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> objects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final AtomicInteger listCalls = new AtomicInteger();
    private volatile RuntimeException discoveryFailure;

    public InMemoryClusterSource type(String group, String version, String resource, String kind, boolean namespaced) {
        return type(new ResourceType(group, version, resource, kind, namespaced, ALL_VERBS));
    }

    public InMemoryClusterSource type(ResourceType type) {
        types.put(type.groupResource(), type);
        objects.putIfAbsent(type.groupResource(), new ArrayList<>());
        return this;
    }

    /** Adds an object of the type; apiVersion and kind are filled in. */
    public ObjectNode add(String groupResource, String namespace, String name) {
        ResourceType type = types.get(groupResource);
        ObjectNode item = JSON.createObjectNode();
        item.put("apiVersion", type.groupVersion());
        item.put("kind", type.kind());
        ObjectNode metadata = item.putObject("metadata");
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.put("uid", java.util.UUID.randomUUID().toString());
        metadata.put("resourceVersion", "1");
        List<ObjectNode> list = objects.get(groupResource);
        synchronized (list) {
            list.add(item);
            list.sort(Comparator.comparing((ObjectNode o) -> o.path("metadata").path("namespace").asText())
                    .thenComparing(o -> o.path("metadata").path("name").asText()));
        }
        return item;
    }

    /** The next {@code times} lists of the type fail with a retryable error. */
    public void failLists(String groupResource, int times) {
        failuresLeft.put(groupResource, new AtomicInteger(times));
    }

    public void failDiscovery(RuntimeException failure) {
        this.discoveryFailure = failure;
    }

    public int listCalls() {
        return listCalls.get();
    }

    /** Claims whose volume has no CSI snapshot; any other claim gets a snapshot of the name it is given. */
    private final Set<String> unsnapshottable = ConcurrentHashMap.newKeySet();
    /** "namespace/name" of VolumeSnapshots that exist and are somebody else's. */
    private final Set<String> foreignSnapshots = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();
    private final List<String> snapshotEvents = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile int checksUntilReady = 1;

    public void cannotSnapshot(String namespace, String claim) {
        unsnapshottable.add(namespace + "/" + claim);
    }

    /** A VolumeSnapshot of this name exists in the namespace, and no backup of Lifeboat's created it. */
    public void foreignSnapshot(String namespace, String name) {
        foreignSnapshots.add(namespace + "/" + name);
    }

    /** Each snapshot is ready at its n-th look (0: never). */
    public void snapshotsReadyAfter(int checks) {
        this.checksUntilReady = checks;
    }

    /** "start ns/claim", "pending ns/claim" and "ready ns/claim", in the order they happened. */
    public List<String> snapshotEvents() {
        synchronized (snapshotEvents) {
            return List.copyOf(snapshotEvents);
        }
    }

    @Override
    public io.lifeboat.cluster.VolumeSnapshot startSnapshot(String project, String backup, Claim claim, String name) {
        String claimKey = claim.namespace() + "/" + claim.name();
        if (unsnapshottable.contains(claimKey)) {
            return new io.lifeboat.cluster.VolumeSnapshot(claim.namespace(), claim.name(), claim.volumeName(), null,
                    null, null, null, "volume " + claim.volumeName() + " has no CSI driver");
        }
        if (foreignSnapshots.contains(claim.namespace() + "/" + name)) {
            return new io.lifeboat.cluster.VolumeSnapshot(claim.namespace(), claim.name(), claim.volumeName(),
                    "ebs.csi.aws.com", null, null, null, "a VolumeSnapshot " + claim.namespace() + "/" + name
                    + " already exists and was not created by this backup");
        }
        snapshotEvents.add("start " + claimKey);
        return new io.lifeboat.cluster.VolumeSnapshot(claim.namespace(), claim.name(), claim.volumeName(),
                "ebs.csi.aws.com", name, null, null, null);
    }

    @Override
    public io.lifeboat.cluster.VolumeSnapshot checkSnapshot(io.lifeboat.cluster.VolumeSnapshot started) {
        String claimKey = started.namespace() + "/" + started.persistentVolumeClaim();
        int looks = checks.computeIfAbsent(claimKey, k -> new AtomicInteger()).incrementAndGet();
        if (checksUntilReady == 0 || looks < checksUntilReady) {
            snapshotEvents.add("pending " + claimKey);
            return started;
        }
        snapshotEvents.add("ready " + claimKey);
        return new io.lifeboat.cluster.VolumeSnapshot(started.namespace(), started.persistentVolumeClaim(),
                started.persistentVolume(), started.driver(), started.volumeSnapshotName(),
                "snap-" + started.persistentVolume(), "1Gi", null);
    }

    private final Set<String> deletedSnapshots = ConcurrentHashMap.newKeySet();
    private volatile boolean unreachable;

    /** Makes every later call fail as an unreachable cluster does. */
    public void unreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    private final Map<String, String> unreadable = new java.util.TreeMap<>();

    public Set<String> deletedSnapshots() {
        return deletedSnapshots;
    }

    @Override
    public boolean deleteVolumeSnapshot(String namespace, String name) {
        if (unreachable) {
            throw new SourceException("connection refused", true, null);
        }
        deletedSnapshots.add(namespace + "/" + name);
        return true;
    }

    @Override
    public Discovery discover() {
        if (discoveryFailure != null) {
            throw discoveryFailure;
        }
        return new Discovery(List.copyOf(types.values()), unreadable);
    }

    /** Makes discovery report a group version it could not read. */
    public InMemoryClusterSource unreadable(String groupVersion, String reason) {
        unreadable.put(groupVersion, reason);
        return this;
    }

    @Override
    public Page list(ResourceType type, String namespace, String continueToken, int limit) {
        listCalls.incrementAndGet();
        AtomicInteger failures = failuresLeft.get(type.groupResource());
        if (failures != null && failures.getAndDecrement() > 0) {
            throw new SourceException("the API server answered 500 for " + type.groupResource(), true, null);
        }
        List<ObjectNode> all;
        synchronized (objects.get(type.groupResource())) {
            all = objects.get(type.groupResource()).stream()
                    .filter(o -> namespace == null || namespace.equals(o.path("metadata").path("namespace").asText()))
                    .map(ObjectNode::deepCopy).toList();
        }
        int from = continueToken == null ? 0 : Integer.parseInt(continueToken);
        int to = Math.min(all.size(), from + limit);
        String next = to < all.size() ? String.valueOf(to) : null;
        return new Page(all.subList(from, to), next, all.size() - to);
    }
}
