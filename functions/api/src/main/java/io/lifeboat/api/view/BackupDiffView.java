package io.lifeboat.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.diff.BackupDiff;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * What changed from backup {@code from} to backup {@code to} ({@code GET …/backups/{name}/diff/{other}}): not a
 * resource, so not in the resource shape. Per type (Velero's resource folder, {@code deployments.apps}), the objects
 * added, removed and changed ({@code namespace/name}, or {@code name} when cluster-scoped), each changed one with its
 * JSON Patch (RFC 6902) from the first backup's object to the second's, both without what servers own; a changed object
 * past the diff's limit of patches has none, and {@code patchesOmitted} counts them.
 */
@Schema(name = "BackupDiff")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupDiffView(String from, String to, Summary summary, List<Type> types, long patchesOmitted) {

    @Schema(name = "BackupDiffSummary")
    public record Summary(long added, long removed, long changed, long unchanged) {
    }

    /** One type with something added, removed or changed. */
    @Schema(name = "BackupDiffType")
    public record Type(String resource, List<String> added, List<String> removed, List<Changed> changed,
                       long unchanged) {
    }

    @Schema(name = "BackupDiffChange")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Changed(String name,
                          @Schema(type = SchemaType.ARRAY, description = "RFC 6902 operations: {op, path, value?}")
                          JsonNode patch) {
    }

    public static BackupDiffView of(BackupDiff d) {
        return new BackupDiffView(d.from(), d.to(), new Summary(d.summary().added(), d.summary().removed(),
                d.summary().changed(), d.summary().unchanged()),
                d.types().stream().map(t -> new Type(t.resource(), t.added(), t.removed(),
                        t.changed().stream().map(c -> new Changed(c.name(), c.patch())).toList(), t.unchanged())).toList(),
                d.patchesOmitted());
    }
}
