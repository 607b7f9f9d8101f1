package io.lifeboat.restore;

import java.util.Comparator;
import java.util.List;

/**
 * The order in which a restore creates types, as Velero does: CRDs first, then what others depend on, then
 * everything else alphabetically (pkg/restore/restore.go). Types are named as in the archive: {@code
 * deployments.apps}, {@code configmaps}.
 */
public final class RestoreOrder {
    public static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";

    /** High priority first. */
    public static final List<String> PRIORITIES = List.of(
            CRDS,
            "namespaces",
            "storageclasses.storage.k8s.io",
            "volumesnapshotclasses.snapshot.storage.k8s.io",
            "volumesnapshotcontents.snapshot.storage.k8s.io",
            "volumesnapshots.snapshot.storage.k8s.io",
            "persistentvolumes",
            "persistentvolumeclaims",
            "clusterroles.rbac.authorization.k8s.io",
            "roles.rbac.authorization.k8s.io",
            "serviceaccounts",
            "clusterrolebindings.rbac.authorization.k8s.io",
            "rolebindings.rbac.authorization.k8s.io",
            "secrets",
            "configmaps",
            "limitranges",
            "priorityclasses.scheduling.k8s.io",
            "pods",
            "replicasets.apps",
            "endpoints",
            "services");

    private RestoreOrder() {
    }

    public static int rank(String groupResource) {
        int index = PRIORITIES.indexOf(groupResource);
        return index < 0 ? PRIORITIES.size() : index;
    }

    /** Priorities first, in their order; then the rest by name. */
    public static final Comparator<String> COMPARATOR = Comparator.comparingInt(RestoreOrder::rank)
            .thenComparing(Comparator.naturalOrder());

    public static List<String> sort(List<String> groupResources) {
        return groupResources.stream().sorted(COMPARATOR).toList();
    }
}
