package io.lifeboat.sandbox.kube;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The built-in resource types the sandbox serves: the single source of truth for its discovery documents.
 * Anything not listed here (or defined by a CustomResourceDefinition in the sandbox) is not announced to clients,
 * though the underlying store would accept it.
 *
 * <p>The VolumeSnapshot types are CRDs on a real cluster; the sandbox treats them as built in because the backup
 * feature relies on them.
 */
public final class BuiltInResources {
    static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    /** Namespaces cannot be deleted as a collection. */
    static final List<String> NO_COLLECTION_VERBS =
            List.of("create", "delete", "get", "list", "patch", "update", "watch");
    static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");
    static final List<String> GET_ONLY = List.of("get");

    private static final List<ApiResourceType> TABLE = buildTable();

    private BuiltInResources() {
    }

    /** Every built-in type and subresource, grouped by group/version, in discovery order. */
    public static List<ApiResourceType> all() {
        return TABLE;
    }

    /** Built-in group names other than the core group, in discovery order. */
    public static List<String> groups() {
        return TABLE.stream().map(ApiResourceType::group).filter(g -> !g.isEmpty()).distinct().toList();
    }

    private static List<ApiResourceType> buildTable() {
        Table t = new Table();

        t.at("", "v1");
        t.cluster("namespaces", "namespace", "Namespace", NO_COLLECTION_VERBS, List.of("ns"), List.of());
        t.status("namespaces", "Namespace", false);
        t.namespaced("configmaps", "configmap", "ConfigMap", "cm");
        t.namespaced("secrets", "secret", "Secret");
        t.namespacedAll("services", "service", "Service", "svc");
        t.status("services", "Service", true);
        t.namespaced("serviceaccounts", "serviceaccount", "ServiceAccount", "sa");
        t.cluster("persistentvolumes", "persistentvolume", "PersistentVolume", "pv");
        t.status("persistentvolumes", "PersistentVolume", false);
        t.namespaced("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", "pvc");
        t.status("persistentvolumeclaims", "PersistentVolumeClaim", true);
        t.namespacedAll("pods", "pod", "Pod", "po");
        t.subresource("pods/log", "Pod", true, GET_ONLY);
        t.status("pods", "Pod", true);
        t.namespaced("endpoints", "endpoints", "Endpoints", "ep");
        t.namespaced("events", "event", "Event", "ev");
        t.cluster("nodes", "node", "Node", "no");
        t.status("nodes", "Node", false);
        t.namespaced("limitranges", "limitrange", "LimitRange", "limits");
        t.namespaced("resourcequotas", "resourcequota", "ResourceQuota", "quota");
        t.status("resourcequotas", "ResourceQuota", true);
        t.namespacedAll("replicationcontrollers", "replicationcontroller", "ReplicationController", "rc");
        t.subresource("replicationcontrollers/scale", "Scale", true, SUBRESOURCE_VERBS);
        t.status("replicationcontrollers", "ReplicationController", true);

        t.at("apps", "v1");
        t.namespacedAll("deployments", "deployment", "Deployment", "deploy");
        t.subresource("deployments/scale", "Scale", true, SUBRESOURCE_VERBS);
        t.status("deployments", "Deployment", true);
        t.namespacedAll("statefulsets", "statefulset", "StatefulSet", "sts");
        t.subresource("statefulsets/scale", "Scale", true, SUBRESOURCE_VERBS);
        t.status("statefulsets", "StatefulSet", true);
        t.namespacedAll("daemonsets", "daemonset", "DaemonSet", "ds");
        t.status("daemonsets", "DaemonSet", true);
        t.namespacedAll("replicasets", "replicaset", "ReplicaSet", "rs");
        t.subresource("replicasets/scale", "Scale", true, SUBRESOURCE_VERBS);
        t.status("replicasets", "ReplicaSet", true);
        t.namespaced("controllerrevisions", "controllerrevision", "ControllerRevision");

        t.at("batch", "v1");
        t.namespacedAll("jobs", "job", "Job");
        t.status("jobs", "Job", true);
        t.namespacedAll("cronjobs", "cronjob", "CronJob", "cj");
        t.status("cronjobs", "CronJob", true);

        t.at("rbac.authorization.k8s.io", "v1");
        t.namespaced("roles", "role", "Role");
        t.namespaced("rolebindings", "rolebinding", "RoleBinding");
        t.cluster("clusterroles", "clusterrole", "ClusterRole");
        t.cluster("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding");

        t.at("storage.k8s.io", "v1");
        t.cluster("storageclasses", "storageclass", "StorageClass", "sc");
        t.cluster("csinodes", "csinode", "CSINode");
        t.cluster("volumeattachments", "volumeattachment", "VolumeAttachment");
        t.status("volumeattachments", "VolumeAttachment", false);
        t.cluster("csidrivers", "csidriver", "CSIDriver");

        t.at("networking.k8s.io", "v1");
        t.namespaced("ingresses", "ingress", "Ingress", "ing");
        t.status("ingresses", "Ingress", true);
        t.namespaced("networkpolicies", "networkpolicy", "NetworkPolicy", "netpol");
        t.cluster("ingressclasses", "ingressclass", "IngressClass");

        t.at("policy", "v1");
        t.namespaced("poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", "pdb");
        t.status("poddisruptionbudgets", "PodDisruptionBudget", true);

        t.at("apiextensions.k8s.io", "v1");
        t.cluster("customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", "crd", "crds");
        t.status("customresourcedefinitions", "CustomResourceDefinition", false);

        t.at("scheduling.k8s.io", "v1");
        t.cluster("priorityclasses", "priorityclass", "PriorityClass", "pc");

        t.at("coordination.k8s.io", "v1");
        t.namespaced("leases", "lease", "Lease");

        t.at("events.k8s.io", "v1");
        t.namespaced("events", "event", "Event", "ev");

        t.at("snapshot.storage.k8s.io", "v1");
        t.namespaced("volumesnapshots", "volumesnapshot", "VolumeSnapshot", "vs");
        t.status("volumesnapshots", "VolumeSnapshot", true);
        t.cluster("volumesnapshotcontents", "volumesnapshotcontent", "VolumeSnapshotContent", "vsc", "vscs");
        t.status("volumesnapshotcontents", "VolumeSnapshotContent", false);
        t.cluster("volumesnapshotclasses", "volumesnapshotclass", "VolumeSnapshotClass", "vsclass", "vsclasses");

        t.at("autoscaling", "v2");
        t.namespacedAll("horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", "hpa");
        t.status("horizontalpodautoscalers", "HorizontalPodAutoscaler", true);

        t.at("discovery.k8s.io", "v1");
        t.namespaced("endpointslices", "endpointslice", "EndpointSlice");

        return Collections.unmodifiableList(t.rows);
    }

    /** Collects rows for one group/version at a time, so that the table above stays one line per type. */
    private static final class Table {
        private final List<ApiResourceType> rows = new ArrayList<>();
        private String group;
        private String version;

        void at(String group, String version) {
            this.group = group;
            this.version = version;
        }

        void namespaced(String plural, String singular, String kind, String... shortNames) {
            add(plural, singular, kind, true, ALL_VERBS, List.of(shortNames), List.of());
        }

        /** A namespaced type in the "all" category, which {@code kubectl get all} shows. */
        void namespacedAll(String plural, String singular, String kind, String... shortNames) {
            add(plural, singular, kind, true, ALL_VERBS, List.of(shortNames), List.of("all"));
        }

        void cluster(String plural, String singular, String kind, String... shortNames) {
            add(plural, singular, kind, false, ALL_VERBS, List.of(shortNames), List.of());
        }

        void cluster(String plural, String singular, String kind, List<String> verbs, List<String> shortNames,
                     List<String> categories) {
            add(plural, singular, kind, false, verbs, shortNames, categories);
        }

        void status(String plural, String kind, boolean namespaced) {
            subresource(plural + "/status", kind, namespaced, SUBRESOURCE_VERBS);
        }

        void subresource(String name, String kind, boolean namespaced, List<String> verbs) {
            add(name, "", kind, namespaced, verbs, List.of(), List.of());
        }

        private void add(String plural, String singular, String kind, boolean namespaced, List<String> verbs,
                         List<String> shortNames, List<String> categories) {
            rows.add(new ApiResourceType(group, version, plural, singular, kind, namespaced, verbs, shortNames,
                    categories));
        }
    }
}
