package io.lifeboat.diff;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.error.ConflictException;
import io.lifeboat.error.UnreadableArchiveException;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two backups of one in-memory cluster, taken before and after changes, compared. */
class BackupDiffsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession cluster = new InMemoryClusterSession();

    @BeforeEach
    void setUp() {
        cluster.type("", "v1", "namespaces", "Namespace", false)
                .type("", "v1", "configmaps", "ConfigMap", true)
                .type("apps", "v1", "deployments", "Deployment", true);
        cluster.add("namespaces", null, "shop");
        cluster.add("configmaps", "shop", "settings").putObject("data").put("color", "blue").put("size", "m");
        cluster.add("configmaps", "shop", "same");
        cluster.add("deployments.apps", "shop", "web").putObject("spec").put("replicas", 2);
        cluster.add("deployments.apps", "shop", "old");
        clusters.create(new Cluster("p", "a", "k", null, "https://a", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "bucket", "team", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        backup("before");
        ObjectNode settings = (ObjectNode) cluster.objects().get("configmaps/shop/settings").get("data");
        settings.put("color", "red").remove("size");
        ObjectNode web = cluster.objects().get("deployments.apps/shop/web");
        ((ObjectNode) web.get("metadata")).put("resourceVersion", "42").put("generation", 3);
        web.putObject("status").put("readyReplicas", 2); // what servers own is no change
        cluster.objects().remove("deployments.apps/shop/old");
        cluster.add("configmaps", "shop", "new");
        cluster.add("namespaces", null, "team");
        backup("after");
    }

    void backup(String name) {
        backups.create(Backup.requested("p", name, "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600)));
        assertEquals(Backup.Phase.Completed, new BackupExecutor(backups, clusters, locations, (k, c) -> cluster,
                l -> store, clock, new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(1))).run("p", name).phase());
    }

    BackupDiffs diffs(BackupDiffs.Limits limits) {
        return new BackupDiffs(backups, locations, l -> store, ArchiveLimits.DEFAULTS, limits, null);
    }

    String tarball(String backup) {
        return Layout.backupObject("team", backup, Layout.BackupFile.TARBALL);
    }

    /** What the diff downloaded: the store's downloads since {@code before} (the backups read their own back). */
    List<String> downloadsSince(int before) {
        return store.downloads().subList(before, store.downloads().size());
    }

    @Test
    void addedRemovedAndChangedObjectsPerTypeWithTheirPatches() throws Exception {
        int downloads = store.downloads().size();
        BackupDiff diff = diffs(BackupDiffs.Limits.DEFAULTS).diff("p", "before", "after");
        assertEquals(new BackupDiff.Summary(2, 1, 1, 3), diff.summary());
        assertEquals(0, diff.patchesOmitted());
        assertEquals(List.of("configmaps", "deployments.apps", "namespaces"),
                diff.types().stream().map(BackupDiff.TypeChanges::resource).toList());
        BackupDiff.TypeChanges configMaps = diff.types().get(0);
        assertEquals(List.of("shop/new"), configMaps.added());
        assertEquals(List.of(), configMaps.removed());
        assertEquals(1, configMaps.unchanged());
        assertEquals("shop/settings", configMaps.changed().get(0).name());
        assertEquals(JSON.readTree("""
                [{"op":"replace","path":"/data/color","value":"red"},{"op":"remove","path":"/data/size"}]"""),
                configMaps.changed().get(0).patch());
        BackupDiff.TypeChanges deployments = diff.types().get(1);
        assertEquals(List.of("shop/old"), deployments.removed());
        assertEquals(List.of(), deployments.changed(), "a new resourceVersion, generation and status are no change");
        assertEquals(List.of("team"), diff.types().get(2).added());
        assertEquals(List.of(tarball("before"), tarball("after"), tarball("before")), downloadsSince(downloads),
                "the first archive is read again for the changed objects' patches");
    }

    @Test
    void aBackupComparedWithItselfHasNoChangesAndIsReadOnceEach() {
        int downloads = store.downloads().size();
        BackupDiff diff = diffs(BackupDiffs.Limits.DEFAULTS).diff("p", "after", "after");
        assertEquals(new BackupDiff.Summary(0, 0, 0, 6), diff.summary());
        assertEquals(List.of(), diff.types());
        assertEquals(List.of(tarball("after"), tarball("after")), downloadsSince(downloads), "nothing changed: no third read");
    }

    @Test
    void pastItsLimitAChangedObjectIsListedWithoutItsPatch() {
        cluster.add("configmaps", "shop", "also");
        backup("later");
        ((ObjectNode) cluster.objects().get("configmaps/shop/also")).putObject("data").put("k", "v");
        ((ObjectNode) cluster.objects().get("configmaps/shop/same")).putObject("data").put("k", "v");
        backup("latest");
        BackupDiff diff = diffs(new BackupDiffs.Limits(1, 1 << 20)).diff("p", "later", "latest");
        assertEquals(2, diff.summary().changed());
        assertEquals(1, diff.patchesOmitted());
        List<BackupDiff.Changed> changed = diff.types().get(0).changed();
        assertEquals(1, changed.stream().filter(c -> c.patch() == null).count(), changed.toString());
    }

    @Test
    void anArchiveChangedInTheBucketOrAnUnfinishedBackupIsRefused() {
        byte[] after = store.objects().get(tarball("after"));
        store.put(tarball("after"), java.util.Arrays.copyOf(after, after.length)); // the same bytes: accepted
        diffs(BackupDiffs.Limits.DEFAULTS).diff("p", "before", "after");
        store.put(tarball("after"), store.objects().get(tarball("before")));
        UnreadableArchiveException changed = assertThrows(UnreadableArchiveException.class,
                () -> diffs(BackupDiffs.Limits.DEFAULTS).diff("p", "before", "after"));
        assertTrue(changed.getMessage().contains("but the backup recorded"), changed.getMessage());
        assertEquals(422, changed.status());

        backups.create(Backup.requested("p", "running", "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600)));
        ConflictException running = assertThrows(ConflictException.class,
                () -> diffs(BackupDiffs.Limits.DEFAULTS).diff("p", "before", "running"));
        assertEquals("other", running.field());
    }
}
