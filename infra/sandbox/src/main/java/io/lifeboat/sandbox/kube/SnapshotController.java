package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the CSI external-snapshotter against a sandbox: every VolumeSnapshot without a status gets a
 * VolumeSnapshotContent with a snapshot handle derived from the volume's handle, and is marked ready to use.
 * Snapshots of volumes with no CSI driver are marked with an error, as the real snapshotter does.
 */
public final class SnapshotController implements AutoCloseable {
    static final ResourceDefinitionContext SNAPSHOTS = context("VolumeSnapshot", "volumesnapshots", true);
    static final ResourceDefinitionContext CONTENTS = context("VolumeSnapshotContent", "volumesnapshotcontents", false);
    static final ResourceDefinitionContext CLASSES = context("VolumeSnapshotClass", "volumesnapshotclasses", false);

    private final KubernetesClient client;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sandbox-snapshot-controller");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean paused;

    private SnapshotController(KubernetesClient client) {
        this.client = client;
    }

    /** Starts answering VolumeSnapshots in the cluster every 100 ms. */
    public static SnapshotController start(KubernetesClient client) {
        SnapshotController controller = new SnapshotController(client);
        controller.loop.scheduleWithFixedDelay(controller::reconcileQuietly, 0, 100, TimeUnit.MILLISECONDS);
        return controller;
    }

    static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("snapshot.storage.k8s.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }

    /** While paused, snapshots stay unready: for tests of timeouts. */
    public void pause(boolean paused) {
        this.paused = paused;
    }

    private void reconcileQuietly() {
        try {
            if (!paused) {
                reconcile();
            }
        } catch (RuntimeException e) {
            // the next round tries again, like a controller
        }
    }

    private void reconcile() {
        for (GenericKubernetesResource snapshot : client.genericKubernetesResources(SNAPSHOTS).inAnyNamespace().list().getItems()) {
            if (snapshot.getAdditionalProperties().get("status") != null) {
                continue;
            }
            String namespace = snapshot.getMetadata().getNamespace();
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) snapshot.getAdditionalProperties().get("spec");
            @SuppressWarnings("unchecked")
            String claimName = (String) ((Map<String, Object>) spec.get("source")).get("persistentVolumeClaimName");
            PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
            PersistentVolume volume = claim == null || claim.getSpec().getVolumeName() == null ? null
                    : client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
            Map<String, Object> status = new HashMap<>();
            if (volume == null || volume.getSpec().getCsi() == null) {
                status.put("readyToUse", false);
                status.put("error", Map.of("message", "the claim's volume has no CSI driver", "time", Instant.now().toString()));
            } else {
                String contentName = "snapcontent-" + snapshot.getMetadata().getUid();
                String handle = "snap-" + volume.getSpec().getCsi().getVolumeHandle() + "-" + snapshot.getMetadata().getName();
                String size = volume.getSpec().getCapacity().get("storage").toString();
                GenericKubernetesResource content = new GenericKubernetesResourceBuilder()
                        .withApiVersion("snapshot.storage.k8s.io/v1").withKind("VolumeSnapshotContent")
                        .withNewMetadata().withName(contentName).endMetadata()
                        .withAdditionalProperties(Map.of(
                                "spec", Map.of("driver", volume.getSpec().getCsi().getDriver(), "deletionPolicy", "Delete",
                                        "source", Map.of("volumeHandle", volume.getSpec().getCsi().getVolumeHandle()),
                                        "volumeSnapshotClassName", spec.get("volumeSnapshotClassName"),
                                        "volumeSnapshotRef", Map.of("name", snapshot.getMetadata().getName(),
                                                "namespace", namespace, "uid", snapshot.getMetadata().getUid())),
                                "status", Map.of("snapshotHandle", handle, "readyToUse", true, "restoreSize", size)))
                        .build();
                if (client.genericKubernetesResources(CONTENTS).withName(contentName).get() == null) {
                    client.genericKubernetesResources(CONTENTS).resource(content).create();
                }
                status.put("readyToUse", true);
                status.put("boundVolumeSnapshotContentName", contentName);
                status.put("restoreSize", size);
                status.put("creationTime", Instant.now().toString());
            }
            snapshot.getAdditionalProperties().put("status", status);
            client.genericKubernetesResources(SNAPSHOTS).inNamespace(namespace).resource(snapshot).update();
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
