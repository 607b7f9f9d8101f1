package io.lifeboat.local;

import io.lifeboat.cluster.ClusterRequest;
import io.lifeboat.cluster.ClusterService;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRequest;
import io.lifeboat.location.LocationService;
import io.lifeboat.sandbox.dynamodb.DynamoDbLocalServer;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.lifeboat.sandbox.s3proxy.S3ProxyServer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts what the cloud would provide, on loopback: DynamoDB Local and s3proxy (data kept under the local home
 * folder), and sandbox clusters. Then it registers, through the same services the API uses, the location
 * {@code local} (provider minio, on s3proxy) and each sandbox cluster in project {@code default}.
 */
@ApplicationScoped
public class LocalMode {
    public static final String PROJECT = "default";
    public static final String LOCATION = "local";
    public static final String BUCKET = "lifeboat";
    private static final Logger LOG = Logger.getLogger(LocalMode.class);

    @ConfigProperty(name = "lifeboat.local.home")
    String home;
    @ConfigProperty(name = "lifeboat.local.dynamodb-port")
    int dynamoPort;
    @ConfigProperty(name = "lifeboat.local.s3-port")
    int s3Port;
    @ConfigProperty(name = "lifeboat.local.sandboxes")
    List<String> sandboxNames;
    @ConfigProperty(name = "lifeboat.local.fresh")
    boolean fresh;
    /** Added to every answer of the sandboxes (0: none); see SandboxCluster.Builder#latency. */
    @ConfigProperty(name = "lifeboat.local.sandbox-latency-ms")
    int sandboxLatencyMillis;
    /** Requests a sandbox serves at once before it answers 429 (0: no limit); see SandboxCluster.Builder#maxInFlight. */
    @ConfigProperty(name = "lifeboat.local.sandbox-max-in-flight")
    int sandboxMaxInFlight;
    @ConfigProperty(name = "quarkus.http.port")
    int apiPort;
    @Inject
    @CommandLineArguments
    String[] args;
    @Inject
    LocationService locations;
    @Inject
    ClusterService clusters;

    private DynamoDbLocalServer dynamo;
    private S3ProxyServer s3;
    private final List<SandboxCluster> sandboxes = new ArrayList<>();

    /** Runs before anything touches DynamoDB (table creation observes the same event later). */
    void startServers(@Observes @Priority(10) StartupEvent event) {
        Path folder = Path.of(home).toAbsolutePath();
        if (fresh || Arrays.asList(args).contains("--fresh")) {
            deleteRecursively(folder);
        }
        dynamo = DynamoDbLocalServer.start(dynamoPort, folder.resolve("dynamodb"));
        s3 = S3ProxyServer.builder().port(s3Port).dataFolder(folder.resolve("s3")).workFolder(folder.resolve("s3proxy"))
                .start();
        for (String name : sandboxNames) {
            sandboxes.add(SandboxCluster.builder().name(name).latency(Duration.ofMillis(sandboxLatencyMillis))
                    .maxInFlight(sandboxMaxInFlight).start());
        }
        SampleApp.install(sandboxes.get(0).client());
    }

    /** Whether the record {@code get} reads exists (kept from an earlier run under LIFEBOAT_HOME). */
    private static boolean exists(Runnable get) {
        try {
            get.run();
            return true;
        } catch (io.lifeboat.error.NotFoundException e) {
            return false;
        }
    }

    /** After the tables exist: the local location and the sandbox clusters, registered like a user would. */
    void register(@Observes @Priority(200) StartupEvent event) {
        createBucket();
        if (!exists(() -> locations.get(PROJECT, LOCATION))) {
            locations.create(PROJECT, new LocationRequest(LOCATION, "minio", BUCKET, null, "us-east-1", s3.url(), true,
                    null, new LocationRequest.Credentials(s3.accessKey(), s3.secretKey()), null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null));
        }
        Location local = locations.validate(PROJECT, LOCATION);
        for (SandboxCluster sandbox : sandboxes) {
            // a sandbox lives in memory, with a new port and token each run: register it afresh
            if (exists(() -> clusters.get(PROJECT, sandbox.name()))) {
                clusters.delete(PROJECT, sandbox.name());
            }
            // the sandboxes serve a self-signed certificate without the address in it: allowed here, and shown
            clusters.register(PROJECT, new ClusterRequest(sandbox.name(), sandbox.kubeconfigYaml(), null, true));
        }
        LOG.info(banner(local));
    }

    /**
     * The one banner local mode shows when it is up: where the console and the API are (and the API's OpenAPI
     * document, Swagger UI, health and metrics), the local S3, the sandbox clusters, where the data lives, and how to
     * see third parties' logs.
     */
    private String banner(Location local) {
        String api = "http://127.0.0.1:" + apiPort;
        StringBuilder text = new StringBuilder("Lifeboat local mode is up\n");
        text.append("  Console    ").append(api).append("/ (the web console, in a browser on this machine)\n");
        text.append("  API        ").append(api).append("/v1/projects/").append(PROJECT).append("/...\n");
        text.append("  Described  ").append(api).append("/q/openapi, Swagger UI ").append(api).append("/q/swagger-ui\n");
        text.append("  Observed   ").append(api).append("/q/health, ").append(api).append("/q/metrics\n");
        text.append("  S3         ").append(s3.url()).append(" (s3proxy), access key '").append(s3.accessKey())
                .append("' (a local development key, see the README); location '").append(LOCATION).append("' is ")
                .append(local.status().phase()).append('\n');
        for (SandboxCluster sandbox : sandboxes) {
            text.append("  Cluster    '").append(sandbox.name()).append("' at ").append(sandbox.url())
                    .append(" (kubeconfig: ").append(sandbox.kubeconfigFile()).append(')').append(load(sandbox))
                    .append('\n');
        }
        text.append("  Data       ").append(Path.of(home).toAbsolutePath()).append(" (start with --fresh to begin empty)\n");
        text.append("  Quiet      other libraries log errors only; LIFEBOAT_LOG_LEVEL=INFO shows all");
        return text.toString();
    }

    /** The sandbox's modelled load, when one is set: latency and in-flight limit. */
    private static String load(SandboxCluster sandbox) {
        long latency = sandbox.load().latency().toMillis();
        int limit = sandbox.load().maxInFlight();
        if (latency == 0 && limit == 0) {
            return "";
        }
        return ", modelled load: " + latency + " ms per answer, "
                + (limit == 0 ? "no in-flight limit" : "429 beyond " + limit + " in flight");
    }

    private void createBucket() {
        try (S3Client admin = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create(s3.url())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build()) {
            if (admin.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
                admin.createBucket(r -> r.bucket(BUCKET));
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        sandboxes.forEach(SandboxCluster::close);
        if (s3 != null) {
            s3.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    /** The sandbox of that name, for tests and for local tools. */
    public SandboxCluster sandbox(String name) {
        return sandboxes.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    public S3ProxyServer s3() {
        return s3;
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + folder, e);
        }
    }
}
