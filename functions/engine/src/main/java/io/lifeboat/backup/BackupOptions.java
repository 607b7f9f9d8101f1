package io.lifeboat.backup;

import java.util.List;

/**
 * What a backup reads. {@code includeClusterResources}: true, every cluster-scoped type; false, none but the CRDs
 * of backed-up custom resources and the PVs of backed-up claims; null, all of them when every namespace is
 * included and otherwise as false (Velero's rule).
 */
public record BackupOptions(List<String> namespaces, Boolean includeClusterResources, int pageSize) {

    public BackupOptions {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    public boolean allNamespaces() {
        return namespaces.isEmpty();
    }

    public boolean allClusterResources() {
        return includeClusterResources != null ? includeClusterResources : allNamespaces();
    }
}
