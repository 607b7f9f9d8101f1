package io.lifeboat.workspace;

import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunSignals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Tells the signals when a workspace backup or restore ends, which is when the last of its children does: after
 * passing on each child's end, it finds the run the child belongs to (a child is named {@code <run>-<cluster>}) and,
 * when no child is New or InProgress any more, signals the run with its phase (WorkspaceService's). The run's end is
 * recorded with a conditional write first, so that two children ending at once signal it once. A run none of whose
 * children could start has ended when it is created: {@link #check} signals it then.
 */
public final class WorkspaceRunEnds implements RunSignals {
    private static final Logger LOG = Logger.getLogger(WorkspaceRunEnds.class.getName());
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
        if (kind != null) {
            parent(run.project(), kind, run.name()).ifPresent(this::check);
        }
    }

    /**
     * Signals the run's end if it has ended and its end was not signalled yet. A failure to find out is logged, never
     * thrown: the caller (the run's creation, or a child's end) has done its work.
     */
    public void check(WorkspaceRun parent) {
        try {
            signalIfEnded(parent);
        } catch (RuntimeException e) {
            LOG.warning("whether workspace " + parent.kind() + " " + parent.project() + "/" + parent.name()
                    + " has ended could not be found out: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void signalIfEnded(WorkspaceRun parent) {
        WorkspaceService.RunState state = workspaces.state(parent);
        if (state.phase() == WorkspaceService.RunPhase.InProgress) {
            return;
        }
        Instant now = clock.instant();
        if (!runs.markEnded(parent.project(), parent.kind(), parent.name(), now)) {
            return; // signalled already, by the end of another child
        }
        int failed = (int) state.children().stream().filter(c -> c.phase() == WorkspaceService.ChildPhase.Failed
                || c.phase() == WorkspaceService.ChildPhase.Deleted
                || c.phase() == WorkspaceService.ChildPhase.Skipped).count();
        next.ended(new RunEnded(parent.kind() == WorkspaceRun.Kind.backup ? RunEnded.Kind.WORKSPACE_BACKUP
                : RunEnded.Kind.WORKSPACE_RESTORE, parent.project(), parent.name(), state.phase().name(), null,
                state.children().size(), 0, 0, failed, Duration.between(parent.createdAt(), now), now, null));
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
