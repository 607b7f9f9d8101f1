package io.lifeboat.api.view;


import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.workspace.WorkspaceRun;
import io.lifeboat.workspace.WorkspaceService;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A workspace backup or restore: one child per member cluster, and its phase, from theirs. */
@Schema(name = "WorkspaceRun")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkspaceRunView(String name, String project, Instant createdAt, Spec spec, Status status) {

    @Schema(name = "WorkspaceRunSpec")
    public record Spec(String workspace) {
    }

    @Schema(name = "WorkspaceRunStatus")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(WorkspaceService.RunPhase phase, List<Child> children) {
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
        return new WorkspaceRunView(run.name(), run.project(), run.createdAt(), new Spec(run.workspace()),
                new Status(state.phase(), children));
    }
}
