package io.lifeboat.workspace;

import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunSignals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tells the signals when a workspace backup or restore ends, which is when the last of its children does: after
 * passing on each child's end, it finds the run the child belongs to (a child is named {@code <run>-<cluster>}) and,
 * when no child is New or InProgress any more, signals the run with its phase (WorkspaceService's). Two children
 * ending at once may both find the run ended: its end is signalled at least once.
 */
public final class WorkspaceRunEnds implements RunSignals {
    private final RunSignals next;
    private final WorkspaceRepository runs;
    private final WorkspaceService workspaces;
    private final Clock clock;

    public WorkspaceRunEnds(RunSignals next, WorkspaceRepository runs, WorkspaceService workspaces, Clock clock) {
        this.next = next;
        this.runs = runs;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    @Override
    public void ended(RunEnded run) {
        next.ended(run);
        WorkspaceRun.Kind kind = switch (run.kind()) {
            case BACKUP -> WorkspaceRun.Kind.backup;
            case RESTORE -> WorkspaceRun.Kind.restore;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        parent(run.project(), kind, run.name()).ifPresent(parent -> {
            WorkspaceService.RunState state = workspaces.state(parent);
            if (state.phase() == WorkspaceService.RunPhase.InProgress) {
                return;
            }
            int failed = (int) state.children().stream().filter(c -> c.phase() == WorkspaceService.ChildPhase.Failed
                    || c.phase() == WorkspaceService.ChildPhase.Deleted
                    || c.phase() == WorkspaceService.ChildPhase.Skipped).count();
            next.ended(new RunEnded(kind == WorkspaceRun.Kind.backup ? RunEnded.Kind.WORKSPACE_BACKUP
                    : RunEnded.Kind.WORKSPACE_RESTORE, parent.project(), parent.name(), state.phase().name(), null,
                    state.children().size(), 0, 0, failed, Duration.between(parent.createdAt(), clock.instant()),
                    clock.instant(), null));
        });
    }

    /** The workspace run that lists {@code child}, if any: its name is the child's up to one of its dashes. */
    private Optional<WorkspaceRun> parent(String project, WorkspaceRun.Kind kind, String child) {
        for (int dash = child.lastIndexOf('-'); dash > 0; dash = child.lastIndexOf('-', dash - 1)) {
            Optional<WorkspaceRun> found = runs.findRun(project, kind, child.substring(0, dash))
                    .filter(run -> run.children().stream().anyMatch(c -> child.equals(c.child())));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
