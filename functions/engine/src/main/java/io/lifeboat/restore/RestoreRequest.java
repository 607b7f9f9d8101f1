package io.lifeboat.restore;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/projects/{project}/restores}. {@code dryRun}: compute what the restore would do with
 * every item, against the target as it is, and write nothing to it.
 */
public record RestoreRequest(String name, String backup, String targetCluster, Boolean includeClusterResources,
                             Boolean preserveNodePorts, Boolean restorePVs, List<String> namespaces,
                             Map<String, String> namespaceMapping, Map<String, String> storageClassMapping,
                             String existingResourcePolicy, String labelSelector, List<String> resources,
                             Boolean dryRun) {

    /** A request that applies what it restores. */
    public RestoreRequest(String name, String backup, String targetCluster, Boolean includeClusterResources,
                          Boolean preserveNodePorts, Boolean restorePVs, List<String> namespaces,
                          Map<String, String> namespaceMapping, Map<String, String> storageClassMapping,
                          String existingResourcePolicy, String labelSelector, List<String> resources) {
        this(name, backup, targetCluster, includeClusterResources, preserveNodePorts, restorePVs, namespaces,
                namespaceMapping, storageClassMapping, existingResourcePolicy, labelSelector, resources, null);
    }
}
