package io.lifeboat.workspace;

import java.time.Instant;
import java.util.List;

/**
 * A workspace backup or restore: one child per member cluster. It keeps the names of its children, whose own
 * records carry their phase and progress; it outlives the workspace.
 */
public record WorkspaceRun(String project, String name, String workspace, Kind kind, List<Child> children,
                           Instant createdAt) {

    /** A workspace backup or a workspace restore; the constants are the wire names. */
    public enum Kind { backup, restore }

    public WorkspaceRun {
        children = List.copyOf(children);
    }

    /** A member cluster's part: the child backup or restore started, or why the cluster was skipped. */
    public record Child(String cluster, String child, String skipped) {
    }
}
