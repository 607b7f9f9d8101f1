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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * In a fresh JVM: backs up the source cluster, then restores that backup into two empty clusters, the first cold,
 * the second warm. Prints {@code items coldSeconds warmSeconds}. Arguments: source kubeconfig, target kubeconfig,
 * second target kubeconfig, S3 URL, access key, secret key, bucket.
 */
public final class RestoreOnce {
    public static void main(String[] args) throws Exception {
        Clock clock = Clock.systemUTC();
        InMemoryClusterRepository clusters = new InMemoryClusterRepository();
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        InMemoryBackupRepository backups = new InMemoryBackupRepository();
        InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
        for (int i = 0; i < 3; i++) {
            clusters.create(new Cluster("bench", "c" + i, Files.readString(Path.of(args[i])), null, "sandbox",
                    ClusterStatus.unknown(), clock.instant()));
        }
        locations.create(new Location("bench", "s3", Provider.MINIO, args[6], "", Map.of(
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
        double[] seconds = new double[2];
        long items = 0;
        for (int run = 0; run < 2; run++) {
            String name = "r" + run;
            restores.create(Restore.requested("bench", name, "source", "c" + (run + 1), new Restore.Request(true, false,
                    false, List.of(), Map.of(), Map.of(), io.lifeboat.restore.ExistingResourcePolicy.none, Map.of(), List.of()), clock.instant()));
            long start = System.nanoTime();
            Restore done = executor.run("bench", name);
            seconds[run] = (System.nanoTime() - start) / 1e9;
            if (done.phase() != Restore.Phase.Completed) {
                System.out.println("restore " + done.phase() + ": " + done.results());
                System.exit(1);
            }
            items = done.counts().created();
        }
        System.out.printf("%d %.3f %.3f%n", items, seconds[0], seconds[1]);
        System.exit(0);
    }
}
