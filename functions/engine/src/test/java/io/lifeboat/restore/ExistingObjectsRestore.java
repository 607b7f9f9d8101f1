package io.lifeboat.restore;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A backup of {@code count} ConfigMaps in namespace {@code bulk}, and a target cluster where each already exists and
 * differs: a restore with policy {@code none} warns once per object. The restore records go to the repository given
 * (in memory, or DynamoDB Local); everything else is in memory.
 */
public final class ExistingObjectsRestore {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String BACKUP = "bulk-backup";

    private final Clock clock = Clock.systemUTC();
    private final String project;
    private final RestoreRepository restores;
    public final InMemoryObjectStore store = new InMemoryObjectStore();
    public final InMemoryClusterSession target = new InMemoryClusterSession();
    private final RestoreExecutor executor;

    public ExistingObjectsRestore(String project, RestoreRepository restores, int count) {
        this.project = project;
        this.restores = restores;
        InMemoryBackupRepository backups = new InMemoryBackupRepository();
        InMemoryClusterRepository clusters = new InMemoryClusterRepository();
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        InMemoryClusterSession source = new InMemoryClusterSession();
        source.type("", "v1", "namespaces", "Namespace", false).type("", "v1", "configmaps", "ConfigMap", true);
        target.serve("", "v1", "namespaces", "Namespace", false).serve("", "v1", "configmaps", "ConfigMap", true);
        source.add("namespaces", null, "bulk");
        for (int i = 0; i < count; i++) {
            String name = "settings-" + i;
            source.add("configmaps", "bulk", name).putObject("data").put("color", "blue");
            var live = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
            live.putObject("metadata").put("name", name).put("namespace", "bulk");
            live.putObject("data").put("color", "red");
            target.put("configmaps", "bulk", name, live);
        }
        clusters.create(new Cluster(project, "a", "kubeconfig-a", null, "https://a", ClusterStatus.unknown(), clock.instant()));
        clusters.create(new Cluster(project, "b", "kubeconfig-b", null, "https://b", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location(project, "loc", Provider.MINIO, "bucket", "", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        backups.create(Backup.requested(project, BACKUP, "a", "loc", List.of("bulk"), false, false, clock.instant(),
                clock.instant().plusSeconds(3600)));
        Backup done = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock,
                new BackupExecutor.Settings(500, 2, 1, Duration.ofSeconds(1))).run(project, BACKUP);
        if (done.phase() != Backup.Phase.Completed) {
            throw new IllegalStateException("the backup of the fixture is " + done.phase() + ": " + done.firstErrors());
        }
        executor = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> target, l -> store, clock,
                Duration.ofSeconds(1));
    }

    /** Restores the backup into cluster b with policy none. */
    public Restore run(String name) {
        restores.create(Restore.requested(project, name, BACKUP, "b", new Restore.Request(false, false, false,
                List.of("bulk"), Map.of(), Map.of(), ExistingResourcePolicy.none, Map.of(), List.of()), clock.instant()));
        return executor.run(project, name);
    }

    /** The restore's results file, read back from the bucket. */
    public Map<String, Object> resultsFile(String restore) {
        byte[] gz = store.objects().get(Layout.restoreObject("", restore, Layout.RestoreFile.RESULTS));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return JSON.readValue(in, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many messages of one kind ("warnings", "errors") a results map holds, in every list. */
    @SuppressWarnings("unchecked")
    public static int messages(Map<String, Object> results, String kind) {
        Map<String, Object> shape = (Map<String, Object>) results.get(kind);
        int n = ((List<?>) shape.get("velero")).size() + ((List<?>) shape.get("cluster")).size();
        for (Object messages : ((Map<String, Object>) shape.get("namespaces")).values()) {
            n += ((List<?>) messages).size();
        }
        return n;
    }
}
