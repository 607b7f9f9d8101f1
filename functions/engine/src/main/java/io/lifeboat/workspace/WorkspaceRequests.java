package io.lifeboat.workspace;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** The bodies of the workspace endpoints. */
public final class WorkspaceRequests {
    private WorkspaceRequests() {
    }

    /** {@code POST …/workspaces}. */
    public record Create(String name, List<String> clusters, List<String> namespaces) {
    }

    /** {@code POST …/workspaces/{name}/clusters} and its DELETE. */
    public record Member(String cluster) {
    }

    /** {@code POST …/workspaces/{name}/backups}. */
    public record Backup(String name, String location, OffsetDateTime expiresAt, Boolean includeDisks,
                         Boolean includeClusterResources) {
    }

    /** {@code POST …/workspaces/{name}/restores}: the options apply to every child restore. */
    public record Restore(String name, String workspaceBackup, Map<String, String> clusterMapping,
                          Boolean includeClusterResources, Boolean preserveNodePorts, Boolean restorePVs,
                          Map<String, String> namespaceMapping, Map<String, String> storageClassMapping,
                          String existingResourcePolicy, String labelSelector) {
    }
}
