package io.lifeboat.bench;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.kube.KubeClients;
import io.lifeboat.kube.KubeClusterSessions;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.providers.ProviderObjectStoreFactory;
import io.lifeboat.objectstore.s3.S3Clients;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreExecutor;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lifeboat.restore.ExistingResourcePolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * In a fresh JVM: backs up the source cluster, then restores that backup into two empty clusters, the first cold,
 * the second warm; then changes half of the second cluster's ConfigMaps and Secrets and restores the same backup onto
 * it again (every object exists), with policy none (the changed ones are warned about), then with policy update (the
 * changed ones are updated). Prints
 * {@code items coldSeconds warmSeconds ontoNoneSeconds ontoUpdateSeconds changed peakRssKb}.
 * Arguments: source kubeconfig, target kubeconfig, second target kubeconfig, S3 URL, access key, secret key, bucket.
 */
public final class RestoreOnce {
    public static void main(String[] args) throws Exception {
        BenchLogging.asDeployed();
        Clock clock = Clock.systemUTC();
        InMemoryClusterRepository clusters = new InMemoryClusterRepository();
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        InMemoryBackupRepository backups = new InMemoryBackupRepository();
        InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
        for (int i = 0; i < 3; i++) {
            clusters.create(new Cluster("bench", "c" + i, Files.readString(Path.of(args[i])), null, "sandbox",
                    ClusterStatus.unknown(), clock.instant()));
        }
        locations.create(new Location("bench", "s3", Provider.valueOf(System.getProperty("lifeboat.bench.provider", "AWS")), args[6], "", Map.of(
                LocationField.REGION, "us-east-1", LocationField.S3_URL, args[3], LocationField.FORCE_PATH_STYLE, "true",
                LocationField.ACCESS_KEY_ID, args[4], LocationField.SECRET_ACCESS_KEY, args[5]),
                LocationStatus.available(clock.instant()), clock.instant()));
        ObjectStoreFactory stores = ProviderObjectStoreFactory.standard(S3Clients.StsAccess.defaults(),
                io.lifeboat.input.OutboundPolicy.localMode());
        backups.create(Backup.requested("bench", "source", "c0", "s3", List.of(), null, false, clock.instant(),
                clock.instant().plus(Duration.ofDays(1))));
        Backup backup = new BackupExecutor(backups, clusters, locations, new KubeClusterSessions(KubeClients.defaults(), 60_000),
                stores, clock, new BackupExecutor.Settings(500, 4, 250, Duration.ofMinutes(1))).run("bench", "source");
        if (backup.phase() != Backup.Phase.Completed) {
            System.out.println("backup " + backup.phase() + ": " + backup.firstErrors());
            System.exit(1);
        }
        RestoreExecutor executor = new RestoreExecutor(restores, backups, clusters, locations,
                new KubeClusterSessions(KubeClients.defaults(), 60_000), stores, clock, Duration.ofSeconds(60));
        double[] seconds = new double[4];
        long items = 0;
        int changed = 0;
        for (int run = 0; run < 4; run++) {
            if (run == 2) {
                changed = changeHalf(Files.readString(Path.of(args[2])));
            }
            String name = "r" + run;
            ExistingResourcePolicy policy = run == 3 ? ExistingResourcePolicy.update : ExistingResourcePolicy.none;
            restores.create(Restore.requested("bench", name, "source", "c" + Math.min(run + 1, 2), new Restore.Request(true,
                    false, false, List.of(), Map.of(), Map.of(), policy, Map.of(), List.of()), clock.instant()));
            long start = System.nanoTime();
            Restore done = executor.run("bench", name);
            seconds[run] = (System.nanoTime() - start) / 1e9;
            if (done.phase() != Restore.Phase.Completed) {
                System.out.println("restore " + done.phase() + ": " + done.results());
                System.exit(1);
            }
            if (run < 2) {
                items = done.counts().created();
            } else if (done.counts().created() + done.counts().updated() + done.counts().skipped() != done.progress().totalItems()
                    || (run == 2 && done.warnings() != changed) || (run == 3 && done.counts().updated() != changed)) {
                System.out.println("restore " + name + " onto the populated cluster: " + done.counts() + ", "
                        + done.warnings() + " warnings, " + changed + " changed");
                System.exit(1);
            }
        }
        System.out.printf("%d %.3f %.3f %.3f %.3f %d %d%n", items, seconds[0], seconds[1], seconds[2], seconds[3], changed,
                BackupOnce.peakRssKb());
        System.exit(0);
    }

    /**
     * Labels every other ConfigMap and Secret of the cluster (in list order), 32 at a time, reading the lists page by
     * page so that the benchmark's own memory stays flat at 100k objects; returns how many it changed.
     */
    private static int changeHalf(String kubeconfig) throws Exception {
        try (KubernetesClient client = KubeClients.defaults().connect(kubeconfig, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            int changed = 0;
            try {
                changed += changeHalf(client, pool, token -> client.configMaps().inAnyNamespace()
                        .list(new ListOptionsBuilder().withLimit(500L).withContinue(token).build()));
                changed += changeHalf(client, pool, token -> client.secrets().inAnyNamespace()
                        .list(new ListOptionsBuilder().withLimit(500L).withContinue(token).build()));
            } finally {
                pool.shutdown();
            }
            return changed;
        }
    }

    private static int changeHalf(KubernetesClient client, ExecutorService pool,
                                  Function<String, KubernetesResourceList<? extends HasMetadata>> page) throws Exception {
        int seen = 0;
        int changed = 0;
        String token = null;
        do {
            KubernetesResourceList<? extends HasMetadata> list = page.apply(token);
            List<Future<?>> edits = new ArrayList<>();
            for (HasMetadata object : list.getItems()) {
                if (seen++ % 2 == 0) {
                    edits.add(pool.submit(() -> client.resource(object).edit(o -> {
                        o.getMetadata().getLabels().put("bench-changed", "yes");
                        return o;
                    })));
                }
            }
            for (Future<?> edit : edits) {
                edit.get();
            }
            changed += edits.size();
            token = list.getMetadata().getContinue();
        } while (token != null && !token.isEmpty());
        return changed;
    }
}
