package io.lifeboat.workspace;

import io.lifeboat.restore.Restore;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A workspace backup or restore: one child per member cluster, and the options every child was given (the
 * {@code backup} spec of a workspace backup, the {@code restore} spec of a workspace restore; the other is null). It
 * keeps the names of its children, whose own records carry their phase and progress; it outlives the workspace.
 * {@code endedAt} is set once, when its end was signalled, and is null before.
 */
public record WorkspaceRun(String project, String name, String workspace, Kind kind, List<Child> children,
                           Instant createdAt, BackupSpec backup, RestoreSpec restore, Instant endedAt) {

    /** A workspace backup or a workspace restore; the constants are the wire names. */
    public enum Kind { backup, restore }

    public WorkspaceRun {
        children = List.copyOf(children);
    }

    public static WorkspaceRun ofBackup(String project, String name, String workspace, BackupSpec spec,
                                        List<Child> children, Instant createdAt) {
        return new WorkspaceRun(project, name, workspace, Kind.backup, children, createdAt, spec, null, null);
    }

    public static WorkspaceRun ofRestore(String project, String name, String workspace, RestoreSpec spec,
                                         List<Child> children, Instant createdAt) {
        return new WorkspaceRun(project, name, workspace, Kind.restore, children, createdAt, null, spec, null);
    }

    /** The same run, its end signalled at {@code at}. */
    public WorkspaceRun ended(Instant at) {
        return new WorkspaceRun(project, name, workspace, kind, children, createdAt, backup, restore, at);
    }

    /** A member cluster's part: the child backup or restore started, or why the cluster was skipped. */
    public record Child(String cluster, String child, String skipped) {
    }

    /**
     * What each child backup was asked for: the workspace's namespaces when the run started (empty means all), and
     * {@code includeClusterResources} null for Velero's default (cluster-scoped items when every namespace is taken).
     */
    public record BackupSpec(String location, Instant expiresAt, boolean includeDisks, Boolean includeClusterResources,
                             List<String> namespaces) {
        public BackupSpec {
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        }
    }

    /** What each child restore was asked for: the workspace backup, the cluster mapping, and the restore's options. */
    public record RestoreSpec(String workspaceBackup, Map<String, String> clusterMapping, Restore.Request options) {
        public RestoreSpec {
            clusterMapping = clusterMapping == null ? Map.of() : Map.copyOf(clusterMapping);
        }
    }
}
