package io.lifeboat.disk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PersistentVolumes as the clouds' provisioners write them, and the disk each names. */
class DiskOfTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AZURE_ID = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/"
            + "MC_shop_aks_eastus2/providers/Microsoft.Compute/disks/pvc-5d2e8a3c-1b7d-4f7e-9b1a-2c4d6e8f0a1b";

    static ObjectNode pv(String spec, String labels) {
        try {
            return (ObjectNode) JSON.readTree("{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":"
                    + "\"pvc-1\",\"labels\":{" + labels + "}},\"spec\":{\"capacity\":{\"storage\":\"10Gi\"}," + spec + "}}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String affinity(String key, String zone) {
        return "\"nodeAffinity\":{\"required\":{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"" + key
                + "\",\"operator\":\"In\",\"values\":[\"" + zone + "\"]}]}]}}";
    }

    static Stream<Arguments> found() {
        return Stream.of(
                Arguments.of("EBS CSI, zone from the driver's topology key",
                        pv("\"csi\":{\"driver\":\"ebs.csi.aws.com\",\"volumeHandle\":\"vol-0a1b2c3d4e5f60718\",\"fsType\":\"ext4\"},"
                                + affinity("topology.ebs.csi.aws.com/zone", "eu-west-1b"), ""),
                        Cloud.aws, "vol-0a1b2c3d4e5f60718", "eu-west-1b", "eu-west-1", "ebs.csi.aws.com"),
                Arguments.of("EBS CSI, zone from the general topology key",
                        pv("\"csi\":{\"driver\":\"ebs.csi.aws.com\",\"volumeHandle\":\"vol-0123abcd\"},"
                                + affinity("topology.kubernetes.io/zone", "us-east-1a"), ""),
                        Cloud.aws, "vol-0123abcd", "us-east-1a", "us-east-1", "ebs.csi.aws.com"),
                Arguments.of("in-tree EBS with the zone in its URL",
                        pv("\"awsElasticBlockStore\":{\"volumeID\":\"aws://us-west-2c/vol-0fedcba9876543210\",\"fsType\":\"ext4\"}",
                                "\"topology.kubernetes.io/zone\":\"us-west-2a\""),
                        Cloud.aws, "vol-0fedcba9876543210", "us-west-2c", "us-west-2", "awsElasticBlockStore"),
                Arguments.of("in-tree EBS, bare ID, zone from the beta label",
                        pv("\"awsElasticBlockStore\":{\"volumeID\":\"vol-0fedcba9876543210\"}",
                                "\"failure-domain.beta.kubernetes.io/zone\":\"ap-southeast-2b\","
                                        + "\"failure-domain.beta.kubernetes.io/region\":\"ap-southeast-2\""),
                        Cloud.aws, "vol-0fedcba9876543210", "ap-southeast-2b", "ap-southeast-2", "awsElasticBlockStore"),
                Arguments.of("Azure CSI, zonal",
                        pv("\"csi\":{\"driver\":\"disk.csi.azure.com\",\"volumeHandle\":\"" + AZURE_ID + "\"},"
                                + affinity("topology.disk.csi.azure.com/zone", "eastus2-1"), ""),
                        Cloud.azure, AZURE_ID, "eastus2-1", "eastus2", "disk.csi.azure.com"),
                Arguments.of("Azure CSI, outside zones (empty zone), region from the label",
                        pv("\"csi\":{\"driver\":\"disk.csi.azure.com\",\"volumeHandle\":\"" + AZURE_ID + "\"},"
                                + affinity("topology.disk.csi.azure.com/zone", ""), "\"topology.kubernetes.io/region\":\"westeurope\""),
                        Cloud.azure, AZURE_ID, null, "westeurope", "disk.csi.azure.com"),
                Arguments.of("in-tree azureDisk, managed, lower-case resource ID",
                        pv("\"azureDisk\":{\"diskName\":\"pvc-5d2e\",\"diskURI\":\"" + AZURE_ID.toLowerCase()
                                + "\",\"kind\":\"Managed\",\"cachingMode\":\"ReadOnly\"}", "\"topology.kubernetes.io/zone\":\"eastus2-3\""),
                        Cloud.azure, "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/mc_shop_aks_eastus2"
                                + "/providers/Microsoft.Compute/disks/pvc-5d2e8a3c-1b7d-4f7e-9b1a-2c4d6e8f0a1b",
                        "eastus2-3", "eastus2", "azureDisk"),
                Arguments.of("GCE PD CSI, zone from the handle",
                        pv("\"csi\":{\"driver\":\"pd.csi.storage.gke.io\",\"volumeHandle\":\"projects/shop-prod/zones/"
                                + "europe-west1-b/disks/pvc-7f3a\"}," + affinity("topology.gke.io/zone", "europe-west1-b"), ""),
                        Cloud.gcp, "projects/shop-prod/zones/europe-west1-b/disks/pvc-7f3a", "europe-west1-b",
                        "europe-west1", "pd.csi.storage.gke.io"),
                Arguments.of("in-tree gcePersistentDisk, zone from the label, project left to the location",
                        pv("\"gcePersistentDisk\":{\"pdName\":\"gke-shop-pvc-7f3a\",\"fsType\":\"ext4\"}",
                                "\"topology.kubernetes.io/zone\":\"us-central1-f\""),
                        Cloud.gcp, "zones/us-central1-f/disks/gke-shop-pvc-7f3a", "us-central1-f", "us-central1",
                        "gcePersistentDisk"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("found")
    void readsTheDisk(String title, ObjectNode volume, Cloud cloud, String id, String zone, String region, String source) {
        DiskOf.Reading reading = DiskOf.of(volume);
        assertTrue(reading.found(), title + ": " + reading.reason());
        Disk disk = reading.disk();
        assertEquals(cloud, disk.cloud());
        assertEquals(id, disk.id());
        assertEquals(zone, disk.zone());
        assertEquals(region, disk.region());
        assertEquals(source, disk.source());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(pv("\"csi\":{\"driver\":\"rook-ceph.rbd.csi.ceph.com\",\"volumeHandle\":\"0001-0009\"}", ""),
                        "rook-ceph.rbd.csi.ceph.com is not one"),
                Arguments.of(pv("\"csi\":{\"driver\":\"ebs.csi.aws.com\",\"volumeHandle\":\"snap-0a1b2c3d\"},"
                        + affinity("topology.kubernetes.io/zone", "us-east-1a"), ""), "is not an EBS volume ID"),
                Arguments.of(pv("\"csi\":{\"driver\":\"ebs.csi.aws.com\",\"volumeHandle\":\"vol-0a1b2c3d\"}", ""),
                        "has no zone"),
                Arguments.of(pv("\"csi\":{\"driver\":\"disk.csi.azure.com\",\"volumeHandle\":\"https://acct.blob.core.windows.net/vhds/d.vhd\"}", ""),
                        "not the resource ID of an Azure managed disk"),
                Arguments.of(pv("\"azureDisk\":{\"diskName\":\"d\",\"diskURI\":\"https://acct.blob.core.windows.net/vhds/d.vhd\",\"kind\":\"Dedicated\"}", ""),
                        "blob VHD"),
                Arguments.of(pv("\"csi\":{\"driver\":\"pd.csi.storage.gke.io\",\"volumeHandle\":\"projects/p/regions/us-central1/disks/d\"}", ""),
                        "regional persistent disk"),
                Arguments.of(pv("\"gcePersistentDisk\":{\"pdName\":\"d\"}", "\"topology.kubernetes.io/zone\":\"us-central1-a__us-central1-b\""),
                        "no single zone"),
                Arguments.of(pv("\"hostPath\":{\"path\":\"/data\"}", ""), "backed by no cloud disk"),
                Arguments.of(pv("\"nfs\":{\"server\":\"10.0.0.2\",\"path\":\"/exports\"}", ""), "backed by no cloud disk"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void saysWhyThereIsNoDisk(ObjectNode volume, String reason) {
        DiskOf.Reading reading = DiskOf.of(volume);
        assertFalse(reading.found());
        assertTrue(reading.reason().contains(reason), reading.reason());
    }

    @Test
    void regionsOfZones() {
        assertEquals("us-east-1", DiskOf.regionOf(Cloud.aws, "us-east-1a"));
        assertEquals("us-gov-west-1", DiskOf.regionOf(Cloud.aws, "us-gov-west-1b"));
        assertEquals("eastus2", DiskOf.regionOf(Cloud.azure, "eastus2-1"));
        assertEquals("europe-west1", DiskOf.regionOf(Cloud.gcp, "europe-west1-b"));
        assertNull(DiskOf.regionOf(Cloud.aws, null));
    }
}
