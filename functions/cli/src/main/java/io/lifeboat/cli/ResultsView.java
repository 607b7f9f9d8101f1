package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Warnings and errors in Velero's shape ({@code {"warnings": {"velero", "cluster", "namespaces": {ns: [...]}},
 * "errors": {...}}}) as {@code velero restore describe} prints them: Lifeboat's own, cluster-scoped, then by namespace,
 * at most {@code max} messages, then how many more there are and how to see them.
 */
final class ResultsView {
    private final Details details;
    private final int max;
    private final String more;
    private int shown;
    private int hidden;

    private ResultsView(Details details, int max, String more) {
        this.details = details;
        this.max = max;
        this.more = more;
    }

    /** Adds "Title (count):" and the messages of {@code kind}; {@code more} says how to see what is cut. */
    static void add(Details details, String title, int count, JsonNode kind, int max, String more) {
        details.heading(title + " (" + count + ")");
        if (!hasAny(kind)) {
            details.text(1, count == 0 ? "<none>" : "(the messages are in the results file: " + more + ")");
            return;
        }
        ResultsView view = new ResultsView(details, max, more);
        view.lines("Lifeboat", kind.path("velero"), 1);
        view.lines("Cluster", kind.path("cluster"), 1);
        JsonNode namespaces = kind.path("namespaces");
        if (namespaces.size() > 0) {
            details.text(1, "Namespaces:");
            for (Iterator<Map.Entry<String, JsonNode>> it = namespaces.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> ns = it.next();
                view.lines(ns.getKey(), ns.getValue(), 2);
            }
        }
        if (view.hidden > 0) {
            details.text(1, "… and " + view.hidden + " more: " + more);
        }
    }

    private void lines(String label, JsonNode messages, int indent) {
        if (messages.size() == 0) {
            return;
        }
        if (shown < max) {
            details.text(indent, label + ":");
        }
        for (JsonNode message : messages) {
            if (shown < max) {
                details.text(indent + 1, message.asText());
                shown++;
            } else {
                hidden++;
            }
        }
    }

    static boolean hasAny(JsonNode kind) {
        if (kind == null || kind.isMissingNode()) {
            return false;
        }
        if (kind.path("velero").size() > 0 || kind.path("cluster").size() > 0) {
            return true;
        }
        for (JsonNode messages : kind.path("namespaces")) {
            if (messages.size() > 0) {
                return true;
            }
        }
        return false;
    }
}
