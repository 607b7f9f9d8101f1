package io.lifeboat.sandbox.kube;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection and request counting for tests of clients. A resource is named by its plural ("secrets"), which
 * matches it in every group and namespace, or by "group/plural" ("apps/deployments", "/configmaps" for the core
 * group) to be precise.
 *
 * <pre>
 * sandbox.faults().failLists("secrets", 2);   // the next two lists of secrets answer 500
 * sandbox.faults().failListsAlways("configmaps");
 * sandbox.faults().requestCount("/api/v1/secrets");
 * </pre>
 */
public final class Faults {
    private static final int ALWAYS = -1;

    private final Map<String, AtomicInteger> listFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requestsByPath = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requestsByMethod = new ConcurrentHashMap<>();
    private final AtomicInteger injected = new AtomicInteger();
    private final java.util.Set<String> discoveryFailures = ConcurrentHashMap.newKeySet();

    /** The next {@code times} list requests of the resource answer 500 Internal Server Error. */
    public Faults failLists(String resource, int times) {
        if (times <= 0) {
            throw new IllegalArgumentException("times must be positive: " + times);
        }
        listFailures.put(resource, new AtomicInteger(times));
        return this;
    }

    /** Every list request of the resource answers 500 until {@link #clear()}. */
    public Faults failListsAlways(String resource) {
        listFailures.put(resource, new AtomicInteger(ALWAYS));
        return this;
    }

    /**
     * The discovery document of one group version ({@code metrics.k8s.io/v1beta1}) answers 503 until {@link #clear()},
     * as an aggregated API whose server is down does.
     */
    public Faults failDiscoveryOf(String groupVersion) {
        discoveryFailures.add(groupVersion);
        return this;
    }

    boolean shouldFailDiscovery(String groupVersion) {
        boolean fail = discoveryFailures.contains(groupVersion);
        if (fail) {
            injected.incrementAndGet();
        }
        return fail;
    }

    /** Removes every injected fault; request counts stay. */
    public Faults clear() {
        listFailures.clear();
        discoveryFailures.clear();
        return this;
    }

    /** How many requests reached the path (without query), e.g. "/api/v1/namespaces/demo/secrets". */
    public long requestCount(String path) {
        AtomicLong count = requestsByPath.get(path);
        return count == null ? 0 : count.get();
    }

    /** Requests per path so far, sorted by path. */
    public Map<String, Long> requestCounts() {
        Map<String, Long> counts = new TreeMap<>();
        requestsByPath.forEach((path, count) -> counts.put(path, count.get()));
        return counts;
    }

    /**
     * Requests per HTTP method so far ({@code GET}, {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}), sorted:
     * a client that only reads sends nothing but GETs.
     */
    public Map<String, Long> requestCountsByMethod() {
        Map<String, Long> counts = new TreeMap<>();
        requestsByMethod.forEach((method, count) -> counts.put(method, count.get()));
        return counts;
    }

    /** How many injected faults have been answered so far. */
    public int injectedCount() {
        return injected.get();
    }

    public void resetCounts() {
        requestsByPath.clear();
        requestsByMethod.clear();
        injected.set(0);
    }

    void countRequest(String method, String path) {
        requestsByPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
        requestsByMethod.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
    }

    /** Whether this list request must fail, using up one of the failures asked for. */
    boolean shouldFailList(RequestPath request) {
        String qualified = request.group() + "/" + request.plural();
        return consume(qualified) || consume(request.plural());
    }

    private boolean consume(String key) {
        AtomicInteger left = listFailures.get(key);
        if (left == null) {
            return false;
        }
        if (left.get() == ALWAYS) {
            injected.incrementAndGet();
            return true;
        }
        int before = left.getAndUpdate(n -> n > 0 ? n - 1 : 0);
        if (before <= 0) {
            listFailures.remove(key, left);
            return false;
        }
        injected.incrementAndGet();
        return true;
    }
}
