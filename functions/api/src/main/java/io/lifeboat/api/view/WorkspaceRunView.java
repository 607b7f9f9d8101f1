package io.lifeboat.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.restore.ExistingResourcePolicy;
import io.lifeboat.restore.Restore;
import io.lifeboat.workspace.WorkspaceRun;
import io.lifeboat.workspace.WorkspaceService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A workspace backup or restore: one child per member cluster, and its phase, from theirs. */
@Schema(name = "WorkspaceRun")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkspaceRunView(String name, String project, Instant createdAt, Spec spec, Status status) {

    /**
     * What every child was given, under the request's names: a workspace backup's {@code location}, {@code expiresAt},
     * {@code includeDisks}, {@code includeClusterResources} and the workspace's {@code namespaces} at the start; a
     * workspace restore's {@code workspaceBackup}, {@code clusterMapping} and the restore options.
     */
    @Schema(name = "WorkspaceRunSpec")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String workspace, String location, Instant expiresAt, Boolean includeDisks,
                       Boolean includeClusterResources, List<String> namespaces, String workspaceBackup,
                       Map<String, String> clusterMapping, Boolean preserveNodePorts, Boolean restorePVs,
                       Map<String, String> namespaceMapping, Map<String, String> storageClassMapping,
                       ExistingResourcePolicy existingResourcePolicy, Map<String, String> labelSelector) {

        static Spec of(WorkspaceRun run) {
            if (run.backup() != null) {
                WorkspaceRun.BackupSpec b = run.backup();
                return new Spec(run.workspace(), b.location(), b.expiresAt(), b.includeDisks(),
                        b.includeClusterResources(), b.namespaces(), null, null, null, null, null, null, null, null);
            }
            if (run.restore() != null) {
                WorkspaceRun.RestoreSpec r = run.restore();
                Restore.Request o = r.options();
                return new Spec(run.workspace(), null, null, null, o.includeClusterResources(), null,
                        r.workspaceBackup(), r.clusterMapping(), o.preserveNodePorts(), o.restorePVs(),
                        o.namespaceMapping(), o.storageClassMapping(), o.existingResourcePolicy(), o.labelSelector());
            }
            return new Spec(run.workspace(), null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /** {@code completedAt}: when the last child ended (absent while one runs). */
    @Schema(name = "WorkspaceRunStatus")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(WorkspaceService.RunPhase phase, Instant completedAt, List<Child> children) {
    }

    /**
     * A member's part: {@code backup} or {@code restore} names the child (absent when skipped), {@code reason} why it
     * was skipped or failed.
     */
    @Schema(name = "WorkspaceRunChild")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Child(String cluster, String backup, String restore, WorkspaceService.ChildPhase phase,
                        Progress progress, String reason) {
    }

    @Schema(name = "WorkspaceRunProgress")
    public record Progress(long items, long totalItems) {
    }

    public static WorkspaceRunView of(WorkspaceService.RunState state) {
        WorkspaceRun run = state.run();
        boolean backup = run.kind() == WorkspaceRun.Kind.backup;
        List<Child> children = state.children().stream().map(c -> new Child(c.cluster(), backup ? c.name() : null,
                backup ? null : c.name(), c.phase(), c.items() == null ? null : new Progress(c.items(), c.totalItems()),
                c.reason())).toList();
        return new WorkspaceRunView(run.name(), run.project(), run.createdAt(), Spec.of(run),
                new Status(state.phase(), state.phase() == WorkspaceService.RunPhase.InProgress ? null : run.endedAt(),
                        children));
    }
}
