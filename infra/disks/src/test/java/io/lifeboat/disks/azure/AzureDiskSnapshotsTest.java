package io.lifeboat.disks.azure;

import io.lifeboat.disk.Cloud;
import io.lifeboat.disk.Disk;
import io.lifeboat.disk.DiskException;
import io.lifeboat.disk.DiskSnapshots;
import io.lifeboat.disk.DiskTags;
import io.lifeboat.disk.SnapshotState;
import io.lifeboat.disks.http.Recorder;
import io.lifeboat.disks.providers.ProviderDiskSnapshotsFactory;
import io.lifeboat.disks.providers.RecorderFactories;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Azure adapter over ARM's REST API, against a recorder of Microsoft.Compute and the token endpoint on loopback. */
public class AzureDiskSnapshotsTest {
    static final String SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    static final String DISK_ID = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/MC_shop_aks_eastus2/providers/"
            + "Microsoft.Compute/disks/pvc-5d2e8a3c";
    static final Disk DISK = new Disk(Cloud.azure, DISK_ID, "eastus2-1", "eastus2", "disk.csi.azure.com");
    final ArmApi api = new ArmApi().disk(DISK_ID, "eastus2", "1", "Premium_LRS");
    Recorder recorder;
    DiskSnapshots azure;

    public static Location location(Recorder recorder, String secret) {
        Map<LocationField, String> fields = new EnumMap<>(LocationField.class);
        fields.put(LocationField.STORAGE_ACCOUNT, "lifeboatbackups");
        fields.put(LocationField.RESOURCE_GROUP, "lifeboat-backups");
        fields.put(LocationField.TENANT_ID, ArmApi.TENANT);
        fields.put(LocationField.CLIENT_ID, ArmApi.CLIENT);
        fields.put(LocationField.CLIENT_SECRET, secret);
        fields.put(LocationField.SUBSCRIPTION_ID, SUBSCRIPTION);
        fields.put(LocationField.AUTHORITY_HOST, recorder.uri().toString());
        fields.put(LocationField.SNAPSHOT_MODE, "native");
        return new Location("p", "loc", Provider.AZURE, "backups", "", fields, LocationStatus.available(Instant.EPOCH),
                Instant.EPOCH);
    }

    static ProviderDiskSnapshotsFactory factory(Recorder recorder) {
        return RecorderFactories.to(recorder);
    }

    @BeforeEach
    void setUp() throws Exception {
        recorder = new Recorder(api);
        azure = factory(recorder).open(location(recorder, ArmApi.SECRET));
    }

    @AfterEach
    void tearDown() {
        recorder.close();
        assertEquals(List.of(), recorder.refusals(), "every request kept ARM's rules");
    }

    @Test
    void aSnapshotGoesToTheLocationsResourceGroupTaggedAndIsLookedAtUntilSucceeded() {
        DiskSnapshots.Started started = azure.createSnapshot(DISK, "lb-nightly-0123", DiskTags.snapshot("p", "nightly", "shop", "data"));
        String id = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/lifeboat-backups/providers/Microsoft.Compute/"
                + "snapshots/lb-nightly-0123";
        assertEquals(id, started.snapshotId());
        assertEquals("Premium_LRS", started.volumeType());
        var put = recorder.requests().stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
        assertEquals(id, put.path());
        assertTrue(put.body().contains("\"sourceResourceId\":\"" + DISK_ID + "\""), put.body());
        assertTrue(put.body().contains("\"location\":\"eastus2\""), put.body());
        assertTrue(put.body().contains("\"lifeboat-backup\":\"nightly\""), put.body());

        assertEquals(SnapshotState.Status.PENDING, azure.snapshot(id).status());
        SnapshotState done = azure.snapshot(id);
        assertEquals(SnapshotState.Status.COMPLETED, done.status());
        assertEquals("shop_data", done.tags().get("lifeboat-claim"));
        assertEquals(1, api.tokens, "one token for every call");
    }

    @Test
    void notFoundAndThrottlingAreSaidAsArmSaysThem() {
        Disk gone = new Disk(Cloud.azure, DISK_ID.replace("pvc-5d2e8a3c", "pvc-gone"), null, "eastus2", "azureDisk");
        DiskException missing = assertThrows(DiskException.class, () -> azure.createSnapshot(gone, "n", Map.of()));
        assertEquals("ResourceNotFound", missing.code());
        assertFalse(missing.retryable());
        String id = azure.createSnapshot(DISK, "lb-a", DiskTags.snapshot("p", "b", "ns", "c")).snapshotId();
        assertEquals(SnapshotState.Status.MISSING, azure.snapshot(id.replace("lb-a", "lb-gone")).status());

        api.throttle = 1;
        assertEquals(SnapshotState.Status.PENDING, azure.snapshot(id).status(), "a 429 waited out and asked again");
        api.throttle = 100;
        DiskException throttled = assertThrows(DiskException.class, () -> azure.snapshot(id));
        assertEquals("OperationNotAllowed", throttled.code());
        assertTrue(throttled.retryable());
        api.throttle = 0;
    }

    @Test
    void aDiskIsMadeInTheOriginalResourceGroupInTheZoneAsked() {
        String id = azure.createSnapshot(DISK, "lb-a", DiskTags.snapshot("p", "b", "ns", "c")).snapshotId();
        Disk made = azure.createDisk(id, DISK, "Premium_LRS", null, "eastus2-2", "lb-back-42",
                DiskTags.restoredDisk("p", "back", "ns", "c"), null);
        assertEquals("/subscriptions/" + SUBSCRIPTION + "/resourceGroups/MC_shop_aks_eastus2/providers/Microsoft.Compute/"
                + "disks/lb-back-42", made.id());
        assertEquals("eastus2-2", made.zone());
        var put = recorder.requests().stream().filter(r -> r.method().equals("PUT") && r.path().contains("/disks/"))
                .findFirst().orElseThrow();
        assertTrue(put.body().contains("\"zones\":[\"2\"]"), put.body());
        assertTrue(put.body().contains("\"sku\":{\"name\":\"Premium_LRS\"}"), put.body());
        assertTrue(put.body().contains("\"sourceResourceId\":\"" + id + "\""), put.body());
    }

    static io.lifeboat.disk.TargetNode node(String subscription) throws Exception {
        return io.lifeboat.disk.TargetNode.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"metadata\":{\"name\":\"aks-pool-0\",\"labels\":{\"topology.kubernetes.io/region\":\"eastus2\"}},"
                        + "\"spec\":{\"providerID\":\"azure:///subscriptions/" + subscription + "/resourceGroups/"
                        + "mc_restore_aks_eastus2/providers/Microsoft.Compute/virtualMachineScaleSets/aks-pool-vmss/"
                        + "virtualMachines/0\"}}"));
    }

    /**
     * With a node of the target cluster known, the disk goes to that node's resource group (a scale set's instance
     * here); a node that says it runs in another subscription than the location's and the disk's is refused: the
     * target cluster does not choose where copies of the backup's disks go.
     */
    @Test
    void aDiskIsMadeInTheTargetNodesGroupOnlyWithinTheLocationsSubscription() throws Exception {
        String id = azure.createSnapshot(DISK, "lb-a", DiskTags.snapshot("p", "b", "ns", "c")).snapshotId();
        Disk made = azure.createDisk(id, DISK, "Premium_LRS", null, "eastus2-1", "lb-back-43",
                DiskTags.restoredDisk("p", "back", "ns", "c"), node(SUBSCRIPTION));
        assertEquals("/subscriptions/" + SUBSCRIPTION + "/resourceGroups/mc_restore_aks_eastus2/providers/"
                + "Microsoft.Compute/disks/lb-back-43", made.id());

        int puts = (int) recorder.requests().stream().filter(r -> r.method().equals("PUT")).count();
        String other = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
        DiskException refused = assertThrows(DiskException.class, () -> azure.createDisk(id, DISK, "Premium_LRS", null,
                "eastus2-1", "lb-back-44", DiskTags.restoredDisk("p", "back", "ns", "d"), node(other)));
        assertEquals(DiskSnapshots.OTHER_ACCOUNT, refused.code());
        assertTrue(refused.getMessage().contains("runs outside the location's subscription"), refused.getMessage());
        assertEquals(puts, recorder.requests().stream().filter(r -> r.method().equals("PUT")).count(), "nothing made");
    }

    @Test
    void snapshotsAreListedByTagAndDeleted() {
        String a = azure.createSnapshot(DISK, "lb-a", DiskTags.snapshot("p", "nightly", "ns", "a")).snapshotId();
        azure.createSnapshot(DISK, "lb-b", DiskTags.snapshot("p", "weekly", "ns", "a"));
        assertEquals(List.of(a), azure.snapshotsTagged(DiskTags.backup("p", "nightly")));
        assertTrue(azure.deleteSnapshot(a));
        assertFalse(azure.deleteSnapshot(a), "ARM answers 204 for what is gone");
        assertEquals(List.of(a), api.deleted);
    }

    @Test
    void aRefusedSecretIsSaidWithoutTheSecret() {
        DiskSnapshots wrong = factory(recorder).open(location(recorder, "not-the-secret"));
        DiskException refused = assertThrows(DiskException.class, () -> wrong.snapshot(
                "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/g/providers/Microsoft.Compute/snapshots/s"));
        assertEquals("invalid_client", refused.code());
        assertFalse(refused.getMessage().contains("not-the-secret"), refused.getMessage());
        assertTrue(refused.getMessage().contains("AADSTS7000215"), refused.getMessage());
    }
}
