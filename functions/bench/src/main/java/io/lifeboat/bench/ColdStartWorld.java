package io.lifeboat.bench;

import io.lifeboat.backup.Backup;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.dynamodb.DynamoBackupRepository;
import io.lifeboat.dynamodb.DynamoClusterRepository;
import io.lifeboat.dynamodb.DynamoLocationRepository;
import io.lifeboat.dynamodb.DynamoRestoreRepository;
import io.lifeboat.dynamodb.DynamoScheduleRepository;
import io.lifeboat.dynamodb.Tables;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.restore.ExistingResourcePolicy;
import io.lifeboat.restore.Restore;
import io.lifeboat.sandbox.dynamodb.DynamoDbLocalServer;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.lifeboat.sandbox.s3proxy.S3ProxyServer;
import io.lifeboat.schedule.Schedule;
import io.lifeboat.secret.EnvelopeSecretBox;
import io.lifeboat.secret.LocalKeyFileDataKeys;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the six functions talk to in the cold-start benchmark, on loopback: DynamoDB Local (the tables, a
 * location, a cluster and a schedule of project {@value #PROJECT}), s3proxy (the location's bucket), a sandbox API
 * server with {@code objects} ConfigMaps and Secrets (the cluster), and a stand-in for Lambda's Invoke and EventBridge.
 * Before each cold start it writes what that function's event names (a New backup, a New restore into a fresh empty
 * sandbox, a due schedule, an expired backup), so that every first answer is a real one. It also gives the environment
 * that points a function at all of this instead of AWS.
 */
final class ColdStartWorld implements AutoCloseable {
    static final String PROJECT = "coldstart";
    static final String LOCATION = "store";
    static final String SOURCE = "source";
    static final String SCHEDULE = "nightly";
    static final String BUCKET = "backups";

    private final Path work;
    private final Clock clock = Clock.systemUTC();
    private final Tables tables = new Tables("bench-");
    private final DynamoDbLocalServer dynamoServer;
    private final S3ProxyServer s3;
    private final SandboxCluster source;
    private final AwsStandIn aws;
    private final DynamoDbClient dynamo;
    private final DynamoBackupRepository backups;
    private final DynamoRestoreRepository restores;
    private final DynamoClusterRepository clusters;
    private final DynamoScheduleRepository schedules;

    ColdStartWorld(Path work, int objects) throws Exception {
        this.work = work;
        dynamoServer = DynamoDbLocalServer.inMemory();
        s3 = S3ProxyServer.builder().workFolder(work.resolve("s3proxy")).dataFolder(work.resolve("s3proxy-data")).start();
        source = SandboxCluster.builder().name(SOURCE).start();
        aws = AwsStandIn.start();
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(dynamoServer.url())).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        EnvelopeSecretBox secrets = new EnvelopeSecretBox(new LocalKeyFileDataKeys(keyFile()));
        backups = new DynamoBackupRepository(dynamo, tables);
        restores = new DynamoRestoreRepository(dynamo, tables);
        clusters = new DynamoClusterRepository(dynamo, tables, secrets);
        schedules = new DynamoScheduleRepository(dynamo, tables);
        tables.createMissing(dynamo);
        try (S3Client admin = S3Client.builder().region(Region.US_EAST_1).forcePathStyle(true)
                .endpointOverride(URI.create(s3.url())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build()) {
            admin.createBucket(r -> r.bucket(BUCKET));
        }
        Workload.create(source, Workload.objects(objects), 8);
        Instant now = clock.instant();
        new DynamoLocationRepository(dynamo, tables, secrets).create(new Location(PROJECT, LOCATION, Provider.AWS, BUCKET,
                "coldstart", Map.of(LocationField.REGION, "us-east-1", LocationField.S3_URL, s3.url(),
                LocationField.FORCE_PATH_STYLE, "true", LocationField.ACCESS_KEY_ID, s3.accessKey(),
                LocationField.SECRET_ACCESS_KEY, s3.secretKey()), LocationStatus.available(now), now));
        clusters.create(cluster(SOURCE, source, now));
        schedules.create(new Schedule(PROJECT, SCHEDULE, SOURCE, null, LOCATION, SCHEDULE, false, null, List.of(), 7, null,
                Map.<String, Object>of("hour", 0, "minute", 0), null, false, now, null, null, now.minus(Duration.ofDays(1))));
    }

    private Path keyFile() {
        return work.resolve("master.key");
    }

    private static Cluster cluster(String name, SandboxCluster sandbox, Instant now) {
        // the context its kubeconfig names (the sandbox's name), as ClusterService records it
        return new Cluster(PROJECT, name, sandbox.kubeconfigYaml(), sandbox.name(), sandbox.url(),
                new ClusterStatus(ClusterStatus.Health.Healthy, "v1.30.0", null, now), now);
    }

    AwsStandIn aws() {
        return aws;
    }

    /**
     * What points a function at this world: the tables' prefix and DynamoDB Local, the local key file instead of KMS,
     * every other AWS client at the stand-in, loopback allowed as an endpoint (the sandbox and s3proxy listen there),
     * and the variables Terraform sets besides.
     */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("LIFEBOAT_TABLES_PREFIX", "bench-");
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamoServer.url());
        env.put("AWS_ENDPOINT_URL", aws.url());
        env.put("LIFEBOAT_SECRETS_LOCAL_KEY_FILE", keyFile().toString());
        env.put("LIFEBOAT_ENDPOINTS_ALLOW_LOOPBACK", "true");
        env.put("LIFEBOAT_WORKERS", "lambda");
        env.put("LIFEBOAT_LAMBDA_VALIDATE_LOCATION", "lifeboat-validate-location:live");
        env.put("LIFEBOAT_LAMBDA_RUN_BACKUP", "lifeboat-run-backup:live");
        env.put("LIFEBOAT_LAMBDA_RUN_RESTORE", "lifeboat-run-restore:live");
        env.put("LIFEBOAT_OUTBOUND_ALLOWED_PRIVATE_CIDRS", "");
        env.put("LIFEBOAT_EVENTS_BUS_NAME", "lifeboat-bench");
        env.put("LIFEBOAT_ACCESS_PROJECTS_CLAIM", "lifeboat:projects");
        return env;
    }

    /** A New backup of the source cluster, as the API records one before it invokes run-backup. */
    void requestBackup(String name) {
        Instant now = clock.instant();
        backups.create(Backup.requested(PROJECT, name, SOURCE, LOCATION, List.of(), null, false, now,
                now.plus(Duration.ofDays(7))));
    }

    /** A New restore of {@code backup} into a fresh, empty sandbox registered as cluster {@code target}. */
    SandboxCluster requestRestore(String name, String backup, String target) {
        SandboxCluster into = SandboxCluster.builder().name(target).start();
        Instant now = clock.instant();
        clusters.create(cluster(target, into, now));
        restores.create(Restore.requested(PROJECT, name, backup, target, new Restore.Request(true, false, false, List.of(),
                Map.of(), Map.of(), ExistingResourcePolicy.none, Map.of(), List.of()), now));
        return into;
    }

    /** Puts the schedule's next run on an earlier slot ({@code daysBack} days before today), so the next tick starts it. */
    void makeScheduleDue(int daysBack) {
        schedules.setPaused(PROJECT, SCHEDULE, false, clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(daysBack)));
    }

    /** Moves a finished backup's expiry to a minute ago, so that the next sweep deletes it (record and objects). */
    void expire(String backup) {
        Instant past = clock.instant().minus(Duration.ofMinutes(1));
        dynamo.updateItem(r -> r.tableName(tables.backups())
                .key(Map.of(Tables.PROJECT, AttributeValue.fromS(PROJECT), Tables.NAME, AttributeValue.fromS(backup)))
                .updateExpression("SET #at = :at, #ms = :ms")
                .expressionAttributeNames(Map.of("#at", Tables.EXPIRES_AT, "#ms", Tables.EXPIRES_AT_MILLIS))
                .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(past.toString()),
                        ":ms", AttributeValue.fromN(String.valueOf(past.toEpochMilli())))));
    }

    /** The backup's phase as recorded, or "Gone". */
    String backupPhase(String name) {
        return backups.find(PROJECT, name).map(b -> b.phase().name()).orElse("Gone");
    }

    @Override
    public void close() {
        dynamo.close();
        aws.close();
        source.close();
        s3.close();
        dynamoServer.close();
    }
}
