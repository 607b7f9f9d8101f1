package io.lifeboat.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.discovery.Discovery;
import io.lifeboat.discovery.ResourceType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster in memory for engine tests, as one session sees it: served types, objects (listed page by page with
 * offset tokens, looked up, created, updated), CSI snapshots, and injectable failures. A custom type is served only
 * once its CRD has been created, as on a real server; creates are recorded in order, and objects can be set to be
 * refused. It counts the requests of each kind (creates, refused ones included; gets; updates; lists) and the most
 * writes and lookups in flight at once, overall and of distinct types; and it can hold them until several types are
 * in flight together ({@link #holdUntilTypesInFlight}), so that a test proves concurrency without measuring time.
 * Its asynchronous writes and lookups are answered at once on the caller's thread, or later from a thread of its own
 * ({@link #answerLater}), and creates can be held until released ({@link #holdCreatesOf}), so that a test counts the
 * creates in flight at once and the threads that sent them.
 */
public final class InMemoryClusterSession implements ClusterSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Set<String> ALL_VERBS = Set.of("create", "delete", "get", "list", "patch", "update", "watch");
    public static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";

    private final Map<String, ResourceType> types = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Types a CRD of the key's name defines, served once that CRD exists. */
    private final Map<String, ResourceType> custom = new ConcurrentHashMap<>();
    /** Every object, by "groupResource/[namespace/]name". */
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    private final List<String> createdInOrder = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Set<String> storageClasses = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final AtomicInteger listCalls = new AtomicInteger();
    private final List<String> lists = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> unlisted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger createCalls = new AtomicInteger();
    private final AtomicInteger getCalls = new AtomicInteger();
    private final AtomicInteger updateCalls = new AtomicInteger();
    private final Map<String, Integer> inFlightByType = new TreeMap<>();
    private int inFlight;
    private int mostInFlight;
    private int mostTypesInFlight;
    private int mostOfOneTypeInFlight;
    private int typesToHoldFor;
    private Duration holdAtMost = Duration.ZERO;
    private final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    private final Map<String, String> unreadable = new TreeMap<>();
    private volatile RuntimeException discoveryFailure;
    private volatile ClusterStatus health = new ClusterStatus(ClusterStatus.Health.Healthy, "v1.30.0-memory",
            "the API server answered and accepted the credentials", Instant.EPOCH);

    // --- the cluster's contents ---

    public InMemoryClusterSession type(String group, String version, String resource, String kind, boolean namespaced) {
        return type(new ResourceType(group, version, resource, kind, namespaced, ALL_VERBS));
    }

    public InMemoryClusterSession type(ResourceType type) {
        types.put(type.groupResource(), type);
        return this;
    }

    /** Serves a type (as {@link #type(String, String, String, String, boolean)}): for clusters restored into. */
    public InMemoryClusterSession serve(String group, String version, String resource, String kind, boolean namespaced) {
        return type(group, version, resource, kind, namespaced);
    }

    /** The custom type a CRD of this name defines, served once the CRD exists. */
    public InMemoryClusterSession definedBy(String crdName, String version, String kind, boolean namespaced) {
        String resource = crdName.substring(0, crdName.indexOf('.'));
        String group = crdName.substring(crdName.indexOf('.') + 1);
        custom.put(crdName, new ResourceType(group, version, resource, kind, namespaced, ALL_VERBS));
        return this;
    }

    /** Adds an object of a served type, and returns it (changes to it are the cluster's); apiVersion and kind are filled in. */
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
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("resourceVersion", "1");
        objects.put(key(groupResource, namespace, name), item);
        return item;
    }

    /** Puts an object as it is, as if it existed before. */
    public void put(String groupResource, String namespace, String name, ObjectNode object) {
        objects.put(key(groupResource, namespace, name), object);
    }

    /** Every object, by "groupResource/[namespace/]name". */
    public Map<String, ObjectNode> objects() {
        return objects;
    }

    public List<String> createdInOrder() {
        return createdInOrder;
    }

    public void refuse(String groupResource, String namespace, String name) {
        refused.add(key(groupResource, namespace, name));
    }

    public void addStorageClass(String name) {
        storageClasses.add(name);
    }

    private static String key(String groupResource, String namespace, String name) {
        return groupResource + "/" + (namespace == null ? "" : namespace + "/") + name;
    }

    // --- failures ---

    /** The next {@code times} lists of the type fail with a retryable error. */
    public void failLists(String groupResource, int times) {
        failuresLeft.put(groupResource, new AtomicInteger(times));
    }

    public void failDiscovery(RuntimeException failure) {
        this.discoveryFailure = failure;
    }

    /** Makes discovery report a group version it could not read. */
    public InMemoryClusterSession unreadable(String groupVersion, String reason) {
        unreadable.put(groupVersion, reason);
        return this;
    }

    public void health(ClusterStatus health) {
        this.health = health;
    }

    public int listCalls() {
        return listCalls.get();
    }

    /** Each list asked for, as "groupResource" (across namespaces) or "groupResource in namespace". */
    public List<String> lists() {
        synchronized (lists) {
            return List.copyOf(lists);
        }
    }

    /** Lists of the type answer no objects, as if those that exist had been created just after. */
    public void listsMiss(String groupResource) {
        unlisted.add(groupResource);
    }

    /** Creates asked for, refused ones included. */
    public int createCalls() {
        return createCalls.get();
    }

    public int getCalls() {
        return getCalls.get();
    }

    public int updateCalls() {
        return updateCalls.get();
    }

    /** The most creates, gets and updates that were in flight at once. */
    public synchronized int mostInFlight() {
        return mostInFlight;
    }

    /** The most creates, gets and updates of one type that were in flight at once. */
    public synchronized int mostOfOneTypeInFlight() {
        return mostOfOneTypeInFlight;
    }

    /** The most distinct types that had a create, get or update in flight at once. */
    public synchronized int mostTypesInFlight() {
        return mostTypesInFlight;
    }

    /**
     * Holds every create, get and update until requests of {@code types} distinct types are in flight together, or
     * for {@code atMost} (after which nothing is held any more): a client that never overlaps types is slowed by
     * {@code atMost} once, and {@link #mostTypesInFlight} tells.
     */
    public synchronized void holdUntilTypesInFlight(int types, Duration atMost) {
        this.typesToHoldFor = types;
        this.holdAtMost = atMost;
    }

    private void enter(String groupResource) {
        boolean hold;
        synchronized (this) {
            inFlight++;
            mostInFlight = Math.max(mostInFlight, inFlight);
            mostOfOneTypeInFlight = Math.max(mostOfOneTypeInFlight, inFlightByType.merge(groupResource, 1, Integer::sum));
            mostTypesInFlight = Math.max(mostTypesInFlight, inFlightByType.size());
            if (typesToHoldFor > 0 && inFlightByType.size() >= typesToHoldFor) {
                held.countDown();
            }
            hold = typesToHoldFor > 0;
        }
        if (hold) {
            try {
                if (!held.await(holdAtMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    held.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void exit(String groupResource) {
        inFlight--;
        inFlightByType.computeIfPresent(groupResource, (t, n) -> n == 1 ? null : n - 1);
    }

    // --- the session ---

    @Override
    public KubeconfigTarget target() {
        return new KubeconfigTarget("in-memory", "https://in-memory.test:6443", false);
    }

    @Override
    public ClusterStatus health() {
        return health;
    }

    @Override
    public Discovery discover() {
        if (discoveryFailure != null) {
            throw discoveryFailure;
        }
        List<ResourceType> served;
        synchronized (types) {
            served = new ArrayList<>(types.values());
        }
        custom.forEach((crd, type) -> {
            if (objects.containsKey(key(CRDS, null, crd))) {
                served.add(type);
            }
        });
        return new Discovery(served, unreadable);
    }

    /** The most lists that were in flight at once. */
    public synchronized int mostListsInFlight() {
        return mostListsInFlight;
    }

    /**
     * Holds every list until {@code lists} lists are in flight together, or for {@code atMost} (after which nothing is
     * held any more): a walker that never overlaps lists is slowed by {@code atMost} once, and
     * {@link #mostListsInFlight} tells.
     */
    public synchronized void holdListsUntilInFlight(int lists, Duration atMost) {
        this.listsToHoldFor = lists;
        this.listHoldAtMost = atMost;
    }

    private int listsInFlight;
    private int mostListsInFlight;
    private int listsToHoldFor;
    private Duration listHoldAtMost = Duration.ZERO;
    private final java.util.concurrent.CountDownLatch listsHeld = new java.util.concurrent.CountDownLatch(1);

    @Override
    public Page list(ResourceType type, String namespace, String continueToken, int limit) {
        boolean hold;
        synchronized (this) {
            listsInFlight++;
            mostListsInFlight = Math.max(mostListsInFlight, listsInFlight);
            if (listsToHoldFor > 0 && listsInFlight >= listsToHoldFor) {
                listsHeld.countDown();
            }
            hold = listsToHoldFor > 0;
        }
        try {
            if (hold && !listsHeld.await(listHoldAtMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                listsHeld.countDown();
            }
            return listNow(type, namespace, continueToken, limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted", false, e);
        } finally {
            synchronized (this) {
                listsInFlight--;
            }
        }
    }

    private Page listNow(ResourceType type, String namespace, String continueToken, int limit) {
        listCalls.incrementAndGet();
        lists.add(type.groupResource() + (namespace == null ? "" : " in " + namespace));
        AtomicInteger failures = failuresLeft.get(type.groupResource());
        if (failures != null && failures.getAndDecrement() > 0) {
            throw new SourceException("the API server answered 500 for " + type.groupResource(), true, null);
        }
        String prefix = type.groupResource() + "/";
        List<ObjectNode> all = objects.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .filter(e -> !unlisted.contains(type.groupResource()))
                .map(Map.Entry::getValue)
                .filter(o -> namespace == null || namespace.equals(o.path("metadata").path("namespace").asText()))
                .sorted(Comparator.comparing((ObjectNode o) -> o.path("metadata").path("namespace").asText())
                        .thenComparing(o -> o.path("metadata").path("name").asText()))
                .map(ObjectNode::deepCopy).toList();
        int from = continueToken == null ? 0 : Integer.parseInt(continueToken);
        int to = Math.min(all.size(), from + limit);
        String next = to < all.size() ? String.valueOf(to) : null;
        return new Page(all.subList(from, to), next, all.size() - to);
    }

    @Override
    public Optional<ResourceType> type(String resourceFolder) {
        ResourceType builtIn = types.get(resourceFolder);
        if (builtIn != null) {
            return Optional.of(builtIn);
        }
        ResourceType type = custom.get(resourceFolder);
        boolean defined = objects.containsKey(key(CRDS, null, resourceFolder));
        return type != null && defined ? Optional.of(type) : Optional.empty();
    }

    @Override
    public boolean awaitType(String resourceFolder, Duration timeout) {
        return type(resourceFolder).isPresent();
    }

    @Override
    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        getCalls.incrementAndGet();
        enter(type.groupResource());
        try {
            return Optional.ofNullable(objects.get(key(type.groupResource(), namespace, name))).map(ObjectNode::deepCopy);
        } finally {
            exit(type.groupResource());
        }
    }

    @Override
    public void create(ResourceType type, ObjectNode item) {
        createCalls.incrementAndGet();
        enter(type.groupResource());
        try {
            store(type, item);
        } finally {
            exit(type.groupResource());
        }
    }

    private void store(ResourceType type, ObjectNode item) {
        String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText() : null;
        String key = key(type.groupResource(), namespace, item.path("metadata").path("name").asText());
        if (refused.contains(key)) {
            throw new Rejected(422, key + " is invalid");
        }
        synchronized (createdInOrder) {
            if (objects.putIfAbsent(key, item.deepCopy()) != null) {
                throw new Rejected(409, key + " already exists");
            }
            createdInOrder.add(key);
        }
    }

    // --- asynchronous writes and lookups ---

    private final Set<Long> asyncCallers = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> createsInFlightByType = new TreeMap<>();
    private final List<Runnable> heldCreates = new ArrayList<>();
    private Set<String> holdCreatesOf = Set.of();
    private int createsInFlight;
    private int mostCreatesInFlight;
    private int mostCreatesOfOneTypeInFlight;
    private final Map<String, Integer> mostCreatesInFlightByType = new TreeMap<>();
    private volatile boolean answerLater;
    private java.util.concurrent.ExecutorService answering;

    /**
     * Answers every asynchronous create, lookup and update later, from a thread of its own, as an HTTP client's event
     * loop does; without it they are answered at once, on the caller's thread (the port's defaults).
     */
    public synchronized InMemoryClusterSession answerLater() {
        if (answering == null) {
            answering = java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "in-memory-answers");
                thread.setDaemon(true);
                return thread;
            });
        }
        answerLater = true;
        return this;
    }

    /**
     * Holds every asynchronous create of these types (answered later, as {@link #answerLater}) until
     * {@link #releaseCreates}: its future stays open, and no thread waits for it.
     */
    public synchronized InMemoryClusterSession holdCreatesOf(String... groupResources) {
        answerLater();
        holdCreatesOf = Set.of(groupResources);
        return this;
    }

    /** Answers the held creates, and holds no more. */
    public void releaseCreates() {
        List<Runnable> held;
        synchronized (this) {
            holdCreatesOf = Set.of();
            held = List.copyOf(heldCreates);
            heldCreates.clear();
        }
        held.forEach(answering::execute);
    }

    /**
     * Waits, at most {@code atMost}, until {@code creates} asynchronous creates of the held types ({@link #holdCreatesOf})
     * are held at once; whether they were. Only held ones count: creates of other types, answered later by one thread,
     * may be many in flight for a moment too, and must not be taken for them.
     */
    public synchronized boolean awaitCreatesHeld(int creates, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (heldCreates.size() < creates) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** The most asynchronous creates in flight at once (sent, not yet answered). */
    public synchronized int mostCreatesInFlight() {
        return mostCreatesInFlight;
    }

    /** The most asynchronous creates of one type in flight at once. */
    public synchronized int mostCreatesOfOneTypeInFlight() {
        return mostCreatesOfOneTypeInFlight;
    }

    /** The most asynchronous creates of the type that were under way at once. */
    public synchronized int mostCreatesInFlightOf(String groupResource) {
        return mostCreatesInFlightByType.getOrDefault(groupResource, 0);
    }

    /** The threads (their ids) that called an asynchronous create, lookup or update. */
    public Set<Long> asyncCallers() {
        return Set.copyOf(asyncCallers);
    }

    /**
     * Every asynchronous create of the type fails with {@code failure}: not a refusal of the API server, but a fault
     * of the client (as a bug would be), which a restore must not take for an item's error.
     */
    public InMemoryClusterSession breakCreatesOf(String groupResource, RuntimeException failure) {
        broken.put(groupResource, failure);
        return this;
    }

    private final Map<String, RuntimeException> broken = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Void> createAsync(ResourceType type, ObjectNode item) {
        asyncCallers.add(Thread.currentThread().getId());
        if (broken.containsKey(type.groupResource())) {
            return CompletableFuture.failedFuture(broken.get(type.groupResource()));
        }
        if (!answerLater) {
            return ClusterSession.super.createAsync(type, item);
        }
        String groupResource = type.groupResource();
        ObjectNode sent = item.deepCopy();
        CompletableFuture<Void> answer = new CompletableFuture<>();
        Runnable answerIt = () -> {
            RuntimeException refused = null;
            try {
                create(type, sent);
            } catch (RuntimeException e) {
                refused = e;
            }
            // counted out before the answer is given: whoever it wakes may send the next create at once
            synchronized (this) {
                createsInFlight--;
                createsInFlightByType.computeIfPresent(groupResource, (t, n) -> n == 1 ? null : n - 1);
            }
            if (refused == null) {
                answer.complete(null);
            } else {
                answer.completeExceptionally(refused);
            }
        };
        boolean held;
        synchronized (this) {
            createsInFlight++;
            mostCreatesInFlight = Math.max(mostCreatesInFlight, createsInFlight);
            int ofType = createsInFlightByType.merge(groupResource, 1, Integer::sum);
            mostCreatesOfOneTypeInFlight = Math.max(mostCreatesOfOneTypeInFlight, ofType);
            mostCreatesInFlightByType.merge(groupResource, ofType, Math::max);
            held = holdCreatesOf.contains(groupResource);
            if (held) {
                heldCreates.add(answerIt);
            }
            notifyAll();
        }
        if (!held) {
            answering.execute(answerIt);
        }
        return answer;
    }

    @Override
    public CompletableFuture<Optional<ObjectNode>> getAsync(ResourceType type, String namespace, String name) {
        asyncCallers.add(Thread.currentThread().getId());
        return answerLater ? CompletableFuture.supplyAsync(() -> get(type, namespace, name), answering)
                : ClusterSession.super.getAsync(type, namespace, name);
    }

    @Override
    public CompletableFuture<Void> updateAsync(ResourceType type, ObjectNode item, ObjectNode live) {
        asyncCallers.add(Thread.currentThread().getId());
        ObjectNode sent = item.deepCopy();
        return answerLater ? CompletableFuture.runAsync(() -> update(type, sent, live), answering)
                : ClusterSession.super.updateAsync(type, item, live);
    }

    @Override
    public void update(ResourceType type, ObjectNode item, ObjectNode live) {
        updateCalls.incrementAndGet();
        enter(type.groupResource());
        try {
            String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText() : null;
            objects.put(key(type.groupResource(), namespace, item.path("metadata").path("name").asText()), item.deepCopy());
        } finally {
            exit(type.groupResource());
        }
    }

    @Override
    public boolean storageClassExists(String name) {
        return storageClasses.contains(name);
    }

    /** The status with which {@link #storageClasses} is refused; 0: answered. */
    private volatile int storageClassesRefused;

    /** Makes the list of storage classes refused with this HTTP status (as a server denying the right would). */
    public InMemoryClusterSession refuseStorageClasses(int status) {
        storageClassesRefused = status;
        return this;
    }

    /** The classes added with {@link #addStorageClass}, in name order, each with provisioner "in-memory.csi". */
    @Override
    public List<StorageClass> storageClasses() {
        if (storageClassesRefused != 0) {
            throw new Rejected(storageClassesRefused, "storage classes could not be read: HTTP " + storageClassesRefused);
        }
        return storageClasses.stream().sorted().map(name -> new StorageClass(name, "in-memory.csi", false)).toList();
    }

    // --- CSI snapshots ---

    /** Claims whose volume has no CSI snapshot; any other claim gets a snapshot of the name it is given. */
    private final Set<String> unsnapshottable = ConcurrentHashMap.newKeySet();
    /** "namespace/name" of VolumeSnapshots that exist and are somebody else's. */
    private final Set<String> foreignSnapshots = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();
    private final List<String> snapshotEvents = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> deletedSnapshots = ConcurrentHashMap.newKeySet();
    private volatile int checksUntilReady = 1;
    private volatile boolean unreachable;

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

    /** Makes every later deletion of a snapshot fail as an unreachable cluster does. */
    public void unreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    public Set<String> deletedSnapshots() {
        return deletedSnapshots;
    }

    @Override
    public VolumeSnapshot startSnapshot(String project, String backup, Claim claim, String name) {
        String claimKey = claim.namespace() + "/" + claim.name();
        if (unsnapshottable.contains(claimKey)) {
            return new VolumeSnapshot(claim.namespace(), claim.name(), claim.volumeName(), null,
                    null, null, null, "volume " + claim.volumeName() + " has no CSI driver");
        }
        if (foreignSnapshots.contains(claim.namespace() + "/" + name)) {
            return new VolumeSnapshot(claim.namespace(), claim.name(), claim.volumeName(),
                    "ebs.csi.aws.com", null, null, null, "a VolumeSnapshot " + claim.namespace() + "/" + name
                    + " already exists and was not created by this backup");
        }
        snapshotEvents.add("start " + claimKey);
        return new VolumeSnapshot(claim.namespace(), claim.name(), claim.volumeName(), "ebs.csi.aws.com", name, null,
                null, null);
    }

    @Override
    public VolumeSnapshot checkSnapshot(VolumeSnapshot started) {
        String claimKey = started.namespace() + "/" + started.persistentVolumeClaim();
        int looks = checks.computeIfAbsent(claimKey, k -> new AtomicInteger()).incrementAndGet();
        if (checksUntilReady == 0 || looks < checksUntilReady) {
            snapshotEvents.add("pending " + claimKey);
            return started;
        }
        snapshotEvents.add("ready " + claimKey);
        return new VolumeSnapshot(started.namespace(), started.persistentVolumeClaim(), started.persistentVolume(),
                started.driver(), started.volumeSnapshotName(), "snap-" + started.persistentVolume(), "1Gi", null);
    }

    @Override
    public boolean deleteVolumeSnapshot(String namespace, String name) {
        if (unreachable) {
            throw new SourceException("connection refused", true, null);
        }
        deletedSnapshots.add(namespace + "/" + name);
        return true;
    }
}
