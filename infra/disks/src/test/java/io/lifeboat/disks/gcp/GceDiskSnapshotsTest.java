package io.lifeboat.disks.gcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.disk.Cloud;
import io.lifeboat.disk.Disk;
import io.lifeboat.disk.DiskException;
import io.lifeboat.disk.DiskSnapshots;
import io.lifeboat.disk.DiskTags;
import io.lifeboat.disk.SnapshotState;
import io.lifeboat.disks.http.Recorder;
import io.lifeboat.disks.providers.RecorderFactories;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Compute Engine adapter over its REST API, against a recorder of compute/v1 and Google's token endpoint. */
public class GceDiskSnapshotsTest {
    public static final String ACCOUNT = "lifeboat@shop-prod.iam.gserviceaccount.com";
    static final String DISK_PATH = "projects/shop-prod/zones/europe-west1-b/disks/pvc-7f3a";
    static final Disk DISK = new Disk(Cloud.gcp, DISK_PATH, "europe-west1-b", "europe-west1", "pd.csi.storage.gke.io");
    public static final KeyPair KEYS = keys();
    ComputeApi api;
    Recorder recorder;
    DiskSnapshots gce;

    static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Location location(Recorder recorder) {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(KEYS.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String key = new ObjectMapper().createObjectNode().put("type", "service_account").put("project_id", "shop-prod")
                .put("private_key_id", "0123abcd").put("private_key", pem).put("client_email", ACCOUNT)
                .put("token_uri", recorder.uri() + "/token").toString();
        return new Location("p", "loc", Provider.GCP, "backups", "", Map.of(LocationField.JSON_CREDENTIALS, key,
                LocationField.SNAPSHOT_MODE, "native"), LocationStatus.available(Instant.EPOCH), Instant.EPOCH);
    }

    @BeforeEach
    void setUp() throws Exception {
        api = new ComputeApi(KEYS.getPublic(), ACCOUNT).disk(DISK_PATH, "pd-ssd")
                .disk("projects/shop-prod/zones/us-central1-f/disks/gke-shop-pvc-1", "pd-standard");
        recorder = new Recorder(api);
        api.tokenUri = recorder.uri() + "/token";
        gce = RecorderFactories.to(recorder).open(location(recorder));
    }

    @AfterEach
    void tearDown() {
        recorder.close();
        assertEquals(List.of(), recorder.refusals(), "every request kept Compute Engine's rules");
    }

    @Test
    void aSnapshotIsStartedLabelledAndLookedAtUntilReady() {
        DiskSnapshots.Started started = gce.createSnapshot(DISK, "lb-nightly-0123",
                DiskTags.snapshot("p", "nightly", "shop", "Data.Claim"));
        assertEquals("projects/shop-prod/global/snapshots/lb-nightly-0123", started.snapshotId());
        assertEquals("pd-ssd", started.volumeType());
        var create = recorder.requests().stream().filter(r -> r.path().endsWith("/createSnapshot")).findFirst().orElseThrow();
        assertEquals("/compute/v1/" + DISK_PATH + "/createSnapshot", create.path());
        assertTrue(create.body().contains("\"lifeboat-claim\":\"shop_data-claim\""), "label values in the label alphabet: "
                + create.body());
        assertEquals(SnapshotState.Status.PENDING, gce.snapshot(started.snapshotId()).status());
        assertEquals(SnapshotState.Status.PENDING, gce.snapshot(started.snapshotId()).status());
        SnapshotState ready = gce.snapshot(started.snapshotId());
        assertEquals(SnapshotState.Status.COMPLETED, ready.status());
        assertEquals("nightly", ready.tags().get("lifeboat-backup"));
        assertEquals(1, api.tokens);
    }

    @Test
    void anInTreeDiskIsTheAccountsProjectsAndItsNewDiskIsNamedAlone() {
        Disk inTree = new Disk(Cloud.gcp, "zones/us-central1-f/disks/gke-shop-pvc-1", "us-central1-f", "us-central1",
                "gcePersistentDisk");
        String id = gce.createSnapshot(inTree, "lb-a", DiskTags.snapshot("p", "b", "ns", "c")).snapshotId();
        for (int i = 0; i < 3; i++) {
            gce.snapshot(id);
        }
        Disk made = gce.createDisk(id, inTree, "pd-standard", null, "us-central1-a", "lb-back-42",
                DiskTags.restoredDisk("p", "back", "ns", "c"), null);
        assertEquals("zones/us-central1-a/disks/lb-back-42", made.id());
        assertEquals("lb-back-42", made.name());
        assertEquals(id, api.inserted.get(0).path("sourceSnapshot").asText());
        assertEquals("projects/shop-prod/zones/us-central1-a/diskTypes/pd-standard", api.inserted.get(0).path("type").asText());
        assertEquals("back", api.inserted.get(0).path("labels").path("lifeboat-restore").asText());
    }

    static io.lifeboat.disk.TargetNode node(String project) throws Exception {
        return io.lifeboat.disk.TargetNode.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"metadata\":{\"name\":\"gke-restore-pool-1\"},\"spec\":{\"providerID\":\"gce://" + project
                        + "/europe-west1-c/gke-restore-pool-1\"}}"));
    }

    /**
     * A node of the target cluster in the service account's project gets its disk there; one that says it runs in
     * another project is refused: the target cluster does not choose where copies of the backup's disks go.
     */
    @Test
    void aDiskIsMadeInTheTargetNodesProjectOnlyWhenItIsTheLocationsOrTheDisks() throws Exception {
        String id = gce.createSnapshot(DISK, "lb-a", DiskTags.snapshot("p", "b", "ns", "c")).snapshotId();
        for (int i = 0; i < 3; i++) {
            gce.snapshot(id);
        }
        Disk made = gce.createDisk(id, DISK, "pd-ssd", null, "europe-west1-c", "lb-back-44",
                DiskTags.restoredDisk("p", "back", "ns", "c"), node("shop-prod"));
        assertEquals("projects/shop-prod/zones/europe-west1-c/disks/lb-back-44", made.id());

        DiskException refused = assertThrows(DiskException.class, () -> gce.createDisk(id, DISK, "pd-ssd", null,
                "europe-west1-c", "lb-back-45", DiskTags.restoredDisk("p", "back", "ns", "d"), node("attacker-proj")));
        assertEquals(DiskSnapshots.OTHER_ACCOUNT, refused.code());
        assertTrue(refused.getMessage().contains("runs outside the location's project (shop-prod)"), refused.getMessage());
        assertEquals(1, api.inserted.size(), "nothing made for the other project");
        assertTrue(recorder.requests().stream().noneMatch(r -> r.path().contains("attacker-proj")),
                recorder.requests().toString());
    }

    @Test
    void notFoundAndThrottlingAreSaidAsComputeEngineSaysThem() {
        DiskException missing = assertThrows(DiskException.class, () -> gce.createSnapshot(
                new Disk(Cloud.gcp, "projects/shop-prod/zones/europe-west1-b/disks/gone", "europe-west1-b", null, "x"),
                "n", Map.of()));
        assertEquals("notFound", missing.code());
        assertFalse(missing.retryable());
        assertEquals(SnapshotState.Status.MISSING, gce.snapshot("projects/shop-prod/global/snapshots/gone").status());
        String id = gce.createSnapshot(DISK, "lb-a", DiskTags.snapshot("p", "b", "ns", "c")).snapshotId();
        api.throttle = 1;
        assertEquals(SnapshotState.Status.PENDING, gce.snapshot(id).status(), "a 429 waited out");
        api.throttle = 100;
        DiskException throttled = assertThrows(DiskException.class, () -> gce.snapshot(id));
        assertEquals("rateLimitExceeded", throttled.code());
        assertTrue(throttled.retryable());
        api.throttle = 0;
    }

    @Test
    void snapshotsAreListedByLabelPageByPageAndDeleted() {
        api.pageSize = 1;
        String a = gce.createSnapshot(DISK, "lb-a", DiskTags.snapshot("p", "nightly", "ns", "a")).snapshotId();
        String b = gce.createSnapshot(DISK, "lb-b", DiskTags.snapshot("p", "nightly", "ns", "b")).snapshotId();
        gce.createSnapshot(DISK, "lb-c", DiskTags.snapshot("p", "weekly", "ns", "a"));
        assertEquals(List.of(a, b), gce.snapshotsTagged(DiskTags.backup("p", "nightly")));
        assertEquals("(labels.lifeboat-project = \"p\") AND (labels.lifeboat-backup = \"nightly\")", api.filters.get(0));
        assertTrue(gce.deleteSnapshot(a));
        assertFalse(gce.deleteSnapshot(a));
        assertEquals(List.of(a), api.deleted);
    }
}
