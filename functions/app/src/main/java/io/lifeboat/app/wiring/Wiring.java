package io.lifeboat.app.wiring;

import io.lifeboat.app.signal.CheckedWebhookClient;
import io.lifeboat.app.signal.EmfRunSignals;
import io.lifeboat.app.signal.EventBridgeRunEvents;
import io.lifeboat.app.signal.LogRunEvents;
import io.lifeboat.app.signal.MicrometerRunSignals;
import io.lifeboat.app.worker.InProcessWorkers;
import io.lifeboat.dynamodb.DynamoNotificationRepository;
import io.lifeboat.notification.NotificationRepository;
import io.lifeboat.notification.NotificationService;
import io.lifeboat.notification.WebhookClient;
import io.lifeboat.notification.WebhookDelivery;
import io.lifeboat.signal.RunSignals;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Instance;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import io.lifeboat.app.worker.InvocationRetry;
import io.lifeboat.app.worker.LambdaWorkers;
import io.lifeboat.app.worker.Workers;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.expiry.ExpirySweeper;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.backup.BackupService;
import io.lifeboat.backup.VeleroBackupSync;
import io.lifeboat.cluster.ClusterSessions;
import io.lifeboat.dynamodb.DynamoBackupRepository;
import io.lifeboat.dynamodb.DynamoRestoreRepository;
import io.lifeboat.dynamodb.DynamoScheduleRepository;
import io.lifeboat.dynamodb.DynamoWorkspaceRepository;
import io.lifeboat.workspace.WorkspaceRunEnds;
import io.lifeboat.workspace.WorkspaceService;
import io.lifeboat.schedule.ScheduleService;
import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.restore.ArchiveSpool;
import io.lifeboat.diff.BackupDiffs;
import io.lifeboat.verification.BackupVerifications;
import io.lifeboat.verification.BackupVerifier;
import io.lifeboat.restore.RestoreExecutor;
import io.lifeboat.restore.RestoreRepository;
import io.lifeboat.restore.RestoreService;
import io.lifeboat.kube.KubeClusterSessions;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterService;
import io.lifeboat.dynamodb.DynamoClusterRepository;
import io.lifeboat.dynamodb.DynamoLocationRepository;
import io.lifeboat.dynamodb.Tables;
import io.lifeboat.input.EndpointPolicy;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.kube.KubeClients;
import io.lifeboat.location.LocationProbe;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.LocationRequests;
import io.lifeboat.location.LocationService;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.providers.ProviderObjectStoreFactory;
import io.lifeboat.disks.aws.Ec2Clients;
import io.lifeboat.disks.providers.ProviderDiskSnapshotsFactory;
import io.lifeboat.location.DiskSnapshotsFactory;
import io.lifeboat.objectstore.s3.S3Clients;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.KeyWrapper;
import io.lifeboat.secret.EnvelopeSecretBox;
import io.lifeboat.secret.KmsKeyWrapper;
import io.lifeboat.secret.LocalKeyWrapper;
import io.lifeboat.work.Pause;
import io.lifeboat.secret.KmsDataKeys;
import io.lifeboat.secret.LocalKeyFileDataKeys;
import io.lifeboat.secret.SecretBox;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the engine's services from the adapters, once, from configuration. */
@ApplicationScoped
public class Wiring {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    EndpointPolicy endpointPolicy(OutboundPolicy outbound) {
        return new EndpointPolicy(outbound);
    }

    /**
     * Where every outbound client may connect: loopback in local mode only ({@code lifeboat.endpoints.allow-loopback}),
     * private ranges only inside {@code lifeboat.outbound.allowed-private-cidrs} (Terraform's allowed_private_cidrs).
     */
    @Produces
    @Singleton
    OutboundPolicy outboundPolicy(@ConfigProperty(name = "lifeboat.endpoints.allow-loopback", defaultValue = "false")
                                  boolean allowLoopback,
                                  @ConfigProperty(name = "lifeboat.outbound.allowed-private-cidrs") Optional<String> cidrs) {
        return OutboundPolicy.configured(allowLoopback, cidrs.orElse(""));
    }

    /** AWS KMS when a key is configured (the cloud); otherwise a local key file (local mode and tests). */
    @Produces
    @Singleton
    SecretBox secretBox(@ConfigProperty(name = "lifeboat.secrets.kms-key-id") Optional<String> kmsKeyId,
                        @ConfigProperty(name = "lifeboat.secrets.local-key-file") Optional<String> keyFile) {
        if (kmsKeyId.isPresent()) {
            KmsClient kms = KmsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
            return new EnvelopeSecretBox(new KmsDataKeys(kms, kmsKeyId.get()));
        }
        String file = keyFile.orElseThrow(() -> new IllegalStateException(
                "set lifeboat.secrets.kms-key-id (AWS) or lifeboat.secrets.local-key-file (local mode)"));
        return new EnvelopeSecretBox(new LocalKeyFileDataKeys(Path.of(file)));
    }

    /**
     * What wraps the data keys of encrypted backups: AWS KMS in the cloud (where {@code lifeboat.secrets.kms-key-id} is
     * set; each location names its own key, which Lifeboat's roles must be allowed to use), else the local key file,
     * which stands for every KMS key a location names in local mode.
     */
    @Produces
    @Singleton
    KeyWrapper keyWrapper(@ConfigProperty(name = "lifeboat.secrets.kms-key-id") Optional<String> kmsKeyId,
                          @ConfigProperty(name = "lifeboat.secrets.local-key-file") Optional<String> keyFile) {
        if (kmsKeyId.isPresent()) {
            return new KmsKeyWrapper(KmsClient.builder().httpClient(UrlConnectionHttpClient.create()).build());
        }
        return keyFile.<KeyWrapper>map(file -> new LocalKeyWrapper(new LocalKeyFileDataKeys(Path.of(file))))
                .orElse(KeyWrapper.NONE);
    }

    /** One data key per encrypted backup, its objects in chunks of {@code lifeboat.encryption.chunk-bytes}. */
    @Produces
    @Singleton
    BackupKeys backupKeys(KeyWrapper wrapper,
                          @ConfigProperty(name = "lifeboat.encryption.chunk-bytes", defaultValue = "1048576") int chunkBytes) {
        return new BackupKeys(wrapper, chunkBytes);
    }

    @Produces
    @Singleton
    Tables tables(@ConfigProperty(name = "lifeboat.tables.prefix", defaultValue = "lifeboat-") String prefix) {
        return new Tables(prefix);
    }

    @Produces
    @Singleton
    LocationRepository locationRepository(DynamoDbClient dynamo, Tables tables, SecretBox secrets) {
        return new DynamoLocationRepository(dynamo, tables, secrets);
    }

    @Produces
    @Singleton
    ClusterRepository clusterRepository(DynamoDbClient dynamo, Tables tables, SecretBox secrets) {
        return new DynamoClusterRepository(dynamo, tables, secrets);
    }

    @Produces
    @Singleton
    @DefaultBean
    ObjectStoreFactory objectStoreFactory(@ConfigProperty(name = "lifeboat.sts.endpoint") Optional<URI> stsEndpoint,
                                          OutboundPolicy outbound) {
        return ProviderObjectStoreFactory.standard(new S3Clients.StsAccess(stsEndpoint.orElse(null), null), outbound);
    }

    /**
     * Native disk snapshots with each location's credentials: EC2 (its endpoint and STS's as the object stores'),
     * Azure Resource Manager and Compute Engine at their public endpoints.
     */
    @Produces
    @Singleton
    @DefaultBean
    DiskSnapshotsFactory diskSnapshotsFactory(@ConfigProperty(name = "lifeboat.sts.endpoint") Optional<URI> stsEndpoint,
                                              @ConfigProperty(name = "lifeboat.disks.ec2-endpoint") Optional<URI> ec2Endpoint,
                                              OutboundPolicy outbound) {
        return ProviderDiskSnapshotsFactory.standard(new Ec2Clients.Access(ec2Endpoint.orElse(null),
                stsEndpoint.orElse(null), null), outbound);
    }

    @Produces
    @Singleton
    BackupRepository backupRepository(DynamoDbClient dynamo, Tables tables) {
        return new DynamoBackupRepository(dynamo, tables);
    }

    @Produces
    @Singleton
    BackupService backupService(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                                ObjectStoreFactory stores, Clock clock, BackupKeys keys) {
        return new BackupService(backups, clusters, locations, stores, clock, keys);
    }

    @Produces
    @Singleton
    VeleroBackupSync veleroBackupSync(BackupRepository backups, LocationRepository locations, ObjectStoreFactory stores,
                                      Clock clock) {
        return new VeleroBackupSync(backups, locations, stores, clock);
    }

    /** The one way every engine service reaches a cluster: a session opened from its kubeconfig. */
    @Produces
    @Singleton
    @DefaultBean
    ClusterSessions clusterSessions(KubeClients kubeClients, Clock clock) {
        return new KubeClusterSessions(kubeClients, 60_000, clock);
    }

    @Produces
    @Singleton
    BackupExecutor backupExecutor(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                                  ClusterSessions sessions, ObjectStoreFactory stores, Clock clock, RunSignals signals,
                                  BackupKeys keys, DiskSnapshotsFactory disks,
                                  @ConfigProperty(name = "lifeboat.backup.page-size", defaultValue = "500") int pageSize,
                                  @ConfigProperty(name = "lifeboat.backup.snapshot-timeout", defaultValue = "10m")
                                  Duration snapshotTimeout) {
        return new BackupExecutor(backups, clusters, locations, sessions, stores, clock, Pause.SLEEP,
                new BackupExecutor.Settings(pageSize, 4, 250, snapshotTimeout), signals, keys, disks);
    }

    @Produces
    @Singleton
    RestoreRepository restoreRepository(DynamoDbClient dynamo, Tables tables) {
        return new DynamoRestoreRepository(dynamo, tables);
    }

    @Produces
    @Singleton
    RestoreService restoreService(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                                  LocationRepository locations, ObjectStoreFactory stores, Clock clock) {
        return new RestoreService(restores, backups, clusters, locations, stores, clock);
    }

    /**
     * What an archive read from a bucket may hold, wherever it is read (a restore, a verification, a comparison of two
     * backups): {@code lifeboat.restore.max-entry-bytes}, {@code max-archive-bytes}, {@code max-entries}.
     */
    @Produces
    @Singleton
    ArchiveLimits archiveLimits(@ConfigProperty(name = ArchiveLimits.ENTRY_BYTES_KEY) Optional<Long> maxEntryBytes,
                                @ConfigProperty(name = ArchiveLimits.TOTAL_BYTES_KEY) Optional<Long> maxArchiveBytes,
                                @ConfigProperty(name = ArchiveLimits.ENTRIES_KEY) Optional<Long> maxEntries) {
        ArchiveLimits defaults = ArchiveLimits.DEFAULTS;
        return new ArchiveLimits(maxEntryBytes.orElse(defaults.maxEntryBytes()),
                maxArchiveBytes.orElse(defaults.maxTotalBytes()), maxEntries.orElse(defaults.maxEntries()));
    }

    @Produces
    @Singleton
    RestoreExecutor restoreExecutor(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                                    LocationRepository locations, ClusterSessions sessions, ObjectStoreFactory stores,
                                    Clock clock, RunSignals signals, ArchiveLimits limits, BackupKeys keys,
                                    DiskSnapshotsFactory disks,
                                    @ConfigProperty(name = "lifeboat.restore.crd-timeout", defaultValue = "60s")
                                    Duration crdTimeout) {
        return new RestoreExecutor(restores, backups, clusters, locations, sessions, stores, clock, crdTimeout, limits,
                ArchiveSpool.DEFAULT_ROOT, signals, keys, disks);
    }

    /** Comparisons of two backups, in the API's request; how many patches one holds is bounded. */
    @Produces
    @Singleton
    BackupDiffs backupDiffs(BackupRepository backups, LocationRepository locations, ObjectStoreFactory stores,
                            ArchiveLimits limits, BackupKeys keys,
                            @ConfigProperty(name = "lifeboat.diff.max-patches", defaultValue = "1000") int maxPatches) {
        return new BackupDiffs(backups, locations, stores, limits,
                new BackupDiffs.Limits(maxPatches, BackupDiffs.Limits.DEFAULTS.keptBytes()), keys);
    }

    /** Verifications of backups' files; one pending longer than a run's deadline died with its worker. */
    @Produces
    @Singleton
    BackupVerifications backupVerifications(BackupRepository backups, LocationRepository locations,
                                            ObjectStoreFactory stores, ArchiveLimits limits, Clock clock, BackupKeys keys,
                                            @ConfigProperty(name = "lifeboat.run-deadline", defaultValue = "20m")
                                            Duration runDeadline) {
        return new BackupVerifications(backups, locations, stores, new BackupVerifier(limits, clock, keys), clock,
                runDeadline);
    }

    @Produces
    @Singleton
    ScheduleService scheduleService(DynamoDbClient dynamo, Tables tables, ClusterRepository clusters,
                                    LocationRepository locations, BackupService backups, WorkspaceService workspaces,
                                    Clock clock) {
        return new ScheduleService(new DynamoScheduleRepository(dynamo, tables), clusters, locations, backups, workspaces,
                clock);
    }

    @Produces
    @Singleton
    ExpirySweeper expirySweeper(DynamoDbClient dynamo, Tables tables, BackupRepository backups, RestoreRepository restores,
                                ClusterRepository clusters, LocationRepository locations, ClusterSessions sessions,
                                ObjectStoreFactory stores, Clock clock, DiskSnapshotsFactory disks,
                                @ConfigProperty(name = "lifeboat.run-deadline", defaultValue = "20m") Duration runDeadline) {
        // the schedules' retention by count (keep) decides which expired backups stay
        return new ExpirySweeper(backups, restores, clusters, locations, sessions, stores,
                new DynamoScheduleRepository(dynamo, tables), clock, runDeadline, disks);
    }

    @Produces
    @Singleton
    WorkspaceService workspaceService(DynamoDbClient dynamo, Tables tables, ClusterRepository clusters,
                                      LocationRepository locations, BackupService backupService, BackupRepository backups,
                                      RestoreService restoreService, RestoreRepository restores, Clock clock) {
        return new WorkspaceService(new DynamoWorkspaceRepository(dynamo, tables), clusters, locations, backupService,
                backups, restoreService, restores, clock);
    }

    /**
     * How the API starts the worker functions: in this process (local mode, tests), or as Lambda invocations
     * ({@code lifeboat.workers=lambda}, with the functions' names from Terraform).
     */
    @Produces
    @Singleton
    Workers workers(@ConfigProperty(name = "lifeboat.workers", defaultValue = "in-process") String mode,
                    InProcessWorkers inProcess, LocationRepository locations,
                    @ConfigProperty(name = "lifeboat.lambda.validate-location") Optional<String> validateLocation,
                    @ConfigProperty(name = "lifeboat.lambda.run-backup") Optional<String> runBackup,
                    @ConfigProperty(name = "lifeboat.lambda.run-restore") Optional<String> runRestore) {
        if (mode.equals("in-process")) {
            return inProcess;
        }
        if (!mode.equals("lambda")) {
            throw new IllegalStateException("lifeboat.workers is in-process or lambda, not " + mode);
        }
        // the SDK does not retry by itself: LambdaWorkers retries throttled invocations with its own backoff
        return new LambdaWorkers(LambdaClient.builder().httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))).build(),
                new LambdaWorkers.FunctionNames(validateLocation.orElseThrow(), runBackup.orElseThrow(), runRestore.orElseThrow()),
                locations, InvocationRetry.DEFAULTS);
    }

    /** fabric8 clients for every cluster, on one Vert.x that connects only where the policy allows. */
    @Produces
    @Singleton
    KubeClients kubeClients(OutboundPolicy outbound) {
        return KubeClients.defaults(outbound);
    }

    @Produces
    @Singleton
    LocationService locationService(LocationRepository locations, EndpointPolicy endpoints, ObjectStoreFactory stores,
                                    Clock clock, RunSignals signals, BackupKeys keys) {
        return new LocationService(locations, new LocationRequests(endpoints), new LocationProbe(stores, clock, keys), clock,
                signals);
    }

    @Produces
    @Singleton
    ClusterService clusterService(ClusterRepository clusters, ClusterSessions sessions, EndpointPolicy endpoints,
                                  Clock clock) {
        return new ClusterService(clusters, sessions, endpoints, clock);
    }

    @Produces
    @Singleton
    NotificationRepository notificationRepository(DynamoDbClient dynamo, Tables tables, SecretBox secrets) {
        return new DynamoNotificationRepository(dynamo, tables, secrets);
    }

    @Produces
    @Singleton
    NotificationService notificationService(NotificationRepository notifications, EndpointPolicy endpoints, Clock clock) {
        return new NotificationService(notifications, endpoints, clock);
    }

    /** Webhook deliveries connect where every outbound client may, and follow no redirect. */
    @Produces
    @Singleton
    @DefaultBean
    WebhookClient webhookClient(OutboundPolicy outbound,
                                @ConfigProperty(name = "lifeboat.webhooks.timeout", defaultValue = "10s") Duration timeout) {
        return new CheckedWebhookClient(outbound, timeout);
    }

    /**
     * What is told when a run ends: the metrics ({@code lifeboat.signals.metrics}: {@code emf} in AWS, a JSON line
     * CloudWatch turns into metrics; {@code micrometer} in local mode, on /q/metrics; {@code none}), the events
     * ({@code lifeboat.signals.events}: {@code eventbridge} in AWS, on {@code lifeboat.events.bus-name}; {@code log}
     * locally), and always the project's webhooks (delivered on a bounded pool: {@code lifeboat.webhooks.threads},
     * {@code lifeboat.webhooks.queue}; a Lambda function waits up to {@code lifeboat.webhooks.await} for them before it
     * returns); each told too when a workspace run ends, by {@link #workspaceRunEnds}.
     */
    @Produces
    @Singleton
    RunSignals runSignals(WorkspaceRunEnds workspaceRunEnds) {
        return RunSignals.all(List.of(workspaceRunEnds)); // a failure to find a workspace run is only logged
    }

    /** The signals of every run's end, with the end of the workspace run a child may end: see {@link #runSignals}. */
    @Produces
    @Singleton
    @Typed(WorkspaceRunEnds.class) // the one RunSignals bean is runSignals's
    WorkspaceRunEnds workspaceRunEnds(@ConfigProperty(name = "lifeboat.signals.metrics", defaultValue = "none") String metrics,
                                      @ConfigProperty(name = "lifeboat.signals.events", defaultValue = "log") String events,
                                      @ConfigProperty(name = "lifeboat.events.bus-name", defaultValue = "default") String bus,
                                      @ConfigProperty(name = "lifeboat.webhooks.attempts", defaultValue = "4") int attempts,
                                      @ConfigProperty(name = "lifeboat.webhooks.first-retry", defaultValue = "500ms") Duration firstRetry,
                                      @ConfigProperty(name = "lifeboat.webhooks.threads", defaultValue = "4") int threads,
                                      @ConfigProperty(name = "lifeboat.webhooks.queue", defaultValue = "1000") int queue,
                                      @ConfigProperty(name = "lifeboat.webhooks.await", defaultValue = "0s") Duration await,
                                      Instance<MeterRegistry> registry, NotificationRepository notifications,
                                      WebhookClient webhooks, WorkspaceService workspaces, DynamoDbClient dynamo, Tables tables,
                                      Clock clock) {
        List<RunSignals> signals = new ArrayList<>();
        switch (metrics) {
            case "emf" -> signals.add(new EmfRunSignals(System.out));
            case "micrometer" -> signals.add(new MicrometerRunSignals(registry.get()));
            case "none" -> { }
            default -> throw new IllegalStateException("lifeboat.signals.metrics is emf, micrometer or none, not " + metrics);
        }
        switch (events) {
            case "eventbridge" -> signals.add(new EventBridgeRunEvents(
                    EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).build(), bus).signals());
            case "log" -> signals.add(new LogRunEvents().signals());
            default -> throw new IllegalStateException("lifeboat.signals.events is eventbridge or log, not " + events);
        }
        signals.add(new WebhookDelivery(notifications, webhooks, clock, new WebhookDelivery.Retry(attempts, firstRetry),
                WebhookDelivery.pool(threads, queue), await).signals());
        return new WorkspaceRunEnds(RunSignals.all(signals), new DynamoWorkspaceRepository(dynamo, tables), workspaces,
                clock);
    }
}
