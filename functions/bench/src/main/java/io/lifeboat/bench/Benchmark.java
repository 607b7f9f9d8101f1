package io.lifeboat.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
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
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Lifeboat against kubectl, side by side in one run, on sandbox API servers that answer each request after a set
 * latency: for each latency and each N (ConfigMaps and Secrets of about 1 KiB in 20 namespaces, {@link Workload}),
 * <ul>
 *   <li>the sandbox's own ceiling: objects/s it creates for a light asynchronous client with 64 requests in flight
 *   (this is how the source is loaded; the sandboxes' code is warmed up first, in this JVM);</li>
 *   <li>backup: Lifeboat in a fresh JVM, cold then warm, into s3proxy; {@code kubectl get} of every type Lifeboat
 *   backs up in one call, and once per type; peak RSS and heap of Lifeboat's JVM;</li>
 *   <li>restore: Lifeboat in a fresh JVM into an empty sandbox (cold, then warm into another), then onto the warm
 *   one again where every object exists and half were changed (policy none, then update);
 *   {@code kubectl create -f} of the same objects into an empty sandbox, and {@code kubectl replace -f} onto the
 *   populated one ({@code kubectl apply -f} cannot run against the sandbox: it answers 415 to the strategic-merge
 *   and server-side-apply patches apply sends).</li>
 * </ul>
 * Ratios are kubectl's seconds over Lifeboat's warm seconds (above 1: Lifeboat is faster). The figures are those of
 * a model (the sandbox, its latency and s3proxy on this machine), not of a real cluster.
 *
 * <p>Run from the checkout's root after a build:
 * {@code java -cp 'functions/bench/target/classes:functions/bench/target/lib/*' io.lifeboat.bench.Benchmark
 * --sizes 1000,10000,100000 --latencies 0,5}. {@code --runs R} repeats each measurement and keeps the median
 * (1 by default); {@code --kubectl-restore-max N} leaves kubectl's restores out above N objects (its create and replace
 * send one request after another, so at 5 ms they take N × 5 ms at least). The child JVM's heap is
 * {@code LIFEBOAT_BENCH_HEAP} (-Xmx256m by default); its location's provider {@code LIFEBOAT_BENCH_PROVIDER}
 * (AWS by default: the S3 SDK against s3proxy).
 */
public final class Benchmark {
    /** Requests in flight while the source is loaded, which measures the sandbox's ceiling. */
    private static final int CEILING_IN_FLIGHT = 64;
    static final String CHILD_HEAP = System.getenv().getOrDefault("LIFEBOAT_BENCH_HEAP", "-Xmx256m");
    static final String PROVIDER = System.getenv().getOrDefault("LIFEBOAT_BENCH_PROVIDER", "AWS");

    private final Path work;
    private final int runs;
    private final long kubectlRestoreMax;

    private Benchmark(Path work, int runs, long kubectlRestoreMax) {
        this.work = work;
        this.runs = runs;
        this.kubectlRestoreMax = kubectlRestoreMax;
    }

    public static void main(String[] args) throws Exception {
        BenchLogging.asDeployed();
        List<Integer> sizes = List.of(1000, 10000, 100000);
        List<Integer> latencies = List.of(0, 5);
        int runs = 1;
        long kubectlRestoreMax = Long.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = ints(args[++i]);
                case "--latencies" -> latencies = ints(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--kubectl-restore-max" -> kubectlRestoreMax = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --sizes a,b --latencies 0,5 --runs R --kubectl-restore-max N");
            }
        }
        Benchmark benchmark = new Benchmark(Files.createTempDirectory("lifeboat-benchmark"), runs, kubectlRestoreMax);
        System.out.println("Lifeboat against kubectl; child heap " + CHILD_HEAP + ", provider " + PROVIDER + ", "
                + runs + " run(s) each, median; " + Runtime.getRuntime().availableProcessors() + " cores");
        warmUp();
        for (int latency : latencies) {
            System.out.println();
            System.out.println("## latency " + latency + " ms per request");
            List<String> backupRows = new ArrayList<>();
            List<String> restoreRows = new ArrayList<>();
            for (int n : sizes) {
                String[] rows = benchmark.measure(n, latency);
                backupRows.add(rows[0]);
                restoreRows.add(rows[1]);
                System.out.println("backup:  " + rows[0]);
                System.out.println("restore: " + rows[1]);
            }
            System.out.println();
            System.out.println("| objects | sandbox ceiling obj/s | Lifeboat cold s | Lifeboat warm s | warm obj/s"
                    + " | kubectl get, one call s | kubectl get per type s | ratio (best kubectl / warm) | peak RSS MB | peak heap MB |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            backupRows.forEach(System.out::println);
            System.out.println();
            System.out.println("| objects | Lifeboat cold s | Lifeboat warm s | warm obj/s | kubectl create -f s | ratio"
                    + " | onto populated, none s | obj/s | onto populated, update s | obj/s | kubectl replace -f s | ratio (replace / update) | peak RSS MB |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            restoreRows.forEach(System.out::println);
        }
        System.exit(0); // clients' pools may hold non-daemon threads
    }

    /** Loads a throw-away sandbox twice, so that the sandboxes measured later run compiled code, as a server would. */
    private static void warmUp() throws Exception {
        for (int round = 0; round < 2; round++) {
            try (SandboxCluster scratch = sandbox("warm-up", Duration.ZERO)) {
                List<HasMetadata> objects = Workload.objects(20_000);
                Workload.create(scratch, objects, CEILING_IN_FLIGHT);
            }
        }
    }

    private static List<Integer> ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /** One backup row and one restore row, for N objects at this latency. */
    private String[] measure(int n, int latencyMillis) throws Exception {
        List<HasMetadata> objects = Workload.objects(n);
        Duration latency = Duration.ofMillis(latencyMillis);
        Path folder = Files.createDirectories(work.resolve(n + "-" + latencyMillis + "ms"));
        try (SandboxCluster source = sandbox("source", latency);
             S3ProxyServer s3 = S3ProxyServer.builder().workFolder(folder.resolve("s3proxy"))
                     .dataFolder(folder.resolve("s3proxy-data")).start()) {
            double ceiling = (objects.size() - Workload.NAMESPACES)
                    / Workload.create(source, objects, CEILING_IN_FLIGHT);
            createBucket(s3);
            Path kubeconfig = source.kubeconfigFile(folder.resolve("source.kubeconfig"));
            List<ResourceType> types;
            try (KubeClusterSession session = new KubeClusterSession(
                    KubeClients.defaults().connect(source.kubeconfigYaml(), null), 60_000)) {
                types = BackupTypes.select(session.discover().types()).selected();
            }
            List<double[]> lifeboat = new ArrayList<>();
            List<Double> kubectlOneCall = new ArrayList<>();
            List<Double> kubectlPerType = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                lifeboat.add(child(BackupOnce.class, List.of(kubeconfig.toString(), s3.url(), s3.accessKey(),
                        s3.secretKey(), "bench")));
                kubectlOneCall.add(kubectlGetAll(kubeconfig, types, folder.resolve("kubectl-all.json")));
                kubectlPerType.add(kubectlGetEach(kubeconfig, types, folder.resolve("kubectl-each")));
            }
            double items = lifeboat.get(0)[0];
            double cold = median(lifeboat, 1);
            double warm = median(lifeboat, 2);
            double best = Math.min(median(kubectlOneCall), median(kubectlPerType));
            String backupRow = String.format("| %,.0f | %,.0f | %.2f | %.2f | %,.0f | %.2f | %.2f | %.1f× | %.0f | %.0f |",
                    items, ceiling, cold, warm, items / warm, median(kubectlOneCall), median(kubectlPerType),
                    best / warm, max(lifeboat, 3) / 1024, max(lifeboat, 4) / 1024);

            String restoreRow = restore(n, latency, objects, source, s3, folder);
            return new String[]{backupRow, restoreRow};
        }
    }

    private String restore(int n, Duration latency, List<HasMetadata> objects, SandboxCluster source, S3ProxyServer s3,
                           Path folder) throws Exception {
        Path manifest = folder.resolve("manifest.json");
        Files.writeString(manifest, Serialization.asJson(new KubernetesListBuilder().withItems(objects).build()));
        List<double[]> lifeboat = new ArrayList<>();
        List<Double> create = new ArrayList<>();
        List<Double> replace = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            try (SandboxCluster first = sandbox("first", latency);
                 SandboxCluster second = sandbox("second", latency);
                 SandboxCluster forKubectl = sandbox("kubectl", latency)) {
                lifeboat.add(child(RestoreOnce.class, List.of(
                        source.kubeconfigFile(folder.resolve("a.kubeconfig")).toString(),
                        first.kubeconfigFile(folder.resolve("b.kubeconfig")).toString(),
                        second.kubeconfigFile(folder.resolve("c.kubeconfig")).toString(),
                        s3.url(), s3.accessKey(), s3.secretKey(), "bench")));
                if (n <= kubectlRestoreMax) {
                    create.add(kubectl(forKubectl.kubeconfigFile(folder.resolve("d.kubeconfig")), "create", manifest));
                    replace.add(kubectl(second.kubeconfigFile(folder.resolve("c.kubeconfig")), "replace", manifest));
                }
            }
        }
        double items = lifeboat.get(0)[0];
        double warm = median(lifeboat, 2);
        double none = median(lifeboat, 3);
        double update = median(lifeboat, 4);
        String kubectlCreate = create.isEmpty() ? "not run" : String.format("%.2f", median(create));
        String createRatio = create.isEmpty() ? "" : String.format("%.1f×", median(create) / warm);
        String kubectlReplace = replace.isEmpty() ? "not run" : String.format("%.2f", median(replace));
        String replaceRatio = replace.isEmpty() ? "" : String.format("%.1f×", median(replace) / update);
        return String.format("| %,.0f | %.2f | %.2f | %,.0f | %s | %s | %.2f | %,.0f | %.2f | %,.0f | %s | %s | %.0f |",
                items, median(lifeboat, 1), warm, items / warm, kubectlCreate, createRatio, none, items / none,
                update, items / update, kubectlReplace, replaceRatio, max(lifeboat, 6) / 1024);
    }

    private static SandboxCluster sandbox(String name, Duration latency) {
        return SandboxCluster.builder().name(name).latency(latency).start();
    }

    private static void createBucket(S3ProxyServer s3) {
        try (S3Client admin = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create(s3.url())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build()) {
            admin.createBucket(r -> r.bucket("bench"));
        }
    }

    /** Runs a measuring class in a fresh JVM; its last line of output holds numbers separated by spaces. */
    private static double[] child(Class<?> main, List<String> arguments) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, CHILD_HEAP, "-XX:+UseSerialGC",
                "-Dlifeboat.bench.provider=" + PROVIDER));
        String extra = System.getenv("LIFEBOAT_BENCH_CHILD_OPTS"); // e.g. -XX:StartFlightRecording=filename=b.jfr
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(arguments);
        File errors = File.createTempFile("lifeboat-bench-" + main.getSimpleName(), ".err");
        errors.deleteOnExit();
        Process process = new ProcessBuilder(command).redirectError(errors).start();
        String out = new String(process.getInputStream().readAllBytes()).trim();
        if (process.waitFor() != 0) {
            List<String> lines = Files.readAllLines(errors.toPath());
            throw new IllegalStateException(main.getSimpleName() + " failed: " + out + "\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        return Arrays.stream(out.substring(out.lastIndexOf('\n') + 1).split(" ")).mapToDouble(Double::parseDouble)
                .toArray();
    }

    /** {@code kubectl get a,b,c -A -o json}: every type in one call, into one file. */
    private static double kubectlGetAll(Path kubeconfig, List<ResourceType> types, Path out) throws Exception {
        String all = types.stream().map(ResourceType::groupResource).collect(Collectors.joining(","));
        long start = System.nanoTime();
        run(new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "get", all, "-A", "-o", "json",
                "--request-timeout=300s").redirectOutput(out.toFile()), "kubectl get (one call)");
        return (System.nanoTime() - start) / 1e9;
    }

    /** What a script would do: {@code kubectl get <type> -A -o json} for each type, one after another. */
    private static double kubectlGetEach(Path kubeconfig, List<ResourceType> types, Path folder) throws Exception {
        Files.createDirectories(folder);
        long start = System.nanoTime();
        for (ResourceType type : types) {
            File out = folder.resolve(type.groupResource() + ".json").toFile();
            run(new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "get", type.groupResource(), "-A",
                    "-o", "json", "--request-timeout=300s").redirectOutput(out), "kubectl get " + type.groupResource());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** {@code kubectl create -f} or {@code kubectl replace -f} of the manifest (no OpenAPI v2 in the sandbox). */
    private static double kubectl(Path kubeconfig, String verb, Path manifest) throws Exception {
        long start = System.nanoTime();
        run(new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), verb, "-f", manifest.toString(),
                "--validate=false", "--request-timeout=300s").redirectOutput(ProcessBuilder.Redirect.DISCARD),
                "kubectl " + verb + " -f");
        return (System.nanoTime() - start) / 1e9;
    }

    private static void run(ProcessBuilder builder, String what) throws IOException, InterruptedException {
        Process process = builder.redirectError(ProcessBuilder.Redirect.PIPE).start();
        String errors = new String(process.getErrorStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(what + " failed: "
                    + errors.lines().filter(line -> !line.startsWith("Warning:")).limit(5).toList());
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double median(List<double[]> rows, int field) {
        return median(rows.stream().map(r -> r[field]).toList());
    }

    private static double max(List<double[]> rows, int field) {
        return rows.stream().mapToDouble(r -> r[field]).max().orElse(0);
    }
}
