package io.lifeboat.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.lifeboat.backup.Backup;
import io.lifeboat.discovery.ClusterSource.Claim;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CSI snapshots of claims' volumes through the snapshot.storage.k8s.io/v1 API: a VolumeSnapshot of the driver's
 * class, waited for until the snapshotter marks it ready, and the handle read from its VolumeSnapshotContent.
 */
final class CsiSnapshots {
    static final String BACKUP_LABEL = "lifeboat.io/backup";
    /** A class labelled so is preferred for its driver; otherwise the driver's default class. */
    static final String CLASS_LABEL = "lifeboat.io/volumesnapshot-class";
    static final String DEFAULT_CLASS_ANNOTATION = "snapshot.storage.kubernetes.io/is-default-class";
    private static final ResourceDefinitionContext SNAPSHOTS = context("VolumeSnapshot", "volumesnapshots", true);
    private static final ResourceDefinitionContext CONTENTS = context("VolumeSnapshotContent", "volumesnapshotcontents", false);
    private static final ResourceDefinitionContext CLASSES = context("VolumeSnapshotClass", "volumesnapshotclasses", false);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KubernetesClient client;

    CsiSnapshots(KubernetesClient client) {
        this.client = client;
    }

    private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("snapshot.storage.k8s.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }

    Backup.VolumeSnapshot snapshot(String backup, Claim claim, Duration timeout) {
        PersistentVolume volume;
        try {
            volume = client.persistentVolumes().withName(claim.volumeName()).get();
        } catch (KubernetesClientException e) {
            return failed(claim, null, "the volume " + claim.volumeName() + " could not be read (HTTP " + e.getCode() + ")");
        }
        if (volume == null) {
            return failed(claim, null, "the volume " + claim.volumeName() + " does not exist");
        }
        if (volume.getSpec().getCsi() == null) {
            return failed(claim, null, "the volume " + claim.volumeName() + " is not provisioned by a CSI driver");
        }
        String driver = volume.getSpec().getCsi().getDriver();
        String snapshotClass = snapshotClass(driver);
        if (snapshotClass == null) {
            return failed(claim, driver, "no VolumeSnapshotClass for driver " + driver + " (label one " + CLASS_LABEL
                    + "=true, or make one the default)");
        }
        String name = snapshotName(backup, claim.name());
        GenericKubernetesResource request = new GenericKubernetesResourceBuilder()
                .withApiVersion("snapshot.storage.k8s.io/v1").withKind("VolumeSnapshot")
                .withNewMetadata().withName(name).withNamespace(claim.namespace())
                .withLabels(Map.of(BACKUP_LABEL, backup)).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("volumeSnapshotClassName", snapshotClass,
                        "source", Map.of("persistentVolumeClaimName", claim.name()))))
                .build();
        try {
            if (client.genericKubernetesResources(SNAPSHOTS).inNamespace(claim.namespace()).withName(name).get() == null) {
                client.genericKubernetesResources(SNAPSHOTS).inNamespace(claim.namespace()).resource(request).create();
            }
            return await(claim, driver, name, timeout);
        } catch (KubernetesClientException e) {
            return failed(claim, driver, "the VolumeSnapshot could not be created (HTTP " + e.getCode() + ")");
        }
    }

    /** True when the snapshot is gone, or never was; an unreachable cluster throws. */
    boolean delete(String namespace, String name) {
        client.genericKubernetesResources(SNAPSHOTS).inNamespace(namespace).withName(name).delete();
        return true;
    }

    /** Velero's convention: names carry the backup, so a snapshot tells which backup owns it. */
    static String snapshotName(String backup, String claim) {
        String name = "lifeboat-" + backup + "-" + claim;
        return name.length() <= 253 ? name : name.substring(0, 253);
    }

    private String snapshotClass(String driver) {
        List<GenericKubernetesResource> classes = client.genericKubernetesResources(CLASSES).list().getItems().stream()
                .filter(c -> driver.equals(c.getAdditionalProperties().get("driver"))).toList();
        return classes.stream().filter(c -> "true".equals(label(c, CLASS_LABEL))).findFirst()
                .or(() -> classes.stream().filter(c -> "true".equals(annotation(c, DEFAULT_CLASS_ANNOTATION))).findFirst())
                .map(c -> c.getMetadata().getName()).orElse(null);
    }

    private Backup.VolumeSnapshot await(Claim claim, String driver, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            GenericKubernetesResource snapshot = client.genericKubernetesResources(SNAPSHOTS)
                    .inNamespace(claim.namespace()).withName(name).get();
            Map<String, Object> status = snapshot == null ? null : map(snapshot.getAdditionalProperties().get("status"));
            if (status != null && status.get("error") != null) {
                Object message = map(status.get("error")).get("message");
                return failed(claim, driver, "the snapshotter reported: " + message);
            }
            if (status != null && Boolean.TRUE.equals(status.get("readyToUse"))) {
                String contentName = Objects.toString(status.get("boundVolumeSnapshotContentName"), null);
                GenericKubernetesResource content = contentName == null ? null
                        : client.genericKubernetesResources(CONTENTS).withName(contentName).get();
                Map<String, Object> contentStatus = content == null ? null : map(content.getAdditionalProperties().get("status"));
                String handle = contentStatus == null ? null : Objects.toString(contentStatus.get("snapshotHandle"), null);
                if (handle == null) {
                    return failed(claim, driver, "the snapshot is ready but its content names no snapshot handle");
                }
                return new Backup.VolumeSnapshot(claim.namespace(), claim.name(), claim.volumeName(), driver, name, handle,
                        Objects.toString(status.get("restoreSize"), null), null);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(claim, driver, "interrupted while waiting for the snapshot");
            }
        }
        return failed(claim, driver, "the snapshot was not ready within " + timeout.toSeconds() + " s");
    }

    private static Backup.VolumeSnapshot failed(Claim claim, String driver, String error) {
        return new Backup.VolumeSnapshot(claim.namespace(), claim.name(), claim.volumeName(), driver, null, null, null, error);
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
