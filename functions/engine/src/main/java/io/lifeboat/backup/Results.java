package io.lifeboat.backup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Warnings and errors in Velero's results shape: {@code {"velero": [...], "cluster": [...], "namespaces": {ns: [...]}}}.
 * Each list keeps at most {@link #MAX_PER_LIST} messages; counts are exact.
 */
public final class Results {
    public static final int MAX_PER_LIST = 1000;

    private final Map<String, Object> warnings = empty();
    private final Map<String, Object> errors = empty();
    private int warningCount;
    private int errorCount;

    private static Map<String, Object> empty() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("velero", new ArrayList<String>());
        r.put("cluster", new ArrayList<String>());
        r.put("namespaces", new TreeMap<String, List<String>>());
        return r;
    }

    public synchronized void warn(String namespace, String message) {
        warningCount++;
        add(warnings, namespace, message);
    }

    public synchronized void error(String namespace, String message) {
        errorCount++;
        add(errors, namespace, message);
    }

    /** A problem of Lifeboat itself rather than of one namespace or cluster-scoped object. */
    public synchronized void errorOfRun(String message) {
        errorCount++;
        addTo(list(errors, "velero"), message);
    }

    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> target, String namespace, String message) {
        if (namespace == null) {
            addTo(list(target, "cluster"), message);
        } else {
            addTo(((Map<String, List<String>>) target.get("namespaces")).computeIfAbsent(namespace, k -> new ArrayList<>()),
                    message);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> target, String key) {
        return (List<String>) target.get(key);
    }

    private static void addTo(List<String> list, String message) {
        if (list.size() < MAX_PER_LIST) {
            list.add(message);
        }
    }

    public synchronized int warningCount() {
        return warningCount;
    }

    public synchronized int errorCount() {
        return errorCount;
    }

    /** The first few errors, for the backup record. */
    @SuppressWarnings("unchecked")
    public synchronized List<String> firstErrors(int max) {
        List<String> first = new ArrayList<>(list(errors, "velero"));
        first.addAll(list(errors, "cluster"));
        ((Map<String, List<String>>) errors.get("namespaces")).forEach((ns, messages) ->
                messages.forEach(m -> first.add(ns + ": " + m)));
        return first.subList(0, Math.min(max, first.size()));
    }

    /** {@code {"warnings": ..., "errors": ...}}, the content of {@code <backup>-results.gz}. */
    public synchronized Map<String, Object> toVelero() {
        return Map.of("warnings", warnings, "errors", errors);
    }
}
