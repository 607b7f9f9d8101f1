package io.lifeboat.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Warnings and errors in Velero's results shape: {@code {"velero": [...], "cluster": [...], "namespaces": {ns: [...]}}}.
 * Counts are exact. The results file ({@link #toVelero()}) holds every message, up to {@link #MAX_KEPT} messages (and
 * {@link #MAX_KEPT_CHARS} characters) of each kind to bound memory; past that it ends with one line saying how many
 * more there were. Each message is cut at {@link #MAX_MESSAGE_CHARS}. A record keeps only the first few
 * ({@link #summary(int)}), so that it stays far below DynamoDB's 400 KB item.
 */
public final class Results {
    public static final int MAX_KEPT = 100_000;
    public static final long MAX_KEPT_CHARS = 16L * 1024 * 1024;
    public static final int MAX_MESSAGE_CHARS = 2_000;
    /** How many warnings and how many errors a record keeps. */
    public static final int ON_RECORD = 20;

    private final Kind warnings = new Kind("warnings");
    private final Kind errors = new Kind("errors");

    /** The messages of one kind (warnings or errors), in Velero's shape, and what was not kept. */
    private static final class Kind {
        final String name;
        final List<String> velero = new ArrayList<>();
        final List<String> cluster = new ArrayList<>();
        final Map<String, List<String>> namespaces = new TreeMap<>();
        int count;
        int kept;
        long keptChars;

        Kind(String name) {
            this.name = name;
        }

        void add(List<String> list, String message) {
            count++;
            String capped = capped(message);
            if (kept >= MAX_KEPT || keptChars + capped.length() > MAX_KEPT_CHARS) {
                return;
            }
            kept++;
            keptChars += capped.length();
            list.add(capped);
        }

        List<String> of(String namespace) {
            return namespace == null ? cluster : namespaces.computeIfAbsent(namespace, k -> new ArrayList<>());
        }

        /**
         * Velero's shape with at most {@code max} messages, the first ones: Lifeboat's, cluster-scoped, by namespace.
         * The file's shape says, last among Lifeboat's own messages, how many were not kept.
         */
        Map<String, Object> shape(int max, boolean file) {
            int[] left = {max};
            Map<String, Object> shape = new LinkedHashMap<>();
            List<String> ofRun = first(velero, left);
            if (file && count > kept) {
                ofRun.add("… and " + (count - kept) + " more " + name + ", not kept in this file (it holds the first "
                        + kept + ")");
            }
            shape.put("velero", ofRun);
            shape.put("cluster", first(cluster, left));
            Map<String, List<String>> byNamespace = new TreeMap<>();
            namespaces.forEach((ns, messages) -> {
                if (left[0] > 0) {
                    byNamespace.put(ns, first(messages, left));
                }
            });
            shape.put("namespaces", byNamespace);
            return shape;
        }

        private static List<String> first(List<String> messages, int[] left) {
            List<String> taken = new ArrayList<>(messages.subList(0, Math.min(left[0], messages.size())));
            left[0] -= taken.size();
            return taken;
        }
    }

    /** A message cut to {@link #MAX_MESSAGE_CHARS}, saying so. */
    public static String capped(String message) {
        String text = String.valueOf(message);
        return text.length() <= MAX_MESSAGE_CHARS ? text
                : text.substring(0, MAX_MESSAGE_CHARS) + "… (" + (text.length() - MAX_MESSAGE_CHARS) + " more characters)";
    }

    public synchronized void warn(String namespace, String message) {
        warnings.add(warnings.of(namespace), message);
    }

    public synchronized void error(String namespace, String message) {
        errors.add(errors.of(namespace), message);
    }

    /** A problem of Lifeboat itself rather than of one namespace or cluster-scoped object. */
    public synchronized void errorOfRun(String message) {
        errors.add(errors.velero, message);
    }

    public synchronized int warningCount() {
        return warnings.count;
    }

    public synchronized int errorCount() {
        return errors.count;
    }

    /** The first few errors, for the backup record. */
    public synchronized List<String> firstErrors(int max) {
        List<String> first = new ArrayList<>(errors.velero);
        first.addAll(errors.cluster);
        errors.namespaces.forEach((ns, messages) -> messages.forEach(m -> first.add(ns + ": " + m)));
        return List.copyOf(first.subList(0, Math.min(max, first.size())));
    }

    /** {@code {"warnings": ..., "errors": ...}}, the content of Velero's results file: every message kept. */
    public synchronized Map<String, Object> toVelero() {
        return Map.of("warnings", warnings.shape(Integer.MAX_VALUE, true), "errors",
                errors.shape(Integer.MAX_VALUE, true));
    }

    /** The same shape with at most {@code max} warnings and {@code max} errors: what a record keeps. */
    public synchronized Map<String, Object> summary(int max) {
        return Map.of("warnings", warnings.shape(max, false), "errors", errors.shape(max, false));
    }
}
