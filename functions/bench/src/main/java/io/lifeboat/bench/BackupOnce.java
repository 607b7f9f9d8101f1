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
import io.lifeboat.objectstore.providers.ProviderObjectStoreFactory;
import io.lifeboat.objectstore.s3.S3Clients;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One backup in a fresh JVM, as run-backup does it, into an S3 location (its provider {@code -Dlifeboat.bench.provider},
 * AWS by default): the benchmark runs this as a child process so that its peak memory is its own. It backs up twice:
 * the first in a cold JVM, then three more in the now warm JVM (as in a Lambda container that has served before),
 * whose median is the warm figure ({@code -Dlifeboat.bench.warm-runs=K} for K of them, to profile them). Prints one line: {@code items coldSeconds warmSeconds peakRssKb peakHeapKb}.
 * Arguments: kubeconfig file, S3 URL, access key, secret key, bucket.
 */
public final class BackupOnce {
    public static void main(String[] args) throws Exception {
        BenchLogging.asDeployed();
        String kubeconfig = Files.readString(Path.of(args[0]));
        Clock clock = Clock.systemUTC();
        InMemoryClusterRepository clusters = new InMemoryClusterRepository();
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        InMemoryBackupRepository backups = new InMemoryBackupRepository();
        clusters.create(new Cluster("bench", "sandbox", kubeconfig, null, "sandbox", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("bench", "s3", Provider.valueOf(System.getProperty("lifeboat.bench.provider", "AWS")), args[4], "", Map.of(
                LocationField.REGION, "us-east-1", LocationField.S3_URL, args[1], LocationField.FORCE_PATH_STYLE, "true",
                LocationField.ACCESS_KEY_ID, args[2], LocationField.SECRET_ACCESS_KEY, args[3]),
                LocationStatus.available(clock.instant()), clock.instant()));
        BackupExecutor executor = new BackupExecutor(backups, clusters, locations,
                new KubeClusterSessions(KubeClients.defaults(), 60_000),
                ProviderObjectStoreFactory.standard(S3Clients.StsAccess.defaults(),
                io.lifeboat.input.OutboundPolicy.localMode()), clock,
                new BackupExecutor.Settings(500, 4, 250, Duration.ofMinutes(1)));
        int runs = 1 + Integer.getInteger("lifeboat.bench.warm-runs", 3); // more warm runs to profile them
        double[] seconds = new double[runs];
        long items = 0;
        for (int run = 0; run < runs; run++) {
            String name = "bench-" + run + "-" + System.nanoTime();
            backups.create(Backup.requested("bench", name, "sandbox", "s3", List.of(), null, false, clock.instant(),
                    clock.instant().plus(Duration.ofDays(1))));
            long start = System.nanoTime();
            Backup done = executor.run("bench", name);
            seconds[run] = (System.nanoTime() - start) / 1e9;
            if (done.phase() != Backup.Phase.Completed) {
                System.out.println("backup " + done.phase() + ": " + done.firstErrors());
                System.exit(1);
            }
            items = done.progress().itemsBackedUp();
        }
        double[] warm = java.util.Arrays.copyOfRange(seconds, 1, runs);
        java.util.Arrays.sort(warm);
        System.out.printf("%d %.3f %.3f %d %d%n", items, seconds[0], warm[warm.length / 2], peakRssKb(), peakHeapKb());
        System.exit(0);
    }

    /** VmHWM: the most resident memory the process ever had. */
    static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    static long peakHeapKb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / 1024;
    }
}
