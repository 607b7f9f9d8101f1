package io.lifeboat.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.workspace.WorkspaceRun;
import io.lifeboat.workspace.WorkspaceService;

import java.time.Instant;
import java.util.List;

/** A workspace backup or restore: one child per member cluster, and its phase, from theirs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkspaceRunView(String name, String project, Instant createdAt, Spec spec, Status status) {

    public record Spec(String workspace) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(WorkspaceService.RunPhase phase, List<Child> children) {
    }

    /**
     * A member's part: {@code backup} or {@code restore} names the child (absent when skipped), {@code reason} why it
     * was skipped or failed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Child(String cluster, String backup, String restore, WorkspaceService.ChildPhase phase,
                        Progress progress, String reason) {
    }

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
