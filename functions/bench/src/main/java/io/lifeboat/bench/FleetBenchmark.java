package io.lifeboat.bench;

import io.lifeboat.app.worker.InvocationRetry;
import io.lifeboat.app.worker.LambdaWorkers;
import io.lifeboat.backup.BackupService;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.dynamodb.DynamoBackupRepository;
import io.lifeboat.dynamodb.DynamoClusterRepository;
import io.lifeboat.dynamodb.DynamoLocationRepository;
import io.lifeboat.dynamodb.DynamoRestoreRepository;
import io.lifeboat.dynamodb.DynamoScheduleRepository;
import io.lifeboat.dynamodb.DynamoWorkspaceRepository;
import io.lifeboat.dynamodb.Tables;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.restore.RestoreService;
import io.lifeboat.sandbox.dynamodb.DynamoDbLocalServer;
import io.lifeboat.schedule.Schedule;
import io.lifeboat.schedule.ScheduleService;
import io.lifeboat.secret.EnvelopeSecretBox;
import io.lifeboat.secret.LocalKeyFileDataKeys;
import io.lifeboat.secret.SecretBox;
import io.lifeboat.workspace.WorkspaceRequests;
import io.lifeboat.workspace.WorkspaceRun;
import io.lifeboat.workspace.WorkspaceService;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * tick-schedules and a workspace backup at fleet size, against DynamoDB Local and a local Lambda that answers each
 * invocation after 30 ms. It seeds N clusters with one schedule each, all due in the same slot (a daily schedule whose
 * next run is today's midnight, UTC), then runs two ticks at once, each with its own DynamoDB and Lambda clients as
 * two Lambda invocations would have, then one tick after another until nothing is due; then it puts every schedule
 * back on yesterday's slot and times one tick alone; then it times a workspace backup of M clusters, twice (the first
 * in a JVM that has not run one yet). It exits 1 when a backup was invoked twice, when the ticks' counts, the
 * invocations and the backup records disagree, or when a due slot was never started.
 *
 * <p>Run from the checkout's root after a build:
 * {@code java -cp 'functions/bench/target/classes:functions/bench/target/lib/*' io.lifeboat.bench.FleetBenchmark [schedules [members]]}
 * The tick's limits are {@link ScheduleService.TickLimits#DEFAULTS}, or {@code -Dfleet.concurrency=N} and
 * {@code -Dfleet.budget=SECONDS}.
 */
public final class FleetBenchmark {
    private static final String FLEET = "fleet";
    private static final String WORKSPACE_PROJECT = "fleet-ws";
    private static final long LAMBDA_DELAY_MILLIS = 30;
    private static final int SEED_THREADS = 16;
    private static final int FOLLOW_UP_TICKS = 10;

    private final String dynamoUrl;
    private final String lambdaUrl;
    private final Tables tables = new Tables("bench-");
    private final SecretBox secrets;
    private final Clock clock = Clock.systemUTC();

    private FleetBenchmark(String dynamoUrl, String lambdaUrl, SecretBox secrets) {
        this.dynamoUrl = dynamoUrl;
        this.lambdaUrl = lambdaUrl;
        this.secrets = secrets;
    }

    public static void main(String[] args) throws Exception {
        BenchLogging.asDeployed();
        int schedules = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int members = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        ScheduleService.TickLimits limits = new ScheduleService.TickLimits(
                Integer.getInteger("fleet.concurrency", ScheduleService.TickLimits.DEFAULTS.concurrency()),
                Duration.ofSeconds(Long.getLong("fleet.budget", ScheduleService.TickLimits.DEFAULTS.budget().toSeconds())));
        Path work = Files.createTempDirectory("lifeboat-fleet-bench");
        boolean correct;
        try (DynamoDbLocalServer dynamo = DynamoDbLocalServer.inMemory();
             LambdaRecorder lambda = LambdaRecorder.start(LAMBDA_DELAY_MILLIS, 256)) {
            SecretBox secrets = new EnvelopeSecretBox(new LocalKeyFileDataKeys(work.resolve("master.key")));
            FleetBenchmark bench = new FleetBenchmark(dynamo.url(), lambda.url(), secrets);
            correct = bench.run(schedules, members, limits, lambda);
        }
        System.exit(correct ? 0 : 1);
    }

    /** One tick's function: its own clients, services and workers, as a Lambda invocation has. */
    private final class Function implements AutoCloseable {
        final DynamoDbClient dynamo = dynamo();
        final LambdaClient lambda = LambdaClient.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create(lambdaUrl)).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))) // as Wiring builds it
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        final DynamoClusterRepository clusters = new DynamoClusterRepository(dynamo, tables, secrets);
        final DynamoLocationRepository locations = new DynamoLocationRepository(dynamo, tables, secrets);
        final DynamoBackupRepository backups = new DynamoBackupRepository(dynamo, tables);
        final DynamoScheduleRepository schedules = new DynamoScheduleRepository(dynamo, tables);
        final DynamoWorkspaceRepository workspaceRepository = new DynamoWorkspaceRepository(dynamo, tables);
        final BackupService backupService = new BackupService(backups, clusters, locations, l -> null, clock);
        final DynamoRestoreRepository restores = new DynamoRestoreRepository(dynamo, tables);
        final WorkspaceService workspaces = new WorkspaceService(workspaceRepository, clusters, locations,
                backupService, backups, new RestoreService(restores, backups, clusters, locations, l -> null, clock),
                restores, clock);
        final ScheduleService scheduleService = new ScheduleService(schedules, clusters, locations, backupService,
                workspaces, clock);
        final LambdaWorkers workers = new LambdaWorkers(lambda, new LambdaWorkers.FunctionNames("lifeboat-validate-location",
                "lifeboat-run-backup", "lifeboat-run-restore"), locations, InvocationRetry.DEFAULTS);

        @Override
        public void close() {
            lambda.close();
            dynamo.close();
        }
    }

    private DynamoDbClient dynamo() {
        return DynamoDbClient.builder().endpointOverride(URI.create(dynamoUrl)).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    private boolean run(int count, int members, ScheduleService.TickLimits limits, LambdaRecorder lambda)
            throws Exception {
        System.out.println("load average at the start: " + loadAverage());
        System.out.printf("fleet benchmark: %,d schedules due in one slot, a workspace of %,d clusters; Lambda answers "
                + "after %d ms; tick limits: %d at once, slots taken for %d s; %d cores%n", count, members,
                LAMBDA_DELAY_MILLIS, limits.concurrency(), limits.budget().toSeconds(),
                Runtime.getRuntime().availableProcessors());
        List<String> failures = new ArrayList<>();
        try (Function seed = new Function()) {
            tables.createMissing(seed.dynamo);
            long t0 = System.nanoTime();
            Instant slot = clock.instant().truncatedTo(ChronoUnit.DAYS); // today's midnight: due, and the next is tomorrow
            seedFleet(seed, count, slot);
            seedWorkspaceProject(seed, members);
            System.out.printf("seeded %,d clusters and schedules and %,d workspace members in %.1f s (not measured)%n",
                    count, members, seconds(System.nanoTime() - t0));
            int dueBefore = seed.schedules.due(clock.instant()).size();
            System.out.printf("due before the ticks: %,d%n", dueBefore);
            if (dueBefore != count) {
                failures.add("seeded " + count + " schedules but " + dueBefore + " are due");
            }
        }

        // two ticks at once, as when an invocation runs late and the next one starts beside it
        List<TickOutcome> racing = raceTicks(2, limits);
        long afterRace;
        try (Function check = new Function()) {
            afterRace = check.schedules.due(clock.instant()).size();
        }
        Set<String> started = new HashSet<>();
        long reported = 0;
        for (TickOutcome tick : racing) {
            started.addAll(tick.started);
            reported += tick.started.size();
        }
        long distinctAfterRace = lambda.distinct(FLEET);
        long duplicatesAfterRace = lambda.duplicates(FLEET);
        double raceSeconds = racing.stream().mapToDouble(t -> t.seconds).max().orElse(0);

        // then one tick after another, as the schedule fires them, until nothing is due: what the racing ticks left
        List<TickOutcome> later = new ArrayList<>();
        for (int i = 0; i < FOLLOW_UP_TICKS; i++) {
            TickOutcome tick = raceTicks(1, limits).get(0);
            later.add(tick);
            started.addAll(tick.started);
            reported += tick.started.size();
            try (Function check = new Function()) {
                if (check.schedules.due(clock.instant()).isEmpty()) {
                    break;
                }
            }
        }
        long dueAfter;
        long backupRecords;
        try (Function check = new Function()) {
            dueAfter = check.schedules.due(clock.instant()).size();
            backupRecords = countBackups(check.dynamo, FLEET);
        }

        System.out.println();
        System.out.println("tick | seconds | backups started | invocations/s");
        System.out.println("---|---|---|---");
        for (int i = 0; i < racing.size(); i++) {
            TickOutcome tick = racing.get(i);
            System.out.printf("racing tick %d | %.2f | %,d | %,.0f%n", i + 1, tick.seconds, tick.started.size(),
                    tick.started.size() / tick.seconds);
        }
        System.out.printf("both racing ticks | %.2f | %,d | %,.0f%n", raceSeconds, (int) distinctAfterRace,
                distinctAfterRace / raceSeconds);
        for (int i = 0; i < later.size(); i++) {
            TickOutcome tick = later.get(i);
            System.out.printf("next tick %d | %.2f | %,d | %,.0f%n", i + 1, tick.seconds, tick.started.size(),
                    tick.started.size() / tick.seconds);
        }
        System.out.println();
        System.out.printf("after the racing ticks: %,d distinct backups invoked, %,d duplicate invocations, %,d "
                + "schedules still due%n", distinctAfterRace, duplicatesAfterRace, afterRace);
        System.out.printf("after %d more tick(s): %,d distinct invoked, %,d duplicates, %,d still due, %,d backup "
                + "records, %,d starts reported by the ticks%n", later.size(), lambda.distinct(FLEET), lambda.duplicates(FLEET),
                dueAfter, backupRecords, reported);
        if (lambda.duplicates(FLEET) != 0) {
            failures.add(lambda.duplicates(FLEET) + " duplicate invocations of scheduled backups");
        }
        if (reported != started.size()) {
            failures.add("the ticks reported " + reported + " starts of " + started.size() + " distinct backups");
        }
        if (lambda.distinct(FLEET) != count || started.size() != count || backupRecords != count) {
            failures.add("expected " + count + " scheduled backups started, invoked " + lambda.distinct(FLEET)
                    + ", reported " + started.size() + ", recorded " + backupRecords);
        }
        if (dueAfter != 0) {
            failures.add(dueAfter + " schedules still due after " + later.size() + " more ticks: never started");
        }
        if (afterRace != 0) {
            System.out.printf("NOTE: the racing ticks left %,d slots to the next tick (budget reached)%n", afterRace);
        }

        // one tick alone, the usual case: every schedule put back on an earlier slot (yesterday's), then one tick
        Instant earlier = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        try (Function reset = new Function()) {
            parallel(count, i -> reset.schedules.setPaused(FLEET, "s" + i, false, earlier));
        }
        TickOutcome alone = raceTicks(1, limits).get(0);
        long dueAfterAlone;
        try (Function check = new Function()) {
            dueAfterAlone = check.schedules.due(clock.instant()).size();
        }
        System.out.println();
        System.out.println("tick | seconds | backups started | invocations/s");
        System.out.println("---|---|---|---");
        System.out.printf("one tick alone | %.2f | %,d | %,.0f%n", alone.seconds, alone.started.size(),
                alone.started.size() / alone.seconds);
        System.out.printf("after the lone tick: %,d still due; %,d distinct invoked in all (two slots), %,d duplicates%n",
                dueAfterAlone, lambda.distinct(FLEET), lambda.duplicates(FLEET));
        if (lambda.duplicates(FLEET) != 0 || new HashSet<>(alone.started).size() != alone.started.size()
                || lambda.distinct(FLEET) != count + alone.started.size()) {
            failures.add("the lone tick: " + alone.started.size() + " started, " + lambda.distinct(FLEET)
                    + " distinct invoked in all, " + lambda.duplicates(FLEET) + " duplicates");
        }

        System.out.println();
        System.out.println("workspace backup | seconds | children started | skipped | invocations | duplicates");
        System.out.println("---|---|---|---|---|---");
        long invokedBefore = 0;
        for (int run = 1; run <= 2; run++) {
            WorkspaceOutcome outcome = workspaceBackup("nightly-" + run, members);
            long invoked = lambda.distinct(WORKSPACE_PROJECT) - invokedBefore;
            invokedBefore = lambda.distinct(WORKSPACE_PROJECT);
            System.out.printf("%s (%s JVM) | %.2f | %,d | %,d | %,d | %,d%n", "nightly-" + run,
                    run == 1 ? "first in this" : "warm", outcome.seconds, outcome.started, outcome.skipped, invoked,
                    lambda.duplicates(WORKSPACE_PROJECT));
            if (outcome.started != members || invoked != members) {
                failures.add("workspace backup " + run + ": " + outcome.started + " children started, " + invoked
                        + " invoked, of " + members);
            }
        }
        if (lambda.duplicates(WORKSPACE_PROJECT) != 0) {
            failures.add(lambda.duplicates(WORKSPACE_PROJECT) + " duplicate invocations of workspace children");
        }
        System.out.println();
        System.out.printf("Lambda invocations in all: %,d%n", lambda.total());
        System.out.println("load average at the end: " + loadAverage());
        if (failures.isEmpty()) {
            System.out.println("exactly once: OK");
            return true;
        }
        failures.forEach(f -> System.out.println("FAILED: " + f));
        return false;
    }

    private record TickOutcome(double seconds, List<String> started) {
    }

    private record WorkspaceOutcome(double seconds, long started, long skipped) {
    }

    /** {@code ticks} ticks started together, each in its own thread with its own clients. */
    private List<TickOutcome> raceTicks(int ticks, ScheduleService.TickLimits limits) throws Exception {
        List<Function> functions = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            functions.add(new Function());
        }
        ExecutorService threads = Executors.newFixedThreadPool(ticks);
        CountDownLatch together = new CountDownLatch(ticks);
        try {
            List<Future<TickOutcome>> outcomes = new ArrayList<>();
            for (Function function : functions) {
                outcomes.add(threads.submit(() -> {
                    together.countDown();
                    together.await();
                    long t0 = System.nanoTime();
                    List<String> started = function.scheduleService.tick(function.workers::runBackup, limits);
                    return new TickOutcome(seconds(System.nanoTime() - t0), started);
                }));
            }
            List<TickOutcome> done = new ArrayList<>();
            for (Future<TickOutcome> outcome : outcomes) {
                done.add(outcome.get());
            }
            return done;
        } finally {
            threads.shutdownNow();
            functions.forEach(Function::close);
        }
    }

    /** The call the API's workspace resource makes, timed, in a fresh function (its own clients). */
    private WorkspaceOutcome workspaceBackup(String name, int members) {
        try (Function api = new Function()) {
            long t0 = System.nanoTime();
            WorkspaceRun run = api.workspaces.backup(WORKSPACE_PROJECT, "everything",
                    new WorkspaceRequests.Backup(name, "store", null, false, null), api.workers::runBackup);
            double took = seconds(System.nanoTime() - t0);
            long started = run.children().stream().filter(c -> c.child() != null).count();
            return new WorkspaceOutcome(took, started, run.children().size() - started);
        }
    }

    private void seedFleet(Function f, int count, Instant slot) throws Exception {
        Instant now = clock.instant();
        f.locations.create(location(FLEET, now));
        parallel(count, i -> f.clusters.create(cluster(FLEET, "c" + i, now)));
        parallel(count, i -> f.schedules.create(new Schedule(FLEET, "s" + i, "c" + i, null, "store", "s" + i, false, null,
                List.of(), 7, null, Map.<String, Object>of("hour", 0, "minute", 0), null, false, slot, null, null,
                now.minus(Duration.ofDays(1)))));
    }

    private void seedWorkspaceProject(Function f, int members) throws Exception {
        Instant now = clock.instant();
        f.locations.create(location(WORKSPACE_PROJECT, now));
        parallel(members, i -> f.clusters.create(cluster(WORKSPACE_PROJECT, "m" + i, now)));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            names.add("m" + i);
        }
        f.workspaces.create(WORKSPACE_PROJECT, new WorkspaceRequests.Create("everything", names, List.of()));
    }

    /**
     * A registered cluster as ClusterService records it: a kubeconfig (sealed by the repository), and the context and
     * server it resolved to, both set (a null context is not an attribute DynamoDB takes).
     */
    private static Cluster cluster(String project, String name, Instant now) {
        String kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: " + name + "\n  cluster:\n    server: https://"
                + name + ".example:6443\ncontexts:\n- name: " + name + "\n  context:\n    cluster: " + name
                + "\n    user: admin\ncurrent-context: " + name + "\nusers:\n- name: admin\n  user:\n    token: t\n";
        return new Cluster(project, name, kubeconfig, name, "https://" + name + ".example:6443",
                new ClusterStatus(ClusterStatus.Health.Healthy, "v1.30.0", null, now), now);
    }

    private static Location location(String project, Instant now) {
        return new Location(project, "store", Provider.MINIO, "backups", project, Map.of(LocationField.REGION,
                "us-east-1", LocationField.S3_URL, "http://127.0.0.1:9000", LocationField.ACCESS_KEY_ID, "bench",
                LocationField.SECRET_ACCESS_KEY, "bench-secret"), LocationStatus.available(now), now);
    }

    private static long countBackups(DynamoDbClient dynamo, String project) {
        return dynamo.queryPaginator(r -> r.tableName(new Tables("bench-").backups()).select(Select.COUNT)
                        .keyConditionExpression("#p = :p").expressionAttributeNames(Map.of("#p", Tables.PROJECT))
                        .expressionAttributeValues(Map.of(":p", software.amazon.awssdk.services.dynamodb.model
                                .AttributeValue.fromS(project))))
                .stream().mapToLong(page -> page.count()).sum();
    }

    private static void parallel(int count, IntConsumer write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SEED_THREADS);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                writes.add(pool.submit((Callable<Void>) () -> {
                    write.accept(index);
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The machine's load (other processes share its cores), as /proc/loadavg has it. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
