package io.lifeboat.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.disk.DiskRewrite;
import io.lifeboat.input.Names;

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
    /** RBAC objects are named as path segments by Kubernetes ({@code system:controller:job-controller}), not as subdomains. */
    private static final Set<String> PATH_SEGMENT_NAMED = Set.of("roles.rbac.authorization.k8s.io",
            "clusterroles.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io",
            "clusterrolebindings.rbac.authorization.k8s.io");
    private static final int SHOWN_CHARS = 120;

    private final RestoreOptions options;
    /** What happens to volumes and their claims. */
    private final VolumePlan volumes;
    /** The CRDs and volumes the included namespaced items need (when includeClusterResources is off). */
    private final NeededClusterObjects needed;

    /** Rules for an archive without volumes, or whose volumes are decided from themselves alone. */
    public ItemRules(RestoreOptions options) {
        this(options, new VolumePlan(options, List.of()));
    }

    public ItemRules(RestoreOptions options, VolumePlan volumes) {
        this(options, volumes, new NeededClusterObjects());
    }

    public ItemRules(RestoreOptions options, VolumePlan volumes, NeededClusterObjects needed) {
        this.options = options;
        this.volumes = volumes;
        this.needed = needed;
    }

    /**
     * The item to apply, why it is skipped, or why it is refused (an error of the item: the archive contradicts the
     * target or itself, or names something no request path may carry); {@code note} says what was decided for a
     * volume or a claim, for the restore's log.
     */
    public record Decision(ObjectNode item, String skipped, String note, String refused) {
        static Decision apply(ObjectNode item) {
            return new Decision(item, null, null, null);
        }

        static Decision skip(String why) {
            return new Decision(null, why, null, null);
        }

        static Decision refuse(String why) {
            return new Decision(null, null, null, why);
        }

        Decision noting(String note) {
            return new Decision(item, skipped, note, refused);
        }

        public boolean applies() {
            return item != null;
        }
    }

    /**
     * Decides one archived item of a type that the target serves as namespaced or cluster-scoped: the target's
     * discovery says which, never the item's own {@code metadata.namespace} nor its place in the archive, which must
     * both agree with it.
     */
    public Decision decide(String groupResource, boolean namespaced, ArchiveSpool.Item archived) {
        ObjectNode item = archived.object().deepCopy();
        ObjectNode metadata = object(item, "metadata");
        String refused = placement(groupResource, namespaced, archived, metadata);
        if (refused != null) {
            return Decision.refuse(refused);
        }
        String namespace = namespaced ? archived.namespace() : null;
        String name = archived.name();

        // a volume provisioned anew is never restored, whatever the filters say; the log says why
        VolumePlan.Fate fate = groupResource.equals("persistentvolumes") ? volumes.fate(item) : null;
        if (fate != null && fate.provisionedAnew()) {
            return Decision.skip(fate.reason()).noting("persistentvolume " + name + " " + fate.reason());
        }
        String filtered = filter(groupResource, namespace, name, item);
        if (filtered != null) {
            return Decision.skip(filtered);
        }
        String finished = finished(groupResource, item);
        if (finished != null) {
            return Decision.skip(finished);
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
            case "persistentvolumes" -> persistentVolume(item, name);
            case "persistentvolumeclaims" -> note = persistentVolumeClaim(item, namespace, name);
            case "statefulsets.apps" -> statefulSet(item);
            case "pods" -> pod(item);
            case "jobs.batch" -> job(item);
            default -> {
            }
        }
        return Decision.apply(item).noting(note);
    }

    /**
     * Why the item cannot be applied as archived, or null: its name and namespace must be valid Kubernetes names
     * (checked before any request path is built from them), its place in the archive must match the scope the target
     * serves its type with, and its metadata must say the same as its place.
     */
    private static String placement(String groupResource, boolean namespaced, ArchiveSpool.Item archived,
                                    ObjectNode metadata) {
        String name = archived.name();
        String path = archived.namespace() == null ? "cluster/" + name : "namespaces/" + archived.namespace() + "/" + name;
        String id = groupResource + " " + shown(path);
        boolean validName = groupResource.equals("namespaces") ? Names.isDns1123Label(name)
                : PATH_SEGMENT_NAMED.contains(groupResource) ? Names.isSafePathSegment(name) : Names.isDns1123Subdomain(name);
        if (!validName) {
            return id + " is not restored: its name is not a valid Kubernetes name";
        }
        if (!name.equals(text(metadata, "name"))) {
            return id + " is not restored: its metadata.name " + shown(text(metadata, "name"))
                    + " is not the name of its file in the archive";
        }
        String declared = text(metadata, "namespace");
        if (namespaced) {
            if (archived.namespace() == null) {
                return id + " is not restored: it is archived as cluster-scoped, but the target cluster serves "
                        + groupResource + " in namespaces";
            }
            if (!Names.isDns1123Label(archived.namespace())) {
                return id + " is not restored: its namespace is not a valid Kubernetes namespace name";
            }
            if (declared != null && !declared.equals(archived.namespace())) {
                return id + " is not restored: its metadata.namespace " + shown(declared)
                        + " is not the namespace it is archived under";
            }
            metadata.put("namespace", archived.namespace());
            return null;
        }
        if (archived.namespace() != null) {
            return id + " is not restored: it is archived under a namespace, but the target cluster serves "
                    + groupResource + " as cluster-scoped";
        }
        if (declared != null && !declared.isEmpty()) {
            return id + " is not restored: it is cluster-scoped on the target cluster, but its metadata.namespace is "
                    + shown(declared);
        }
        metadata.remove("namespace");
        return null;
    }

    /** {@code namespace} is null for a cluster-scoped item. */
    private String filter(String groupResource, String namespace, String name, ObjectNode item) {
        ObjectNode metadata = object(item, "metadata");
        boolean clusterScoped = namespace == null;
        if (clusterScoped && !options.includeClusterResources()) {
            String unneeded = unneededClusterObject(groupResource, name, item);
            if (unneeded != null) {
                return unneeded;
            }
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

    /**
     * Without includeClusterResources, a cluster-scoped object is taken only when included namespaced items need it:
     * the Namespace objects of included namespaces (filtered by name afterwards), the CRD of a custom type with items
     * in them, the volume an included claim is bound to again. Returns why it is not taken, or null.
     */
    private String unneededClusterObject(String groupResource, String name, ObjectNode item) {
        switch (groupResource) {
            case "namespaces" -> {
                return null;
            }
            case RestoreOrder.CRDS -> {
                JsonNode spec = item.path("spec");
                String defines = spec.path("names").path("plural").asText("") + "." + spec.path("group").asText("");
                if (name.equals(defines) && needed.hasItems(defines)) {
                    return null;
                }
                return "a CRD that no included custom resource needs, and includeClusterResources is off";
            }
            case "persistentvolumes" -> {
                String claim = needed.claimOf(name);
                if (claim == null) {
                    return "no included claim is restored onto this volume, and includeClusterResources is off";
                }
                JsonNode claimRef = item.path("spec").path("claimRef");
                if (claimRef.isObject() && !claim.equals(claimRef.path("namespace").asText("") + "/"
                        + claimRef.path("name").asText(""))) {
                    return "its claimRef names another claim than " + claim + ", which is restored onto it";
                }
                return null;
            }
            default -> {
                return "cluster-scoped, and includeClusterResources is off";
            }
        }
    }

    /** The namespace an archived namespace is restored into. */
    public String targetNamespace(String namespace) {
        return options.targetNamespace(namespace);
    }

    /** A name or namespace from the archive as it may appear in a message: printable, and cut short. */
    static String shown(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < SHOWN_CHARS; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return "'" + out + (value.length() > SHOWN_CHARS ? "…" : "") + "'";
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

    private void persistentVolume(ObjectNode item, String name) {
        volumes.madeDisk(name).ifPresent(disks -> DiskRewrite.pointAt(item, disks.getKey(), disks.getValue()));
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
