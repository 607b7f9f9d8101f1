package io.lifeboat.restore;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/projects/{project}/restores}. {@code dryRun}: compute what the restore would do with
 * every item, against the target as it is, and write nothing to it. {@code zoneMapping}: the zone each disk made from a
 * native snapshot goes to, by the zone of the disk it was taken of (unmapped: the same zone).
 */
public record RestoreRequest(String name, String backup, String targetCluster, Boolean includeClusterResources,
                             Boolean preserveNodePorts, Boolean restorePVs, List<String> namespaces,
                             Map<String, String> namespaceMapping, Map<String, String> storageClassMapping,
                             String existingResourcePolicy, String labelSelector, List<String> resources,
                             Boolean dryRun, Map<String, String> zoneMapping) {

    /** A request that applies what it restores, without a zone mapping. */
    public RestoreRequest(String name, String backup, String targetCluster, Boolean includeClusterResources,
                          Boolean preserveNodePorts, Boolean restorePVs, List<String> namespaces,
                          Map<String, String> namespaceMapping, Map<String, String> storageClassMapping,
                          String existingResourcePolicy, String labelSelector, List<String> resources) {
        this(name, backup, targetCluster, includeClusterResources, preserveNodePorts, restorePVs, namespaces,
                namespaceMapping, storageClassMapping, existingResourcePolicy, labelSelector, resources, null, null);
    }
}
