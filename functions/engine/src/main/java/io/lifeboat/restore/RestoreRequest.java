package io.lifeboat.restore;

import java.util.List;
import java.util.Map;

/** The body of {@code POST /v1/projects/{project}/restores}. */
public record RestoreRequest(String name, String backup, String targetCluster, Boolean includeClusterResources,
                             Boolean preserveNodePorts, Boolean restorePVs, List<String> namespaces,
                             Map<String, String> namespaceMapping, Map<String, String> storageClassMapping,
                             String existingResourcePolicy, String labelSelector, List<String> resources) {
}
