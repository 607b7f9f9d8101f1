package io.lifeboat.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.lifeboat.sandbox.s3proxy.S3ProxyServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Restore throughput against {@code kubectl create -f}: N objects (ConfigMaps and Secrets of about 1 KiB in 20
 * namespaces) are backed up from one sandbox and restored by Lifeboat into fresh ones (cold, then warm JVM), and the
 * same objects are created by kubectl from one manifest file into another fresh sandbox. Then half of the objects of
 * the warm run's cluster are changed and the backup is restored onto it again, where every object exists: with policy
 * none (the changed ones are warned about), then update (the changed ones are updated).
 *
 * <p>{@code java -cp 'functions/bench/target/classes:functions/bench/target/lib/*' io.lifeboat.bench.RestoreBenchmark 1000 5000}
 */
public final class RestoreBenchmark {
    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args.length == 0 ? new String[]{"1000", "5000"} : args) {
            sizes.add(Integer.parseInt(arg));
        }
        Path work = Files.createTempDirectory("lifeboat-restore-bench");
        System.out.println("objects | kubectl create -f s | Lifeboat cold s | ratio | Lifeboat warm s | ratio | kubectl obj/s | Lifeboat warm obj/s | sandbox ceiling obj/s"
                + " | onto populated, none s | obj/s | onto populated, update s | obj/s | changed");
        for (int n : sizes) {
            List<HasMetadata> objects = BackupBenchmark.objects(n);
            try (SandboxCluster source = SandboxCluster.builder().name("source").start();
                 SandboxCluster first = SandboxCluster.builder().name("first").start();
                 SandboxCluster second = SandboxCluster.builder().name("second").start();
                 SandboxCluster forKubectl = SandboxCluster.builder().name("kubectl").start();
                 S3ProxyServer s3 = S3ProxyServer.builder().workFolder(work.resolve("s3proxy-" + n)).start()) {
                long loadStart = System.nanoTime();
                BackupBenchmark.create(source.client(), objects); // 4 writers at once: what the sandbox itself sustains
                double ceiling = objects.size() / ((System.nanoTime() - loadStart) / 1e9);
                try (S3Client admin = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                        .endpointOverride(URI.create(s3.url())).httpClient(UrlConnectionHttpClient.create())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                        .build()) {
                    admin.createBucket(r -> r.bucket("bench"));
                }
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                        RestoreOnce.class.getName(), source.kubeconfigFile(work.resolve("a-" + n)).toString(),
                        first.kubeconfigFile(work.resolve("b-" + n)).toString(),
                        second.kubeconfigFile(work.resolve("c-" + n)).toString(), s3.url(), s3.accessKey(), s3.secretKey(), "bench")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(process.getInputStream().readAllBytes()).trim();
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("the restore failed: " + out);
                }
                String[] fields = out.substring(out.lastIndexOf('\n') + 1).split(" ");
                double items = Double.parseDouble(fields[0]);
                double cold = Double.parseDouble(fields[1]);
                double warm = Double.parseDouble(fields[2]);
                double ontoNone = Double.parseDouble(fields[3]);
                double ontoUpdate = Double.parseDouble(fields[4]);
                long changed = Long.parseLong(fields[5]);

                Path manifest = work.resolve("manifest-" + n + ".json");
                Files.writeString(manifest, Serialization.asJson(new KubernetesListBuilder().withItems(objects).build()));
                long start = System.nanoTime();
                Process kubectl = new ProcessBuilder("kubectl", "--kubeconfig", forKubectl.kubeconfigFile(work.resolve("d-" + n)).toString(),
                        "create", "-f", manifest.toString(), "--validate=false", "--request-timeout=120s")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(false).start();
                String errors = new String(kubectl.getErrorStream().readAllBytes());
                if (kubectl.waitFor() != 0) {
                    throw new IllegalStateException("kubectl create -f failed: " + errors.lines().limit(5).toList());
                }
                double kubectlSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%7.0f | %19.2f | %15.2f | %5.1f | %15.2f | %5.1f | %13.0f | %19.0f | %21.0f | %22.2f | %5.0f | %24.2f | %5.0f | %7d%n",
                        items, kubectlSeconds, cold, kubectlSeconds / cold, warm, kubectlSeconds / warm,
                        objects.size() / kubectlSeconds, items / warm, ceiling, ontoNone, items / ontoNone, ontoUpdate,
                        items / ontoUpdate, changed);
            }
        }
    }
}
