package io.lifeboat.dynamodb;

import io.lifeboat.backup.Backup;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.error.ConflictException;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.sandbox.dynamodb.DynamoDbLocalServer;
import io.lifeboat.secret.EnvelopeSecretBox;
import io.lifeboat.secret.LocalKeyFileDataKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repositories against DynamoDB Local, with secrets sealed under a local key file. */
class DynamoRepositoriesTest {
    @TempDir
    static Path work;
    static DynamoDbLocalServer server;
    static DynamoDbClient dynamo;
    static DynamoLocationRepository locations;
    static DynamoClusterRepository clusters;
    static DynamoBackupRepository backups;
    static DynamoRestoreRepository restores;
    static DynamoScheduleRepository schedules;
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void start() {
        server = DynamoDbLocalServer.inMemory();
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(server.url())).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        Tables tables = new Tables("test-");
        tables.createMissing(dynamo);
        tables.createMissing(dynamo); // a second time finds them there
        EnvelopeSecretBox box = new EnvelopeSecretBox(new LocalKeyFileDataKeys(work.resolve("master.key")));
        locations = new DynamoLocationRepository(dynamo, tables, box);
        clusters = new DynamoClusterRepository(dynamo, tables, box);
        backups = new DynamoBackupRepository(dynamo, tables);
        restores = new DynamoRestoreRepository(dynamo, tables);
        schedules = new DynamoScheduleRepository(dynamo, tables);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        server.close();
    }

    private static Location location(String project, String name) {
        return new Location(project, name, Provider.MINIO, "backups", "team", Map.of(
                LocationField.REGION, "us-east-1", LocationField.S3_URL, "http://127.0.0.1:9000",
                LocationField.ACCESS_KEY_ID, "AKIDLOCAL", LocationField.SECRET_ACCESS_KEY, "super-secret-value"),
                LocationStatus.pending(), NOW);
    }

    @Test
    void locationRoundTripsWithItsSecretsSealed() {
        Location l = location("p1", "minio-a");
        locations.create(l);
        assertEquals(l, locations.find("p1", "minio-a").orElseThrow());

        Map<String, AttributeValue> raw = dynamo.getItem(r -> r.tableName("test-locations")
                .key(Map.of("project", AttributeValue.fromS("p1"), "name", AttributeValue.fromS("minio-a")))).item();
        String everything = raw.toString() + new String(raw.get("secrets").b().asByteArray(), StandardCharsets.ISO_8859_1);
        assertFalse(everything.contains("super-secret-value"), "the secret is not stored in clear");
        assertFalse(everything.contains("AKIDLOCAL"), "the access key id is not stored in clear");
        assertTrue(raw.get("settings").m().containsKey("s3Url"), "plain settings stay readable");
    }

    @Test
    void duplicateNamesConflictWithinAProjectOnly() {
        locations.create(location("p2", "dup"));
        assertThrows(ConflictException.class, () -> locations.create(location("p2", "dup")));
        locations.create(location("p3", "dup"));
        assertEquals(1, locations.list("p2").size());
        assertEquals(1, locations.list("p3").size());
    }

    @Test
    void statusUpdatesAndDeletes() {
        locations.create(location("p4", "l"));
        LocationStatus unavailable = LocationStatus.unavailable("NoSuchBucket", "bucket backups does not exist", NOW);
        locations.updateStatus("p4", "l", unavailable);
        assertEquals(unavailable, locations.find("p4", "l").orElseThrow().status());
        assertTrue(locations.delete("p4", "l"));
        assertFalse(locations.delete("p4", "l"));
        locations.updateStatus("p4", "l", unavailable); // a validation finishing after a delete writes nothing
        assertTrue(locations.find("p4", "l").isEmpty());
        assertTrue(locations.listAll().stream().noneMatch(x -> x.project().equals("p4")));
    }

    @Test
    void clusterKubeconfigIsSealedAndBoundToItsRecord() {
        Cluster c = new Cluster("p5", "prod", "apiVersion: v1\nkind: Config\n# token: abc-secret-token\n", "ctx",
                "https://10.0.0.1:6443", ClusterStatus.unknown(), NOW);
        clusters.create(c);
        assertEquals(c, clusters.find("p5", "prod").orElseThrow());
        Map<String, AttributeValue> raw = dynamo.getItem(r -> r.tableName("test-clusters")
                .key(Map.of("project", AttributeValue.fromS("p5"), "name", AttributeValue.fromS("prod")))).item();
        assertFalse(new String(raw.get("kubeconfig").b().asByteArray(), StandardCharsets.ISO_8859_1).contains("abc-secret-token"));

        // the sealed kubeconfig copied onto another record does not open there
        Map<String, AttributeValue> copy = new java.util.HashMap<>(raw);
        copy.put("name", AttributeValue.fromS("stolen"));
        dynamo.putItem(r -> r.tableName("test-clusters").item(copy));
        assertThrows(IllegalStateException.class, () -> clusters.find("p5", "stolen"));

        ClusterStatus healthy = new ClusterStatus(ClusterStatus.Health.Healthy, "v1.32.0", "ok", NOW);
        clusters.updateStatus("p5", "prod", healthy);
        assertEquals(healthy, clusters.find("p5", "prod").orElseThrow().status());
        assertThrows(ConflictException.class, () -> clusters.create(c));
    }

    @Test
    void backupsAreClaimedOnceEvenWhenTwoDeliveriesRace() throws Exception {
        Backup b = Backup.requested("p6", "nightly", "prod", "loc", java.util.List.of("shop"), null, true, NOW,
                NOW.plus(30, ChronoUnit.DAYS));
        backups.create(b);
        assertEquals(b, backups.find("p6", "nightly").orElseThrow());
        assertThrows(ConflictException.class, () -> backups.create(b));

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.List<java.util.concurrent.Future<Boolean>> claims = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            claims.add(pool.submit(() -> backups.claim("p6", "nightly", NOW)));
        }
        int won = 0;
        for (var claim : claims) {
            won += claim.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, won);
        assertEquals(Backup.Phase.InProgress, backups.find("p6", "nightly").orElseThrow().phase());

        backups.updateProgress("p6", "nightly", new Backup.Progress(5, 10));
        assertEquals(new Backup.Progress(5, 10), backups.find("p6", "nightly").orElseThrow().progress());
        Backup.Outcome outcome = new Backup.Outcome(Backup.Phase.PartiallyFailed, new Backup.Progress(10, 10), NOW,
                1234, "ab".repeat(32), 1, 2, java.util.List.of("listing secrets failed"),
                java.util.List.of(new Backup.VolumeSnapshot("shop", "data", "pv-1", "ebs.csi.aws.com", "vs-1", "snap-1",
                        "1Gi", null)));
        backups.finish("p6", "nightly", outcome);
        backups.updateProgress("p6", "nightly", new Backup.Progress(1, 1)); // late: ignored
        Backup done = backups.find("p6", "nightly").orElseThrow();
        assertEquals(b.started(NOW).finishedWith(outcome), done);
    }

    @Test
    void backupsListNewestFirstAndByCluster() {
        for (int i = 0; i < 3; i++) {
            backups.create(Backup.requested("p7", "b" + i, i == 1 ? "other" : "prod", "loc", null, false, false,
                    NOW.plusSeconds(i), NOW.plus(1, ChronoUnit.DAYS)));
        }
        assertEquals(java.util.List.of("b2", "b1", "b0"), backups.list("p7", null).stream().map(Backup::name).toList());
        assertEquals(java.util.List.of("b2", "b0"), backups.list("p7", "prod").stream().map(Backup::name).toList());
    }

    @Test
    void aBackupImportedFromVeleroRoundTripsWithoutAClusterAndStaysOutOfTheExpiryIndex() {
        Instant t = NOW;
        Backup imported = new Backup("p11", "velero-nightly", null, "loc", java.util.List.of("shop"), true, false,
                t.minusSeconds(7200), t.minusSeconds(60), Backup.Phase.PartiallyFailed, new Backup.Progress(40, 41),
                t.minusSeconds(7200), t.minusSeconds(7000), 12345, "ab".repeat(32), 2, 1, java.util.List.of(),
                java.util.List.of(), Backup.Origin.velero);
        backups.create(imported);
        assertEquals(imported, backups.find("p11", "velero-nightly").orElseThrow());
        assertEquals(java.util.List.of("velero-nightly"), backups.list("p11", null).stream().map(Backup::name).toList());
        assertEquals(java.util.List.of(), backups.list("p11", "prod"));
        assertTrue(backups.expired(t).stream().noneMatch(b -> b.project().equals("p11")),
                "Lifeboat never expires what Velero wrote");
        Backup own = Backup.requested("p11", "mine", "prod", "loc", null, null, false, t, t.plusSeconds(60));
        backups.create(own);
        assertEquals(Backup.Origin.lifeboat, backups.find("p11", "mine").orElseThrow().origin());
    }

    @Test
    void restoresRoundTripAndAreClaimedOnce() {
        io.lifeboat.restore.Restore.Request request = new io.lifeboat.restore.Restore.Request(true, false, true,
                java.util.List.of("shop"), java.util.Map.of("shop", "shop-2"), java.util.Map.of("gp2", "standard"), "update",
                java.util.Map.of("app", "web"), java.util.List.of("deployments.apps/shop/web"));
        io.lifeboat.restore.Restore r = io.lifeboat.restore.Restore.requested("p8", "r1", "nightly", "b", request, NOW);
        restores.create(r);
        assertEquals(r, restores.find("p8", "r1").orElseThrow());
        assertThrows(ConflictException.class, () -> restores.create(r));
        assertTrue(restores.claim("p8", "r1", NOW));
        assertFalse(restores.claim("p8", "r1", NOW));
        restores.updateProgress("p8", "r1", new io.lifeboat.restore.Restore.Progress(3, 9));
        assertEquals(new io.lifeboat.restore.Restore.Progress(3, 9), restores.find("p8", "r1").orElseThrow().progress());
        io.lifeboat.restore.Restore.Outcome outcome = new io.lifeboat.restore.Restore.Outcome(
                io.lifeboat.restore.Restore.Phase.Completed, new io.lifeboat.restore.Restore.Progress(9, 9),
                new io.lifeboat.restore.Restore.Counts(7, 1, 1), NOW, 1, 0,
                java.util.Map.of("warnings", java.util.Map.of("velero", java.util.List.of("w"))));
        restores.finish("p8", "r1", outcome);
        assertEquals(r.started(NOW).finishedWith(outcome), restores.find("p8", "r1").orElseThrow());
        assertEquals(java.util.List.of("r1"), restores.listByTarget("p8", "b").stream().map(io.lifeboat.restore.Restore::name).toList());
        assertTrue(restores.listByTarget("p8", "a").isEmpty());
    }

    /** Two ticks racing on one DynamoDB Local: one backup per slot. */
    @Test
    void racingTicksStartOneBackupPerSlot() throws Exception {
        Instant created = Instant.parse("2026-11-23T10:00:30Z");
        io.lifeboat.schedule.Schedule schedule = new io.lifeboat.schedule.Schedule("p9", "every-minute", "prod", null, "loc",
                "nightly", false, null, java.util.List.of(), 7, null, java.util.Map.of(), "Europe/Berlin", false,
                Instant.parse("2026-11-23T10:01:00Z"), null, null, created);
        schedules.create(schedule);
        assertEquals(schedule, schedules.find("p9", "every-minute").orElseThrow());
        assertTrue(schedules.due(Instant.parse("2026-11-23T10:00:59Z")).stream().noneMatch(s -> s.project().equals("p9")));

        io.lifeboat.cluster.InMemoryClusterRepository clusterRepo = new io.lifeboat.cluster.InMemoryClusterRepository();
        clusterRepo.create(new Cluster("p9", "prod", "k", null, "https://k", ClusterStatus.unknown(), created));
        io.lifeboat.location.InMemoryLocationRepository locationRepo = new io.lifeboat.location.InMemoryLocationRepository();
        locationRepo.create(location("p9", "loc").withStatus(LocationStatus.available(created)));
        java.time.Clock clock = java.time.Clock.fixed(Instant.parse("2026-11-23T10:01:10Z"), java.time.ZoneOffset.UTC);
        io.lifeboat.schedule.ScheduleService service = new io.lifeboat.schedule.ScheduleService(schedules, clusterRepo,
                locationRepo, new io.lifeboat.backup.BackupService(new io.lifeboat.backup.InMemoryBackupRepository(),
                clusterRepo, locationRepo, l -> null, clock), null, clock);
        java.util.List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.List<java.util.concurrent.Future<?>> ticks = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ticks.add(pool.submit(() -> service.tick((project, name) -> started.add(name))));
        }
        for (var tick : ticks) {
            tick.get();
        }
        pool.shutdown();
        assertEquals(java.util.List.of("nightly-20261123100100"), started);
        io.lifeboat.schedule.Schedule after = schedules.find("p9", "every-minute").orElseThrow();
        assertEquals(Instant.parse("2026-11-23T10:02:00Z"), after.nextRunAt());
        assertEquals("nightly-20261123100100", after.lastBackup());

        schedules.setPaused("p9", "every-minute", true, null);
        assertTrue(schedules.due(Instant.parse("2030-01-01T00:00:00Z")).stream().noneMatch(s -> s.project().equals("p9")),
                "a paused schedule leaves the index");
        schedules.setPaused("p9", "every-minute", false, Instant.parse("2026-11-23T11:00:00Z"));
        assertEquals(1, schedules.due(Instant.parse("2026-11-23T11:00:00Z")).stream().filter(s -> s.project().equals("p9")).count());
    }

    @Test
    void expiredBackupsComeFromTheIndexAndPhasesChangeOnlyFromTheRightOnes() {
        Instant t = Instant.parse("2026-06-01T00:00:00Z");
        backups.create(Backup.requested("p10", "expired", "prod", "loc", null, null, false, t.minusSeconds(100), t.minusSeconds(1)));
        backups.create(Backup.requested("p10", "later", "prod", "loc", null, null, false, t.minusSeconds(100), t.plusSeconds(1)));
        assertEquals(java.util.List.of("expired"), backups.expired(t).stream().filter(b -> b.project().equals("p10"))
                .map(Backup::name).toList());
        assertFalse(backups.markDeleting("p10", "expired", java.util.List.of()), "a New backup is not deleted");
        backups.claim("p10", "expired", t.minusSeconds(3600));
        assertEquals(java.util.List.of("expired"), backups.stuck(t.minusSeconds(60)).stream()
                .filter(b -> b.project().equals("p10")).map(Backup::name).toList());
        assertTrue(backups.failIfRunning("p10", "expired", "interrupted", t));
        assertFalse(backups.failIfRunning("p10", "expired", "interrupted", t));
        assertTrue(backups.markDeleting("p10", "expired", java.util.List.of("store down")));
        Backup deleting = backups.find("p10", "expired").orElseThrow();
        assertEquals(Backup.Phase.Deleting, deleting.phase());
        assertEquals(java.util.List.of("store down"), deleting.firstErrors());
        assertTrue(backups.markDeleting("p10", "expired", java.util.List.of()), "a Deleting backup can be swept again");
        assertTrue(backups.delete("p10", "expired"));
        assertTrue(backups.find("p10", "expired").isEmpty());
    }
}
