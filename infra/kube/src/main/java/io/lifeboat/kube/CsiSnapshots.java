package io.lifeboat.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.cluster.ClusterSession.Claim;
import io.lifeboat.input.Names;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CSI snapshots of claims' volumes through the snapshot.storage.k8s.io/v1 API: a VolumeSnapshot of the driver's
 * class, labelled with its backup and project, looked at until the snapshotter marks it ready, and the handle read
 * from its VolumeSnapshotContent. Names (from the cluster or a backup record) are checked to be valid Kubernetes names
 * before the client builds a request path from them.
 */
final class CsiSnapshots {
    static final String BACKUP_LABEL = "lifeboat.io/backup";
    static final String PROJECT_LABEL = "lifeboat.io/project";
    /** A class labelled so is preferred for its driver; otherwise the driver's default class. */
    static final String CLASS_LABEL = "lifeboat.io/volumesnapshot-class";
    static final String DEFAULT_CLASS_ANNOTATION = "snapshot.storage.kubernetes.io/is-default-class";
    private static final ResourceDefinitionContext SNAPSHOTS = context("VolumeSnapshot", "volumesnapshots", true);
    private static final ResourceDefinitionContext CONTENTS = context("VolumeSnapshotContent", "volumesnapshotcontents", false);
    private static final ResourceDefinitionContext CLASSES = context("VolumeSnapshotClass", "volumesnapshotclasses", false);

    private final KubernetesClient client;

    CsiSnapshots(KubernetesClient client) {
        this.client = client;
    }

    private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("snapshot.storage.k8s.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }

    /** Creates the VolumeSnapshot, or takes the one this backup created before; never one of anybody else. */
    VolumeSnapshot start(String project, String backup, Claim claim, String name) {
        if (!Names.isDns1123Label(claim.namespace()) || !Names.isDns1123Subdomain(claim.name())
                || !Names.isDns1123Subdomain(claim.volumeName()) || !Names.isDns1123Subdomain(name)) {
            return failed(claim, null, null, "the claim's namespace, name or volume name is not a valid Kubernetes name");
        }
        PersistentVolume volume;
        try {
            volume = client.persistentVolumes().withName(claim.volumeName()).get();
        } catch (KubernetesClientException e) {
            return failed(claim, null, null, "the volume " + claim.volumeName() + " could not be read (HTTP " + e.getCode() + ")");
        }
        if (volume == null) {
            return failed(claim, null, null, "the volume " + claim.volumeName() + " does not exist");
        }
        if (volume.getSpec().getCsi() == null) {
            return failed(claim, null, null, "the volume " + claim.volumeName() + " is not provisioned by a CSI driver");
        }
        String driver = volume.getSpec().getCsi().getDriver();
        String snapshotClass = snapshotClass(driver);
        if (snapshotClass == null) {
            return failed(claim, driver, null, "no VolumeSnapshotClass for driver " + driver + " (label one " + CLASS_LABEL
                    + "=true, or make one the default)");
        }
        GenericKubernetesResource request = new GenericKubernetesResourceBuilder()
                .withApiVersion("snapshot.storage.k8s.io/v1").withKind("VolumeSnapshot")
                .withNewMetadata().withName(name).withNamespace(claim.namespace())
                .withLabels(Map.of(BACKUP_LABEL, backup, PROJECT_LABEL, project)).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("volumeSnapshotClassName", snapshotClass,
                        "source", Map.of("persistentVolumeClaimName", claim.name()))))
                .build();
        try {
            GenericKubernetesResource existing = client.genericKubernetesResources(SNAPSHOTS).inNamespace(claim.namespace())
                    .withName(name).get();
            if (existing == null) {
                client.genericKubernetesResources(SNAPSHOTS).inNamespace(claim.namespace()).resource(request).create();
            } else if (!createdFor(existing, project, backup, claim)) {
                return failed(claim, driver, null, "a VolumeSnapshot " + claim.namespace() + "/" + name
                        + " already exists and was not created by this backup for this claim; it is left as it is");
            }
            return new VolumeSnapshot(claim.namespace(), claim.name(), claim.volumeName(), driver, name, null, null, null);
        } catch (KubernetesClientException e) {
            return failed(claim, driver, null, "the VolumeSnapshot could not be created (HTTP " + e.getCode() + ")");
        }
    }

    /** A snapshot is this backup's when its labels name the backup and its project, and its source is the claim. */
    private static boolean createdFor(GenericKubernetesResource snapshot, String project, String backup, Claim claim) {
        Map<String, Object> spec = map(snapshot.getAdditionalProperties().get("spec"));
        Map<String, Object> source = spec == null ? null : map(spec.get("source"));
        return backup.equals(label(snapshot, BACKUP_LABEL)) && project.equals(label(snapshot, PROJECT_LABEL))
                && source != null && claim.name().equals(source.get("persistentVolumeClaimName"));
    }

    /** Looks once: ready, failed, or (also when the cluster did not answer) still pending. */
    VolumeSnapshot check(VolumeSnapshot started) {
        if (!Names.isDns1123Label(started.namespace()) || !Names.isDns1123Subdomain(started.volumeSnapshotName())) {
            return started.failed("the snapshot's namespace or name is not a valid Kubernetes name");
        }
        GenericKubernetesResource snapshot;
        try {
            snapshot = client.genericKubernetesResources(SNAPSHOTS).inNamespace(started.namespace())
                    .withName(started.volumeSnapshotName()).get();
        } catch (KubernetesClientException e) {
            return started; // looked at again until the deadline
        }
        if (snapshot == null) {
            return started.failed("the VolumeSnapshot was deleted before it was ready");
        }
        Map<String, Object> status = map(snapshot.getAdditionalProperties().get("status"));
        if (status != null && status.get("error") != null) {
            Object message = map(status.get("error")).get("message");
            return started.failed("the snapshotter reported: " + message);
        }
        if (status == null || !Boolean.TRUE.equals(status.get("readyToUse"))) {
            return started;
        }
        String contentName = Objects.toString(status.get("boundVolumeSnapshotContentName"), null);
        if (contentName != null && !Names.isDns1123Subdomain(contentName)) {
            return started.failed("the snapshot names a content that is not a valid Kubernetes name");
        }
        GenericKubernetesResource content;
        try {
            content = contentName == null ? null : client.genericKubernetesResources(CONTENTS).withName(contentName).get();
        } catch (KubernetesClientException e) {
            return started;
        }
        Map<String, Object> contentStatus = content == null ? null : map(content.getAdditionalProperties().get("status"));
        String handle = contentStatus == null ? null : Objects.toString(contentStatus.get("snapshotHandle"), null);
        if (handle == null) {
            return started.failed("the snapshot is ready but its content names no snapshot handle");
        }
        return new VolumeSnapshot(started.namespace(), started.persistentVolumeClaim(), started.persistentVolume(),
                started.driver(), started.volumeSnapshotName(), handle, Objects.toString(status.get("restoreSize"), null), null);
    }

    /** True when the snapshot is gone, or never was; an unreachable cluster throws. */
    boolean delete(String namespace, String name) {
        if (!Names.isDns1123Label(namespace) || !Names.isDns1123Subdomain(name)) {
            return true; // no VolumeSnapshot can have such a name: there is nothing to delete, and no path is built from it
        }
        client.genericKubernetesResources(SNAPSHOTS).inNamespace(namespace).withName(name).delete();
        return true;
    }

    private String snapshotClass(String driver) {
        List<GenericKubernetesResource> classes = client.genericKubernetesResources(CLASSES).list().getItems().stream()
                .filter(c -> driver.equals(c.getAdditionalProperties().get("driver"))).toList();
        return classes.stream().filter(c -> "true".equals(label(c, CLASS_LABEL))).findFirst()
                .or(() -> classes.stream().filter(c -> "true".equals(annotation(c, DEFAULT_CLASS_ANNOTATION))).findFirst())
                .map(c -> c.getMetadata().getName()).orElse(null);
    }

    private static VolumeSnapshot failed(Claim claim, String driver, String name, String error) {
        return new VolumeSnapshot(claim.namespace(), claim.name(), claim.volumeName(), driver, name, null, null, error);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    private static String label(GenericKubernetesResource r, String key) {
        return r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(key);
    }

    private static String annotation(GenericKubernetesResource r, String key) {
        return r.getMetadata().getAnnotations() == null ? null : r.getMetadata().getAnnotations().get(key);
    }
}
