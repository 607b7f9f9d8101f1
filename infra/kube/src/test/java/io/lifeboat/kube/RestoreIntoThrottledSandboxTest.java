package io.lifeboat.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
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
import io.lifeboat.restore.ExistingResourcePolicy;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreExecutor;
import io.lifeboat.sandbox.kube.SandboxCluster;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole restore, pipelined, into a sandbox that answers after 50 ms and serves four requests at once (429 with
 * Retry-After beyond that): the window's creates are throttled and waited out without an error, and the only errors
 * are the items the API server refuses (their namespace does not exist there), each one of its namespace.
 */
class RestoreIntoThrottledSandboxTest {
    @Test
    void throttledCreatesAreWaitedOutAndRefusedOnesAreErrorsOfTheirNamespace() {
        Clock clock = Clock.systemUTC();
        InMemoryClusterSession source = new InMemoryClusterSession()
                .serve("", "v1", "namespaces", "Namespace", false)
                .serve("", "v1", "configmaps", "ConfigMap", true);
        source.add("namespaces", null, "shop"); // "ghost" has ConfigMaps but no Namespace in the backup
        int kept = 60;
        int lost = 3;
        for (int i = 0; i < kept; i++) {
            source.add("configmaps", "shop", "cm-" + i).putObject("data").put("n", String.valueOf(i));
        }
        for (int i = 0; i < lost; i++) {
            source.add("configmaps", "ghost", "cm-" + i);
        }
        InMemoryBackupRepository backups = new InMemoryBackupRepository();
        InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
        InMemoryClusterRepository clusters = new InMemoryClusterRepository();
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        InMemoryObjectStore store = new InMemoryObjectStore();

        try (SandboxCluster sandbox = SandboxCluster.builder().latency(Duration.ofMillis(50)).maxInFlight(4).start()) {
            clusters.create(new Cluster("p", "a", "unused", null, "https://a", ClusterStatus.unknown(), clock.instant()));
            clusters.create(new Cluster("p", "b", sandbox.kubeconfigYaml(), null, sandbox.url(), ClusterStatus.unknown(),
                    clock.instant()));
            locations.create(new Location("p", "loc", Provider.MINIO, "bucket", "", Map.of(),
                    LocationStatus.available(clock.instant()), clock.instant()));
            backups.create(Backup.requested("p", "nightly", "a", "loc", List.of(), null, false, clock.instant(),
                    clock.instant().plusSeconds(3600)));
            Backup backup = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock,
                    new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(1))).run("p", "nightly");
            assertEquals(Backup.Phase.Completed, backup.phase());

            KubeClusterSessions sessions = new KubeClusterSessions(KubeClients.defaults(), 60_000);
            AtomicReference<KubeClusterSession> opened = new AtomicReference<>();
            RestoreExecutor executor = new RestoreExecutor(restores, backups, clusters, locations, (kubeconfig, context) -> {
                KubeClusterSession session = (KubeClusterSession) sessions.open(kubeconfig, context);
                opened.set(session);
                return session;
            }, l -> store, clock, Duration.ofSeconds(5));
            restores.create(Restore.requested("p", "into-sandbox", "nightly", "b", new Restore.Request(true, false,
                    false, List.of(), Map.of(), Map.of(), ExistingResourcePolicy.none, Map.of(), List.of()),
                    clock.instant()));
            Restore done = executor.run("p", "into-sandbox");

            assertEquals(Restore.Phase.PartiallyFailed, done.phase(), done.results().toString());
            assertEquals(lost, done.errors(), done.results().toString());
            Map<?, ?> errors = (Map<?, ?>) done.results().get("errors");
            assertEquals(List.of(), errors.get("velero"), "no error of the run: the 429s are not errors");
            assertEquals(List.of(), errors.get("cluster"));
            Map<?, ?> byNamespace = (Map<?, ?>) errors.get("namespaces");
            assertEquals(List.of("ghost"), List.copyOf(byNamespace.keySet()), errors.toString());
            assertEquals(lost, ((List<?>) byNamespace.get("ghost")).size());
            assertEquals(new Restore.Counts(1 + kept, 0, 0), done.counts());
            assertEquals(new Restore.Progress(1 + kept + lost, 1 + kept + lost), done.progress());

            List<ConfigMap> restored = sandbox.client().configMaps().inNamespace("shop").list().getItems();
            assertEquals(kept, restored.size());
            assertTrue(opened.get().throttledRetries() > 0,
                    "a window of " + kept + " creates against four places: the sandbox must have refused some");
            assertTrue(sandbox.load().peakInFlight() <= 4);
        }
    }
}
