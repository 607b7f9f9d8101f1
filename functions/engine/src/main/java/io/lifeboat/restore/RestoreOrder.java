package io.lifeboat.restore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which a restore creates types, Velero v1.18's default ({@code defaultRestorePriorities} in
 * pkg/cmd/server/config/config.go): the high priorities first, CRDs at the head, then everything else alphabetically,
 * and the low priorities last. Types are named as in the archive: {@code deployments.apps}, {@code configmaps}.
 */
public final class RestoreOrder {
    public static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";

    /** High priority first. (Velero spells one "volumesnapshotclass" and resolves it by discovery; here it is the folder.) */
    public static final List<String> PRIORITIES = List.of(
            CRDS,
            "namespaces",
            "storageclasses.storage.k8s.io",
            "volumesnapshotclasses.snapshot.storage.k8s.io",
            "volumesnapshotcontents.snapshot.storage.k8s.io",
            "volumesnapshots.snapshot.storage.k8s.io",
            "datauploads.velero.io",
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
            "clusterclasses.cluster.x-k8s.io",
            "endpoints",
            "services");

    /** Restored after everything else, in this order: what reconciles whole clusters must find them complete. */
    public static final List<String> LOW_PRIORITIES = List.of(
            "clusterbootstraps.run.tanzu.vmware.com",
            "clusters.cluster.x-k8s.io",
            "clusterresourcesets.addons.cluster.x-k8s.io",
            "apps.kappctrl.k14s.io",
            "packageinstalls.packaging.carvel.dev");

    private RestoreOrder() {
    }

    /** The high priorities rank by position, everything else after them, and the low priorities after that. */
    public static int rank(String groupResource) {
        int high = PRIORITIES.indexOf(groupResource);
        if (high >= 0) {
            return high;
        }
        int low = LOW_PRIORITIES.indexOf(groupResource);
        return low < 0 ? PRIORITIES.size() : PRIORITIES.size() + 1 + low;
    }

    /** High priorities first, in their order; then the rest by name; then the low priorities, in their order. */
    public static final Comparator<String> COMPARATOR = Comparator.comparingInt(RestoreOrder::rank)
            .thenComparing(Comparator.naturalOrder());

    public static List<String> sort(List<String> groupResources) {
        return groupResources.stream().sorted(COMPARATOR).toList();
    }

    /**
     * The types, sorted, as the steps a restore takes one after another: each high and each low priority type is a
     * step of its own, in its order (CRDs before everything, so that their custom resources can be served; namespaces
     * before what they hold), and every other type is in one step, their order among themselves free (Velero creates
     * them by name, which promises nothing).
     */
    public static List<List<String>> steps(List<String> groupResources) {
        List<List<String>> steps = new ArrayList<>();
        int rank = -1;
        for (String type : sort(groupResources)) {
            if (steps.isEmpty() || rank(type) != rank) {
                steps.add(new ArrayList<>());
                rank = rank(type);
            }
            steps.get(steps.size() - 1).add(type);
        }
        return steps.stream().map(List::copyOf).toList();
    }
}
