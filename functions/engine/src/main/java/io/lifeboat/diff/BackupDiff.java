package io.lifeboat.diff;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * What changed from one backup to another: per type (Velero's resource folder, {@code deployments.apps}), the objects
 * added, removed and changed (by {@code namespace/name}, or {@code name} when cluster-scoped, in name order), and how
 * many are unchanged. Objects are compared without what servers own ({@code restore.ObjectComparison}), so that a new
 * {@code resourceVersion} or {@code status} is no change. A changed object carries its JSON Patch (RFC 6902) from the
 * first backup's object to the second's, unless the diff held its limit of patches ({@code patchesOmitted} counts
 * those without one).
 */
public record BackupDiff(String from, String to, Summary summary, List<TypeChanges> types, long patchesOmitted) {

    public record Summary(long added, long removed, long changed, long unchanged) {
    }

    /** One type's changes; a type with nothing added, removed or changed is not listed. */
    public record TypeChanges(String resource, List<String> added, List<String> removed, List<Changed> changed,
                              long unchanged) {
    }

    /** A changed object, with its patch (null when omitted). */
    public record Changed(String name, JsonNode patch) {
    }
}
