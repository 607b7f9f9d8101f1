package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;

/**
 * Claims bound to PersistentVolumes of the clouds' disks, as their provisioners write them: for each cloud, a namespace
 * ({@code aws-disks}, {@code azure-disks}, {@code gcp-disks}) with one claim on a CSI volume (its driver's handle and
 * topology key in the node affinity) and one on an in-tree volume (zone as a label). The disks themselves exist only in
 * the tests' stand-ins for the clouds' APIs, under the IDs given here.
 */
public final class CloudDiskVolumes {
    /** One claim and its volume: namespace, claim, volume name, and the disk's ID and zone. */
    public record Volume(String namespace, String claim, String volume, String diskId, String zone) {
    }

    public static final String AWS = "aws-disks";
    public static final String AZURE = "azure-disks";
    public static final String GCP = "gcp-disks";
    public static final String AZURE_SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    private static final String AZURE_GROUP = "/subscriptions/" + AZURE_SUBSCRIPTION
            + "/resourceGroups/MC_shop_aks_eastus2/providers/Microsoft.Compute/disks/";

    public static final Volume EBS_CSI = new Volume(AWS, "data", "pvc-ebs-csi", "vol-0a1b2c3d4e5f60718", "us-east-1a");
    public static final Volume EBS_IN_TREE = new Volume(AWS, "logs", "pv-ebs-in-tree", "vol-0f1e2d3c4b5a69788", "us-east-1b");
    public static final Volume AZURE_CSI = new Volume(AZURE, "data", "pvc-azure-csi", AZURE_GROUP + "pvc-azure-csi", "eastus2-1");
    public static final Volume AZURE_IN_TREE = new Volume(AZURE, "logs", "pv-azure-in-tree", AZURE_GROUP + "kubernetes-dynamic-logs", "eastus2-2");
    public static final Volume GCE_CSI = new Volume(GCP, "data", "pvc-gce-csi",
            "projects/shop-prod/zones/europe-west1-b/disks/pvc-gce-csi", "europe-west1-b");
    public static final Volume GCE_IN_TREE = new Volume(GCP, "logs", "pv-gce-in-tree", "gke-shop-logs", "europe-west1-c");
    public static final List<Volume> ALL = List.of(EBS_CSI, EBS_IN_TREE, AZURE_CSI, AZURE_IN_TREE, GCE_CSI, GCE_IN_TREE);

    private CloudDiskVolumes() {
    }

    public static void install(KubernetesClient client) {
        for (String namespace : List.of(AWS, AZURE, GCP)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
        csi(client, EBS_CSI, "ebs.csi.aws.com", "topology.ebs.csi.aws.com/zone", "gp3");
        inTree(client, EBS_IN_TREE, "gp2", spec -> spec.withNewAwsElasticBlockStore()
                .withVolumeID("aws://" + EBS_IN_TREE.zone() + "/" + EBS_IN_TREE.diskId()).withFsType("ext4")
                .endAwsElasticBlockStore());
        csi(client, AZURE_CSI, "disk.csi.azure.com", "topology.disk.csi.azure.com/zone", "managed-csi");
        inTree(client, AZURE_IN_TREE, "default", spec -> spec.withNewAzureDisk().withKind("Managed")
                .withDiskName("kubernetes-dynamic-logs").withDiskURI(AZURE_IN_TREE.diskId()).withCachingMode("ReadOnly")
                .withFsType("ext4").endAzureDisk());
        csi(client, GCE_CSI, "pd.csi.storage.gke.io", "topology.gke.io/zone", "standard-rwo");
        inTree(client, GCE_IN_TREE, "standard", spec -> spec.withNewGcePersistentDisk().withPdName(GCE_IN_TREE.diskId())
                .withFsType("ext4").endGcePersistentDisk());
    }

    private static void csi(KubernetesClient client, Volume v, String driver, String zoneKey, String storageClass) {
        PersistentVolumeSpecBuilder spec = base(v, storageClass);
        spec.withNewCsi().withDriver(driver).withVolumeHandle(v.diskId()).withFsType("ext4").endCsi()
                .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey(zoneKey).withOperator("In").withValues(v.zone()).endMatchExpression().endNodeSelectorTerm()
                .endRequired().endNodeAffinity();
        create(client, v, spec, Map.of(), storageClass);
    }

    private static void inTree(KubernetesClient client, Volume v, String storageClass,
                               java.util.function.Consumer<PersistentVolumeSpecBuilder> source) {
        PersistentVolumeSpecBuilder spec = base(v, storageClass);
        source.accept(spec);
        create(client, v, spec, Map.of("topology.kubernetes.io/zone", v.zone()), storageClass);
    }

    private static PersistentVolumeSpecBuilder base(Volume v, String storageClass) {
        return new PersistentVolumeSpecBuilder().withCapacity(Map.of("storage", new Quantity("20Gi")))
                .withAccessModes("ReadWriteOnce").withPersistentVolumeReclaimPolicy("Delete")
                .withStorageClassName(storageClass)
                .withClaimRef(new ObjectReferenceBuilder().withApiVersion("v1").withKind("PersistentVolumeClaim")
                        .withNamespace(v.namespace()).withName(v.claim()).build());
    }

    private static void create(KubernetesClient client, Volume v, PersistentVolumeSpecBuilder spec,
                               Map<String, String> labels, String storageClass) {
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(v.volume())
                .withLabels(labels).endMetadata().withSpec(spec.build()).withNewStatus().withPhase("Bound").endStatus()
                .build()).create();
        client.persistentVolumeClaims().inNamespace(v.namespace()).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(v.claim()).withNamespace(v.namespace()).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
                .withVolumeName(v.volume()).withNewResources().withRequests(Map.of("storage", new Quantity("20Gi")))
                .endResources().endSpec().withNewStatus().withPhase("Bound").endStatus().build()).create();
    }
}
