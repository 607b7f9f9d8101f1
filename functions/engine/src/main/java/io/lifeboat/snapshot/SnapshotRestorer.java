package io.lifeboat.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.run.Results;
import io.lifeboat.run.RunLog;

import java.util.Map;
import java.util.Optional;

/**
 * A restore's CSI snapshots (Velero's CSI restore): for a claim provisioned from its backup's snapshot, a
 * VolumeSnapshotContent pre-bound to the recorded snapshot handle, and the VolumeSnapshot the claim names as its
 * {@code dataSource}, both named by {@link SnapshotNames} in the claim's target namespace. Retain: deleting the
 * restored objects never deletes the snapshot.
 */
public final class SnapshotRestorer {
    public static final String CONTENTS = "volumesnapshotcontents.snapshot.storage.k8s.io";
    public static final String SNAPSHOTS = "volumesnapshots.snapshot.storage.k8s.io";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterSession session;
    private final String targetCluster;
    private final Map<String, String> labels;
    private final RunLog log;
    private final Results results;

    /** {@code labels} are put on both objects (the restore's name, as on every restored item). */
    public SnapshotRestorer(ClusterSession session, String targetCluster, Map<String, String> labels, RunLog log,
                            Results results) {
        this.session = session;
        this.targetCluster = targetCluster;
        this.labels = labels;
        this.log = log;
        this.results = results;
    }

    /** Creates the content and the snapshot {@code name} in {@code namespace}; a refusal is an error of the namespace. */
    public void restore(VolumeSnapshot snapshot, String namespace, String name) {
        Optional<ResourceType> contents = session.type(CONTENTS);
        Optional<ResourceType> volumeSnapshots = session.type(SNAPSHOTS);
        if (contents.isEmpty() || volumeSnapshots.isEmpty()) {
            results.error(namespace, "claim " + snapshot.persistentVolumeClaim() + " cannot be restored from its snapshot: "
                    + "cluster " + targetCluster + " does not serve snapshot.storage.k8s.io");
            return;
        }
        ObjectNode content = JSON.createObjectNode();
        content.put("apiVersion", contents.get().groupVersion()).put("kind", "VolumeSnapshotContent");
        labels(content.putObject("metadata").put("name", name));
        ObjectNode contentSpec = content.putObject("spec");
        contentSpec.put("deletionPolicy", "Retain").put("driver", snapshot.driver());
        contentSpec.putObject("source").put("snapshotHandle", snapshot.snapshotHandle());
        contentSpec.putObject("volumeSnapshotRef").put("name", name).put("namespace", namespace);
        ObjectNode volumeSnapshot = JSON.createObjectNode();
        volumeSnapshot.put("apiVersion", volumeSnapshots.get().groupVersion()).put("kind", "VolumeSnapshot");
        labels(volumeSnapshot.putObject("metadata").put("name", name).put("namespace", namespace));
        volumeSnapshot.putObject("spec").putObject("source").put("volumeSnapshotContentName", name);
        try {
            session.create(contents.get(), content);
            session.create(volumeSnapshots.get(), volumeSnapshot);
            log.info("VolumeSnapshot " + namespace + "/" + name + " and its VolumeSnapshotContent are restored from "
                    + "snapshot " + snapshot.snapshotHandle() + ", for claim " + snapshot.persistentVolumeClaim());
        } catch (ClusterSession.Rejected e) {
            results.error(namespace, "the snapshot of claim " + snapshot.persistentVolumeClaim()
                    + " could not be restored: " + e.getMessage());
        }
    }

    private void labels(ObjectNode metadata) {
        ObjectNode node = metadata.putObject("labels");
        labels.forEach(node::put);
    }
}
