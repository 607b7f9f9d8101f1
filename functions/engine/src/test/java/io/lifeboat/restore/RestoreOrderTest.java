package io.lifeboat.restore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Velero v1.18's default restore priorities (pkg/cmd/server/config/config.go), as archive folder names. */
class RestoreOrderTest {
    static final List<String> VELERO_V1_18 = List.of(
            "customresourcedefinitions.apiextensions.k8s.io", "namespaces", "storageclasses.storage.k8s.io",
            "volumesnapshotclasses.snapshot.storage.k8s.io", "volumesnapshotcontents.snapshot.storage.k8s.io",
            "volumesnapshots.snapshot.storage.k8s.io", "datauploads.velero.io", "persistentvolumes",
            "persistentvolumeclaims", "clusterroles.rbac.authorization.k8s.io", "roles.rbac.authorization.k8s.io",
            "serviceaccounts", "clusterrolebindings.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io",
            "secrets", "configmaps", "limitranges", "priorityclasses.scheduling.k8s.io", "pods", "replicasets.apps",
            "clusterclasses.cluster.x-k8s.io", "endpoints", "services");
    static final List<String> VELERO_V1_18_LOW = List.of(
            "clusterbootstraps.run.tanzu.vmware.com", "clusters.cluster.x-k8s.io",
            "clusterresourcesets.addons.cluster.x-k8s.io", "apps.kappctrl.k14s.io", "packageinstalls.packaging.carvel.dev");

    @Test
    void highPrioritiesThenTheRestAlphabeticallyThenTheLowPriorities() {
        List<String> rest = List.of("deployments.apps", "apps.example.com", "zebras.zoo.io", "clustertasks.tekton.dev",
                "widgets.demo.lifeboat.io", "statefulsets.apps");
        List<String> all = new ArrayList<>(VELERO_V1_18);
        all.addAll(VELERO_V1_18_LOW);
        all.addAll(rest);
        Collections.shuffle(all, new Random(7));

        List<String> expected = new ArrayList<>(VELERO_V1_18);
        expected.addAll(rest.stream().sorted().toList());
        expected.addAll(VELERO_V1_18_LOW);
        assertEquals(expected, RestoreOrder.sort(all));
    }

    @Test
    void eachPriorityIsAStepOfItsOwnAndEveryOtherTypeSharesOneStep() {
        List<String> all = new ArrayList<>(List.of("statefulsets.apps", "widgets.demo.lifeboat.io", "configmaps",
                "clusters.cluster.x-k8s.io", "namespaces", "deployments.apps", "customresourcedefinitions.apiextensions.k8s.io",
                "secrets", "packageinstalls.packaging.carvel.dev"));
        Collections.shuffle(all, new Random(3));
        assertEquals(List.of(
                List.of("customresourcedefinitions.apiextensions.k8s.io"), List.of("namespaces"), List.of("secrets"),
                List.of("configmaps"), List.of("deployments.apps", "statefulsets.apps", "widgets.demo.lifeboat.io"),
                List.of("clusters.cluster.x-k8s.io"), List.of("packageinstalls.packaging.carvel.dev")),
                RestoreOrder.steps(all));
        assertEquals(List.of(), RestoreOrder.steps(List.of()));
    }

    @Test
    void theLowPrioritiesComeAfterTypesThatSortAfterThemByName() {
        // "zebras..." sorts after every low priority by name, and still comes before them
        List<String> sorted = RestoreOrder.sort(List.of("packageinstalls.packaging.carvel.dev", "zebras.zoo.io",
                "apps.kappctrl.k14s.io", "clusters.cluster.x-k8s.io", "configmaps"));
        assertEquals(List.of("configmaps", "zebras.zoo.io", "clusters.cluster.x-k8s.io", "apps.kappctrl.k14s.io",
                "packageinstalls.packaging.carvel.dev"), sorted);
        assertTrue(RestoreOrder.rank("datauploads.velero.io") < RestoreOrder.rank("persistentvolumes"));
        assertTrue(RestoreOrder.rank("clusterclasses.cluster.x-k8s.io") < RestoreOrder.rank("endpoints"));
    }
}
