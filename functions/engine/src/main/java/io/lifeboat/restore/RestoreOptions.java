package io.lifeboat.restore;

import java.util.List;
import java.util.Map;

/**
 * How a restore treats the items of an archive: which it takes, and how it changes them on the way in.
 * {@code resources} names single items as {@code <resource>[.<group>]/<namespace>/<name>} (or
 * {@code <resource>[.<group>]/<name>} when cluster-scoped).
 */
public record RestoreOptions(String backup, String restore, boolean includeClusterResources, boolean preserveNodePorts,
                             boolean restorePVs, List<String> namespaces, Map<String, String> namespaceMapping,
                             Map<String, String> storageClassMapping, Map<String, String> labelSelector,
                             List<String> resources, Map<String, String> zoneMapping) {

    /** Options without a zone mapping. */
    public RestoreOptions(String backup, String restore, boolean includeClusterResources, boolean preserveNodePorts,
                          boolean restorePVs, List<String> namespaces, Map<String, String> namespaceMapping,
                          Map<String, String> storageClassMapping, Map<String, String> labelSelector,
                          List<String> resources) {
        this(backup, restore, includeClusterResources, preserveNodePorts, restorePVs, namespaces, namespaceMapping,
                storageClassMapping, labelSelector, resources, null);
    }

    public RestoreOptions {
        zoneMapping = zoneMapping == null ? Map.of() : Map.copyOf(zoneMapping);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        namespaceMapping = namespaceMapping == null ? Map.of() : Map.copyOf(namespaceMapping);
        storageClassMapping = storageClassMapping == null ? Map.of() : Map.copyOf(storageClassMapping);
        labelSelector = labelSelector == null ? Map.of() : Map.copyOf(labelSelector);
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    public String targetNamespace(String namespace) {
        return namespace == null ? null : namespaceMapping.getOrDefault(namespace, namespace);
    }
}
