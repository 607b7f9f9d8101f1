package io.lifeboat.backup;

import io.lifeboat.discovery.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line per type the server serves: how many items the backup holds of it, or why it holds none. Nothing is
 * skipped silently: a type is either read (its count, possibly 0), skipped with a reason, or failed with an error.
 */
final class TypeTally {
    private final Map<String, Line> lines = new TreeMap<>();

    private static final class Line {
        final String resource;
        final String apiVersion;
        final String kind;
        long items;
        String skipped;
        String error;

        Line(String resource, String apiVersion, String kind) {
            this.resource = resource;
            this.apiVersion = apiVersion;
            this.kind = kind;
        }
    }

    private Line line(ResourceType type) {
        return lines.computeIfAbsent(type.groupResource(), k -> new Line(k, type.groupVersion(), type.kind()));
    }

    void skipped(ResourceType type, String reason) {
        Line line = line(type);
        if (line.items == 0 && line.error == null) {
            line.skipped = reason;
        }
    }

    /** The type is read: it shows its count, even 0, and no longer a reason to skip it. */
    void read(ResourceType type) {
        line(type).skipped = null;
    }

    void count(ResourceType type) {
        Line line = line(type);
        line.skipped = null;
        line.items++;
    }

    void failed(ResourceType type, String message) {
        Line line = line(type);
        line.skipped = null;
        line.error = line.error == null ? message : line.error + "; " + message;
    }

    /** A group version discovery could not read: its types are unknown, so the line names the group version. */
    void unreadable(String groupVersion, String message) {
        Line line = lines.computeIfAbsent(groupVersion, k -> new Line(k, groupVersion, null));
        line.error = message;
    }

    List<Backup.TypeCount> counts() {
        List<Backup.TypeCount> counts = new ArrayList<>();
        for (Line line : lines.values()) {
            counts.add(new Backup.TypeCount(line.resource, line.apiVersion, line.kind, line.items, line.skipped, line.error));
        }
        return counts;
    }
}
