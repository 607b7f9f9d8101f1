package io.lifeboat.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lifeboat.discovery.BackupTypes;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.kube.KubeClients;
import io.lifeboat.kube.KubeClusterSession;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.lifeboat.sandbox.s3proxy.S3ProxyServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Backup throughput and memory, against kubectl on the same sandbox API server. For each N it loads N/2 ConfigMaps
 * and N/2 Secrets of about 1 KiB in 20 namespaces, then, three times each, runs a Lifeboat backup into s3proxy in a
 * fresh JVM and {@code kubectl get <type> -A -o json > file} for every type Lifeboat backs up. It prints medians.
 *
 * <p>Run from the checkout's root after a build:
 * {@code java -cp 'functions/bench/target/classes:functions/bench/target/lib/*' io.lifeboat.bench.BackupBenchmark 1000 10000}
 */
public final class BackupBenchmark {
    private static final int NAMESPACES = 20;
    private static final int RUNS = 3;
    private static final String CHILD_HEAP = System.getenv().getOrDefault("LIFEBOAT_BENCH_HEAP", "-Xmx64m");

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args.length == 0 ? new String[]{"1000", "10000"} : args) {
            sizes.add(Integer.parseInt(arg));
        }
        Path work = Files.createTempDirectory("lifeboat-bench");
        System.out.println("objects | kubectl s | Lifeboat cold s | ratio | Lifeboat warm s | ratio | kubectl obj/s | Lifeboat warm obj/s | peak RSS MB | peak heap MB (" + CHILD_HEAP + ")");
        for (int n : sizes) {
            try (SandboxCluster cluster = SandboxCluster.builder().name("bench").start();
                 S3ProxyServer s3 = S3ProxyServer.builder().workFolder(work.resolve("s3proxy-" + n)).start()) {
                load(cluster.client(), n);
                try (S3Client admin = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                        .endpointOverride(URI.create(s3.url())).httpClient(UrlConnectionHttpClient.create())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                        .build()) {
                    admin.createBucket(r -> r.bucket("bench"));
                }
                Path kubeconfig = cluster.kubeconfigFile(work.resolve("kubeconfig-" + n));
                List<double[]> lifeboat = new ArrayList<>();
                List<Double> kubectl = new ArrayList<>();
                List<ResourceType> types;
                try (KubeClusterSession source = new KubeClusterSession(KubeClients.defaults().connect(cluster.kubeconfigYaml(), null), 60_000)) {
                    types = BackupTypes.select(source.discover().types()).selected();
                }
                for (int run = 0; run < RUNS; run++) {
                    lifeboat.add(lifeboatBackup(kubeconfig, s3));
                    kubectl.add(kubectlBackup(kubeconfig, types, work.resolve("kubectl-" + n)));
                }
                double items = lifeboat.get(0)[0];
                double cold = median(lifeboat.stream().map(r -> r[1]).toList());
                double warm = median(lifeboat.stream().map(r -> r[2]).toList());
                double kubectlSeconds = median(kubectl);
                double rss = lifeboat.stream().mapToDouble(r -> r[3]).max().orElse(0) / 1024;
                double heap = lifeboat.stream().mapToDouble(r -> r[4]).max().orElse(0) / 1024;
                System.out.printf("%7.0f | %9.2f | %15.2f | %5.1f | %15.2f | %5.1f | %13.0f | %19.0f | %11.0f | %12.0f%n",
                        items, kubectlSeconds, cold, kubectlSeconds / cold, warm, kubectlSeconds / warm,
                        items / kubectlSeconds, items / warm, rss, heap);
            }
        }
    }

    /** N/2 ConfigMaps and N/2 Secrets of about 1 KiB each, spread over 20 namespaces, created by 4 threads. */
    static void load(KubernetesClient client, int n) throws Exception {
        create(client, objects(n));
    }

    /** The 20 namespaces, then N/2 ConfigMaps and N/2 Secrets of about 1 KiB each. */
    static List<HasMetadata> objects(int n) {
        List<HasMetadata> objects = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            objects.add(new NamespaceBuilder().withNewMetadata().withName("ns-" + i).endMetadata().build());
        }
        Random random = new Random(42);
        for (int i = 0; i < n; i++) {
            String namespace = "ns-" + (i % NAMESPACES);
            byte[] payload = new byte[768];
            random.nextBytes(payload);
            String value = Base64.getEncoder().encodeToString(payload);
            objects.add(i % 2 == 0
                    ? new ConfigMapBuilder().withNewMetadata().withName("config-" + i).withNamespace(namespace)
                    .withLabels(Map.of("app", "bench", "tier", "t" + (i % 7))).endMetadata()
                    .withData(Map.of("settings.properties", value)).build()
                    : new SecretBuilder().withNewMetadata().withName("secret-" + i).withNamespace(namespace)
                    .withLabels(Map.of("app", "bench")).endMetadata().withType("Opaque")
                    .withData(Map.of("token", value)).build());
        }
        return objects;
    }

    /** Namespaces first, then the rest by 4 threads. */
    static void create(KubernetesClient client, List<HasMetadata> objects) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<HasMetadata>> created = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object.getKind().equals("Namespace")) {
                client.resource(object).create();
            } else {
                created.add(pool.submit(() -> client.resource(object).create()));
            }
        }
        for (Future<HasMetadata> future : created) {
            future.get();
        }
        pool.shutdown();
    }

    /** items, cold seconds, warm seconds, peak RSS KiB, peak heap KiB of two backups in a fresh JVM. */
    static double[] lifeboatBackup(Path kubeconfig, S3ProxyServer s3) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, CHILD_HEAP, "-XX:+UseSerialGC"));
        String extra = System.getenv("LIFEBOAT_BENCH_CHILD_OPTS"); // e.g. -XX:StartFlightRecording=filename=b.jfr
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BackupOnce.class.getName(),
                kubeconfig.toString(), s3.url(), s3.accessKey(), s3.secretKey(), "bench"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes()).trim();
        if (System.getenv("LIFEBOAT_BENCH_DEBUG") != null) {
            System.out.println(out);
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the backup failed: " + out);
        }
        String[] fields = out.substring(out.lastIndexOf('\n') + 1).split(" ");
        return new double[]{Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]),
                Double.parseDouble(fields[3]), Double.parseDouble(fields[4])};
    }

    /** What a script would do: kubectl get each type, one after another, each into its own file. */
    static double kubectlBackup(Path kubeconfig, List<ResourceType> types, Path folder) throws Exception {
        Files.createDirectories(folder);
        long start = System.nanoTime();
        for (ResourceType type : types) {
            File out = folder.resolve(type.groupResource() + ".json").toFile();
            Process process = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "get",
                    type.groupResource(), "-A", "-o", "json", "--request-timeout=60s")
                    .redirectOutput(out).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("kubectl get " + type.groupResource() + " failed");
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
