package io.lifeboat.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a restore does to one archived item before it is applied: whether it is taken at all (filters, finished pods
 * and jobs, volumes provisioned anew), and how it is changed (server-owned fields stripped, per-kind rules, namespace
 * and storage-class mapping, labels naming the backup and the restore). Velero's rules, from pkg/restore.
 */
public final class ItemRules {
    public static final String BACKUP_LABEL = "velero.io/backup-name";
    public static final String RESTORE_LABEL = "velero.io/restore-name";
    private static final List<String> SERVER_OWNED_METADATA = List.of("generateName", "selfLink", "uid", "resourceVersion",
            "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences",
            "managedFields");
    private static final List<String> BINDING_ANNOTATIONS = List.of("pv.kubernetes.io/bind-completed",
            "pv.kubernetes.io/bound-by-controller");
    private static final List<String> JOB_CONTROLLER_LABELS = List.of("controller-uid", "batch.kubernetes.io/controller-uid");
    /** Cluster-scoped types taken even without includeClusterResources: what namespaced items cannot live without. */
    private static final Set<String> ALWAYS_CLUSTER_TYPES = Set.of("namespaces", RestoreOrder.CRDS, "persistentvolumes");

    private final RestoreOptions options;
    /** What happens to volumes and their claims. */
    private final VolumePlan volumes;

    /** Rules for an archive without volumes, or whose volumes are decided from themselves alone. */
    public ItemRules(RestoreOptions options) {
        this(options, new VolumePlan(options, List.of()));
    }

    public ItemRules(RestoreOptions options, VolumePlan volumes) {
        this.options = options;
        this.volumes = volumes;
    }

    /**
     * The item to apply, or why it is skipped; {@code note} says what was decided for a volume or a claim, for the
     * restore's log.
     */
    public record Decision(ObjectNode item, String skipped, String note) {
        static Decision apply(ObjectNode item) {
            return new Decision(item, null, null);
        }

        static Decision skip(String why) {
            return new Decision(null, why, null);
        }

        Decision noting(String note) {
            return new Decision(item, skipped, note);
        }

        public boolean applies() {
            return item != null;
        }
    }

    public Decision decide(String groupResource, ObjectNode original) {
        ObjectNode item = original.deepCopy();
        ObjectNode metadata = object(item, "metadata");
        String namespace = text(metadata, "namespace");
        String name = text(metadata, "name");

        String filtered = filter(groupResource, namespace, name, metadata);
        if (filtered != null) {
            return Decision.skip(filtered);
        }
        String finished = finished(groupResource, item);
        if (finished != null) {
            return Decision.skip(finished);
        }
        VolumePlan.Fate fate = groupResource.equals("persistentvolumes") ? volumes.fate(item) : null;
        if (fate != null && fate.provisionedAnew()) {
            return Decision.skip(fate.reason()).noting("persistentvolume " + name + " " + fate.reason());
        }
        String note = fate == null ? null : "persistentvolume " + name + " " + fate.reason();

        SERVER_OWNED_METADATA.forEach(metadata::remove);
        item.remove("status");
        ObjectNode labels = object(metadata, "labels");
        labels.put(BACKUP_LABEL, options.backup());
        labels.put(RESTORE_LABEL, options.restore());
        if (namespace != null) {
            metadata.put("namespace", options.targetNamespace(namespace));
        }
        switch (groupResource) {
            case "namespaces" -> metadata.put("name", options.targetNamespace(name));
            case "services" -> service(item);
            case "persistentvolumes" -> persistentVolume(item);
            case "persistentvolumeclaims" -> note = persistentVolumeClaim(item, namespace, name);
            case "statefulsets.apps" -> statefulSet(item);
            case "pods" -> pod(item);
            case "jobs.batch" -> job(item);
            default -> {
            }
        }
        return Decision.apply(item).noting(note);
    }

    private String filter(String groupResource, String namespace, String name, ObjectNode metadata) {
        boolean clusterScoped = namespace == null;
        if (clusterScoped && !options.includeClusterResources() && !ALWAYS_CLUSTER_TYPES.contains(groupResource)) {
            return "cluster-scoped, and includeClusterResources is off";
        }
        if (!options.namespaces().isEmpty()) {
            if (!clusterScoped && !options.namespaces().contains(namespace)) {
                return "namespace " + namespace + " is not included";
            }
            if (groupResource.equals("namespaces") && !options.namespaces().contains(name)) {
                return "namespace " + name + " is not included";
            }
        }
        if (!options.resources().isEmpty()) {
            String id = groupResource + "/" + (clusterScoped ? "" : namespace + "/") + name;
            if (!options.resources().contains(id)) {
                return "not among the resources asked for";
            }
        }
        for (Map.Entry<String, String> wanted : options.labelSelector().entrySet()) {
            if (!wanted.getValue().equals(metadata.path("labels").path(wanted.getKey()).asText(null))) {
                return "its labels do not match " + wanted.getKey() + "=" + wanted.getValue();
            }
        }
        return null;
    }

    /** Pods that ran to the end, mirror pods, and finished jobs are never restored. */
    private static String finished(String groupResource, ObjectNode item) {
        if (groupResource.equals("pods")) {
            String phase = item.path("status").path("phase").asText("");
            if (phase.equals("Succeeded") || phase.equals("Failed")) {
                return "the pod has " + phase.toLowerCase() + "";
            }
            if (item.path("metadata").path("annotations").has("kubernetes.io/config.mirror")) {
                return "a mirror pod belongs to its node";
            }
        }
        if (groupResource.equals("jobs.batch") && item.path("status").hasNonNull("completionTime")) {
            return "the job has finished";
        }
        return null;
    }

    private void service(ObjectNode item) {
        ObjectNode spec = object(item, "spec");
        if (!"None".equals(spec.path("clusterIP").asText())) {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
        }
        if (!options.preserveNodePorts()) {
            spec.remove("healthCheckNodePort");
            for (JsonNode port : spec.path("ports")) {
                ((ObjectNode) port).remove("nodePort");
            }
        }
    }

    private void persistentVolume(ObjectNode item) {
        ObjectNode spec = object(item, "spec");
        mapStorageClass(spec);
        if (spec.has("claimRef")) {
            ObjectNode claimRef = object(spec, "claimRef");
            claimRef.remove("uid");
            claimRef.remove("resourceVersion");
            if (claimRef.has("namespace")) {
                claimRef.put("namespace", options.targetNamespace(claimRef.get("namespace").asText()));
            }
        }
        removeBindingAnnotations(item);
    }

    /**
     * As the volume plan says: provisioned from a snapshot (a new volume, filled with the backed-up data), reset for
     * dynamic provisioning, or bound again to its restored volume. Returns what was decided, for the log.
     */
    private String persistentVolumeClaim(ObjectNode item, String namespace, String name) {
        ObjectNode spec = object(item, "spec");
        mapStorageClass(spec);
        VolumePlan.ClaimPlan plan = volumes.claim(namespace, name, text(spec, "volumeName"));
        if (spec.has("volumeName")) {
            removeBindingAnnotations(item); // the claim is bound anew, whatever happens to its volume
        }
        if (!plan.keepsVolumeName()) {
            spec.remove("volumeName");
        }
        if (plan.dropsDataSource()) {
            spec.remove("dataSource");
            spec.remove("dataSourceRef");
        }
        if (plan.dataSourceSnapshot() != null) {
            spec.remove("dataSourceRef");
            ObjectNode source = spec.putObject("dataSource");
            source.put("apiGroup", "snapshot.storage.k8s.io");
            source.put("kind", "VolumeSnapshot");
            source.put("name", plan.dataSourceSnapshot());
        }
        return plan.reason();
    }

    private void statefulSet(ObjectNode item) {
        for (JsonNode template : item.path("spec").path("volumeClaimTemplates")) {
            mapStorageClass(object((ObjectNode) template, "spec"));
        }
    }

    /** A pod is scheduled anew, and gets a fresh service-account token from the target cluster. */
    private static void pod(ObjectNode item) {
        ObjectNode spec = object(item, "spec");
        spec.remove("nodeName");
        spec.remove("priority");
        ArrayNode volumes = spec.has("volumes") ? (ArrayNode) spec.get("volumes") : null;
        if (volumes == null) {
            return;
        }
        java.util.Set<String> dropped = new java.util.HashSet<>();
        for (Iterator<JsonNode> it = volumes.iterator(); it.hasNext(); ) {
            JsonNode volume = it.next();
            boolean token = false;
            for (JsonNode source : volume.path("projected").path("sources")) {
                token |= source.has("serviceAccountToken");
            }
            if (token) {
                dropped.add(volume.path("name").asText());
                it.remove();
            }
        }
        for (String containers : List.of("containers", "initContainers")) {
            for (JsonNode container : spec.path(containers)) {
                if (container.has("volumeMounts")) {
                    ((ArrayNode) container.get("volumeMounts")).removeIf(m -> dropped.contains(m.path("name").asText()));
                }
            }
        }
    }

    /** The old job's controller uid would tie the new job's pods to an object that does not exist. */
    private static void job(ObjectNode item) {
        JOB_CONTROLLER_LABELS.forEach(object(object(item, "metadata"), "labels")::remove);
        ObjectNode spec = object(item, "spec");
        if (spec.has("selector")) {
            ObjectNode matchLabels = object(object(spec, "selector"), "matchLabels");
            JOB_CONTROLLER_LABELS.forEach(matchLabels::remove);
            if (matchLabels.isEmpty() && object(spec, "selector").size() == 1) {
                spec.remove("selector");
            }
        }
        if (spec.path("template").path("metadata").has("labels")) {
            JOB_CONTROLLER_LABELS.forEach(((ObjectNode) spec.get("template").get("metadata").get("labels"))::remove);
        }
    }

    private void mapStorageClass(ObjectNode spec) {
        String current = spec.path("storageClassName").asText(null);
        if (current != null && options.storageClassMapping().containsKey(current)) {
            spec.put("storageClassName", options.storageClassMapping().get(current));
        }
    }

    private static void removeBindingAnnotations(ObjectNode item) {
        JsonNode annotations = item.path("metadata").path("annotations");
        if (annotations instanceof ObjectNode node) {
            BINDING_ANNOTATIONS.forEach(node::remove);
        }
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode child = parent.get(field);
        if (child instanceof ObjectNode node) {
            return node;
        }
        return parent.putObject(field);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
