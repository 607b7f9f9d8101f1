package io.lifeboat.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.discovery.BackupTypes;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.ClusterSession.SourceException;
import io.lifeboat.discovery.Discovery;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.run.Results;
import io.lifeboat.work.Pause;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads every item a backup includes, type by type and page by page, and hands each one to the sink as it arrives.
 * Namespaced types come first, so that the cluster-scoped pass knows which CRDs and PersistentVolumes the
 * namespaced items need. Only those names are remembered; items themselves are never held beyond their page.
 */
public final class BackupWalker {
    private static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";
    private static final String NAMESPACES = "namespaces";
    private static final String PVCS = "persistentvolumeclaims";
    private static final String PVS = "persistentvolumes";
    /** Node heartbeats: never worth restoring (Velero skips them too). */
    private static final String LEASES = "leases.coordination.k8s.io";
    private static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    /** First pages asked ahead of the list being read. */
    static final int LOOKAHEAD = 8;

    private final ClusterSession source;
    private final Retry retry;
    private final java.util.concurrent.ExecutorService prefetch;

    /**
     * {@code prefetch} fetches the next page of a list while the walker handles the current one, and the first pages
     * of the next lists ({@link Lookahead}); give it {@value #LOOKAHEAD} + 1 threads.
     */
    public BackupWalker(ClusterSession source, Retry retry, java.util.concurrent.ExecutorService prefetch) {
        this.source = source;
        this.retry = retry;
        this.prefetch = prefetch;
    }

    public ClusterSession source() {
        return source;
    }

    /**
     * What the walk read: items in all, items per resource-list key, the types it read, the bound claims it backed
     * up, and one line for every type the server serves (its count, or why it holds none).
     */
    public record Walk(long items, Map<String, Long> itemsPerType, List<ResourceType> types,
                       List<ClusterSession.Claim> claims, List<Backup.TypeCount> typeCounts) {
    }

    /**
     * Walks the cluster, given what discovery found. {@code progress} receives (items so far, estimated total) after each page.
     * Problems with one type or namespace go to {@code results}, and so does every group version discovery could not
     * read; a failed discovery throws before the walk.
     */
    public Walk walk(Discovery discovered, BackupOptions options, ItemSink sink, Results results,
                     BiConsumer<Long, Long> progress) {
        BackupTypes.Selection selection = BackupTypes.select(discovered.types());
        List<ResourceType> types = selection.selected();
        TypeTally tally = new TypeTally();
        selection.skipped().forEach(skip -> tally.skipped(skip.type(), skip.reason()));
        discovered.unreadableGroupVersions().forEach((groupVersion, reason) -> {
            tally.unreadable(groupVersion, reason);
            results.error(null, "the types of " + groupVersion + " could not be discovered, so none of them was backed up: "
                    + reason);
        });
        Set<String> namespaces = new HashSet<>(options.namespaces());
        if (!options.allNamespaces()) {
            reportUnknownNamespaces(types, options.namespaces(), results);
        }
        Counter counter = new Counter(progress, tally);
        Set<String> typesWithCustomItems = new HashSet<>();
        Set<String> boundVolumes = new HashSet<>();
        List<ClusterSession.Claim> claims = new java.util.ArrayList<>();
        Set<String> builtIn = builtInGroupResources(types);

        List<String> scopes = options.allNamespaces() ? java.util.Collections.singletonList(null) : options.namespaces();
        List<Scope> namespacedLists = new java.util.ArrayList<>();
        for (ResourceType type : types) {
            for (String namespace : type.namespaced() ? scopes : List.<String>of()) {
                if (!(type.groupResource().equals(LEASES) && NODE_LEASE_NAMESPACE.equals(namespace))) {
                    namespacedLists.add(new Scope(type, namespace));
                }
            }
        }
        Lookahead lookahead = new Lookahead(namespacedLists, options.pageSize());
        try {
            for (Scope scope : namespacedLists) {
                ResourceType type = scope.type();
                listAll(type, scope.namespace(), options.pageSize(), results, counter, lookahead.first(scope), item -> {
                    if (type.groupResource().equals(LEASES)
                            && NODE_LEASE_NAMESPACE.equals(item.path("metadata").path("namespace").asText())) {
                        return false;
                    }
                    if (!builtIn.contains(type.groupResource())) {
                        typesWithCustomItems.add(type.groupResource());
                    }
                    if (type.groupResource().equals(PVCS)) {
                        String volume = item.path("spec").path("volumeName").asText("");
                        if (!volume.isEmpty()) {
                            boundVolumes.add(volume);
                            claims.add(new ClusterSession.Claim(item.path("metadata").path("namespace").asText(),
                                    name(item), volume));
                        }
                    }
                    return write(sink, type, item);
                });
            }
        } finally {
            lookahead.cancelRest();
        }
        for (ResourceType type : types) {
            if (type.namespaced()) {
                continue;
            }
            if (type.groupResource().equals(NAMESPACES)) {
                listAll(type, null, options.pageSize(), results, counter, null,
                        item -> (options.allNamespaces() || namespaces.contains(name(item))) && write(sink, type, item));
            } else if (options.allClusterResources()) {
                listAll(type, null, options.pageSize(), results, counter, null, item -> write(sink, type, item));
            } else if (type.groupResource().equals(CRDS) && !typesWithCustomItems.isEmpty()) {
                listAll(type, null, options.pageSize(), results, counter, null,
                        item -> typesWithCustomItems.contains(name(item)) && write(sink, type, item));
            } else if (type.groupResource().equals(PVS) && !boundVolumes.isEmpty()) {
                listAll(type, null, options.pageSize(), results, counter, null,
                        item -> boundVolumes.contains(name(item)) && write(sink, type, item));
            } else {
                tally.skipped(type, clusterScopedReason(type, options));
            }
        }
        counter.finish();
        return new Walk(counter.items, counter.perType, types, claims, tally.counts());
    }

    /** Why a cluster-scoped type was not read when not every cluster-scoped type is backed up. */
    private static String clusterScopedReason(ResourceType type, BackupOptions options) {
        String rule = Boolean.FALSE.equals(options.includeClusterResources())
                ? "includeClusterResources is false"
                : "only some namespaces are backed up and includeClusterResources is not set";
        String needed = type.groupResource().equals(CRDS) ? "; no backed-up item is a custom resource"
                : type.groupResource().equals(PVS) ? "; no backed-up claim is bound to a volume" : "";
        return "cluster-scoped, and " + rule + needed;
    }

    private void reportUnknownNamespaces(List<ResourceType> types, List<String> wanted, Results results) {
        ResourceType nsType = types.stream().filter(t -> t.groupResource().equals(NAMESPACES)).findFirst().orElse(null);
        if (nsType == null) {
            return;
        }
        Set<String> existing = new HashSet<>();
        String token = null;
        do {
            final String continueToken = token;
            ClusterSession.Page page = retry.call("list namespaces", () -> source.list(nsType, null, continueToken, 500));
            page.items().forEach(item -> existing.add(name(item)));
            token = page.continueToken();
        } while (token != null);
        for (String namespace : wanted) {
            if (!existing.contains(namespace)) {
                results.warn(namespace, "namespace " + namespace + " does not exist in the cluster; nothing was backed up from it");
            }
        }
    }

    /** Types whose group is built in: a CRD can only define types outside these groups. */
    private static Set<String> builtInGroupResources(List<ResourceType> types) {
        Set<String> builtIn = new HashSet<>();
        for (ResourceType type : types) {
            if (BackupTypes.builtIn(type.group())) {
                builtIn.add(type.groupResource());
            }
        }
        return builtIn;
    }

    /**
     * Lists every page of one type, fetching the next page while the current one is handed to the sink: the API
     * server's time and Lifeboat's overlap, and at most two pages are held at once.
     */
    /**
     * {@code each} answers whether it backed the item up: only those are counted. {@code firstPage} is the first page
     * already asked for ({@link Lookahead}), or null to ask for it now.
     */
    private void listAll(ResourceType type, String namespace, int pageSize, Results results, Counter counter,
                         java.util.concurrent.Future<ClusterSession.Page> firstPage,
                         java.util.function.Predicate<ObjectNode> each) {
        long before = counter.items;
        try {
            java.util.concurrent.Future<ClusterSession.Page> next = firstPage != null ? firstPage
                    : firstPage(type, namespace, pageSize);
            counter.tally.read(type);
            while (next != null) {
                ClusterSession.Page page = await(next);
                String token = page.continueToken();
                next = token == null ? null : prefetch.submit(() -> retry.call("list " + type.groupResource(),
                        () -> source.list(type, namespace, token, pageSize)));
                for (ObjectNode item : page.items()) {
                    if (each.test(item)) {
                        counter.count(type);
                    }
                }
                counter.page(page.remaining());
            }
        } catch (SourceException e) {
            String where = namespace == null ? "" : " in namespace " + namespace;
            String message = "listing " + type.groupResource() + where + " failed after " + (counter.items - before)
                    + " items: " + e.getMessage();
            counter.tally.failed(type, message);
            if (namespace == null && type.namespaced()) {
                results.error(null, message);
            } else {
                results.error(namespace, message);
            }
        }
    }

    private java.util.concurrent.Future<ClusterSession.Page> firstPage(ResourceType type, String namespace, int pageSize) {
        return prefetch.submit(() -> retry.call("list " + type.groupResource(),
                () -> source.list(type, namespace, null, pageSize)));
    }

    /** One list of the walk: a type, in one namespace or (null) in all. */
    private record Scope(ResourceType type, String namespace) {
    }

    /**
     * Asks for the first pages of the lists to come while the current one is read, so that the API server's latency
     * of many small lists overlaps: at most {@value #LOOKAHEAD} first pages are asked ahead (in flight or waiting),
     * each at most one page of items. The items are still written one list after another, in the walk's order.
     */
    private final class Lookahead {
        private final List<Scope> plan;
        private final int pageSize;
        private final Map<Scope, java.util.concurrent.Future<ClusterSession.Page>> asked = new java.util.HashMap<>();
        private int next;

        Lookahead(List<Scope> plan, int pageSize) {
            this.plan = plan;
            this.pageSize = pageSize;
        }

        /** The first page of this list, asked for earlier or now; then the lists after it are asked ahead. */
        java.util.concurrent.Future<ClusterSession.Page> first(Scope scope) {
            java.util.concurrent.Future<ClusterSession.Page> page = asked.remove(scope);
            int position = plan.indexOf(scope);
            next = Math.max(next, position + 1);
            if (page == null) {
                page = firstPage(scope.type(), scope.namespace(), pageSize);
            }
            while (asked.size() < LOOKAHEAD && next < plan.size()) {
                Scope ahead = plan.get(next++);
                asked.put(ahead, firstPage(ahead.type(), ahead.namespace(), pageSize));
            }
            return page;
        }

        void cancelRest() {
            asked.values().forEach(page -> page.cancel(true));
            asked.clear();
        }
    }

    private static ClusterSession.Page await(java.util.concurrent.Future<ClusterSession.Page> page) {
        try {
            return page.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new SourceException("a list failed: " + e.getCause(), false, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("the backup was interrupted", false, e);
        }
    }

    /** Hands the item to the sink; true, so that the caller counts it. */
    private static boolean write(ItemSink sink, ResourceType type, ObjectNode item) {
        sink.accept(type, item);
        return true;
    }

    private static String name(JsonNode item) {
        return item.path("metadata").path("name").asText();
    }

    /** Counts items, per type too, and reports progress after each page. */
    private static final class Counter {
        private final BiConsumer<Long, Long> progress;
        private final TypeTally tally;
        private final Map<String, Long> perType = new LinkedHashMap<>();
        private long items;

        Counter(BiConsumer<Long, Long> progress, TypeTally tally) {
            this.progress = progress;
            this.tally = tally;
        }

        void count(ResourceType type) {
            items++;
            tally.count(type);
            perType.merge(type.resourceListKey(), 1L, Long::sum);
        }

        void page(long remaining) {
            progress.accept(items, items + Math.max(0, remaining));
        }

        void finish() {
            progress.accept(items, items);
        }
    }

    /** Retries retryable failures with exponential backoff. */
    public static final class Retry {
        private final int attempts;
        private final long firstDelayMillis;
        private final Pause pause;

        public Retry(int attempts, long firstDelayMillis, Pause pause) {
            this.attempts = attempts;
            this.firstDelayMillis = firstDelayMillis;
            this.pause = pause;
        }

        public Retry(int attempts, long firstDelayMillis) {
            this(attempts, firstDelayMillis, Pause.SLEEP);
        }

        public <T> T call(String what, java.util.function.Supplier<T> action) {
            long delay = firstDelayMillis;
            for (int attempt = 1; ; attempt++) {
                try {
                    return action.get();
                } catch (SourceException e) {
                    if (!e.retryable() || attempt >= attempts) {
                        throw e;
                    }
                }
                try {
                    pause.pause(Duration.ofMillis(delay));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SourceException(what + " was interrupted", false, e);
                }
                delay *= 2;
            }
        }
    }
}
