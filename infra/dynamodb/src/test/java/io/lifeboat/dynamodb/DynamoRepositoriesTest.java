package io.lifeboat.dynamodb;

import io.lifeboat.backup.Backup;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.error.ConflictException;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.restore.ExistingResourcePolicy;
import io.lifeboat.restore.Restore;
import io.lifeboat.workspace.WorkspaceRun;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
    static DynamoWorkspaceRepository workspaces;
    static final PageRequest ALL = PageRequest.first(PageRequest.MAX_LIMIT);
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
        workspaces = new DynamoWorkspaceRepository(dynamo, tables);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        server.close();
    }

    /** Each project and name on its own prefix of one bucket, since a prefix belongs to one location. */
    private static Location location(String project, String name) {
        return location(project, name, "http://127.0.0.1:9000", "backups", project + "-" + name);
    }

    private static Location location(String project, String name, String url, String bucket, String prefix) {
        return new Location(project, name, Provider.MINIO, bucket, prefix, Map.of(
                LocationField.REGION, "us-east-1", LocationField.S3_URL, url,
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
        assertEquals(1, locations.list("p2", ALL).items().size());
        assertEquals(1, locations.list("p3", ALL).items().size());
    }

    private static Map<String, AttributeValue> claimsOf(String store) {
        return dynamo.getItem(r -> r.tableName("test-bucket-claims").key(Map.of("store", AttributeValue.fromS(store))))
                .item();
    }

    /**
     * Project A's location holds prefix team-a of bucket shared; B's attempts on team-a, team-a/x and the whole bucket
     * are 409 naming the prefix and write nothing; team and then team-a2 are not nested by segments and are allowed.
     * Deleting A's location releases team-a.
     */
    @Test
    void aPrefixOfABucketBelongsToOneLocationAcrossProjects() {
        String url = "http://127.0.0.1:9100";
        locations.create(location("tenant-a", "store", url, "shared", "team-a"));
        String store = io.lifeboat.location.BucketClaim.of(location("x", "x", url, "shared", "")).store();
        for (String taken : new String[]{"team-a", "team-a/x", ""}) {
            ConflictException e = assertThrows(ConflictException.class,
                    () -> locations.create(location("tenant-b", "store", url, "shared", taken)));
            assertEquals("prefix", e.field(), taken);
            assertFalse(e.getMessage().contains("tenant-a"), e.getMessage());
            assertTrue(locations.find("tenant-b", "store").isEmpty(), "nothing written for '" + taken + "'");
            assertEquals(1, claimsOf(store).get("holders").l().size(), "the claims are unchanged for '" + taken + "'");
        }
        locations.create(location("tenant-b", "store", url, "shared", "team"));
        locations.create(location("tenant-b", "store-2", url, "shared", "team-a2"));
        assertEquals(3, claimsOf(store).get("holders").l().size());
        assertEquals("name", assertThrows(ConflictException.class,
                () -> locations.create(location("tenant-b", "store", url, "other-bucket", "x"))).field());
        assertTrue(locations.find("tenant-b", "other-bucket").isEmpty());

        assertTrue(locations.delete("tenant-a", "store"));
        assertEquals(2, claimsOf(store).get("holders").l().size());
        locations.create(location("tenant-c", "store", url, "shared", "team-a/x"));
        assertFalse(locations.delete("tenant-a", "store"));
    }

    @Test
    void aLocationHoldingAWholeBucketIsNamedByTheBucket() {
        String url = "http://127.0.0.1:9101";
        locations.create(location("tenant-a", "whole", url, "whole", ""));
        assertEquals("bucket", assertThrows(ConflictException.class,
                () -> locations.create(location("tenant-b", "part", url, "whole", "mine"))).field());
        locations.create(location("tenant-b", "part", "http://127.0.0.1:9102", "whole", "mine"));
    }

    /** Eight projects race for one prefix: exactly one wins, the others get 409 naming the prefix. */
    @Test
    void racingCreatesOnOnePrefixCannotBothWin() throws Exception {
        String url = "http://127.0.0.1:9103";
        int racers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<String>> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String project = "racer-" + i;
            String prefix = i % 2 == 0 ? "team" : "team/nested"; // every pair conflicts: one winner only
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    locations.create(location(project, "store", url, "raced", prefix));
                    return "won";
                } catch (ConflictException e) {
                    return e.field();
                }
            }));
        }
        start.countDown();
        java.util.List<String> answers = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<String> outcome : outcomes) {
            answers.add(outcome.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(1, answers.stream().filter("won"::equals).count(), answers.toString());
        assertEquals(racers - 1, answers.stream().filter("prefix"::equals).count(), answers.toString());
        long stored = locations.listAll().stream().filter(l -> l.bucket().equals("raced")).count();
        assertEquals(1, stored);
        String store = io.lifeboat.location.BucketClaim.of(location("x", "x", url, "raced", "")).store();
        assertEquals(1, claimsOf(store).get("holders").l().size());
    }

    /** A location stored before claims existed still holds its prefix: the first claim on its bucket starts from it. */
    @Test
    void locationsStoredBeforeClaimsExistedStillHoldTheirPrefix() {
        Map<String, AttributeValue> legacy = new java.util.HashMap<>(Map.of(
                "project", AttributeValue.fromS("old-project"), "name", AttributeValue.fromS("old"),
                "provider", AttributeValue.fromS("minio"), "bucket", AttributeValue.fromS("legacy"),
                "prefix", AttributeValue.fromS("team-a"), "phase", AttributeValue.fromS("Pending"),
                "createdAt", AttributeValue.fromS(NOW.toString()),
                "settings", AttributeValue.fromM(Map.of("s3Url", AttributeValue.fromS("http://127.0.0.1:9104")))));
        dynamo.putItem(r -> r.tableName("test-locations").item(legacy));
        assertEquals("prefix", assertThrows(ConflictException.class,
                () -> locations.create(location("new-project", "new", "http://127.0.0.1:9104", "legacy", "team-a/x"))).field());
        locations.create(location("new-project", "new", "http://127.0.0.1:9104", "legacy", "team-b"));
        assertTrue(locations.delete("old-project", "old"));
        locations.create(location("new-project", "newer", "http://127.0.0.1:9104", "legacy", "team-a/x"));
    }

    @Test
    void statusUpdatesAndDeletes() {
        locations.create(location("p4", "l"));
        LocationStatus unavailable = LocationStatus.unavailable(LocationStatus.Reason.NoSuchBucket, "bucket backups does not exist", NOW);
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

        Cluster insecure = new Cluster("p5", "self-signed", "apiVersion: v1\n", "ctx", "https://10.0.0.2:6443",
                ClusterStatus.unknown(), NOW, true);
        clusters.create(insecure);
        assertTrue(clusters.find("p5", "self-signed").orElseThrow().insecureTls(), "the choice is kept");

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
                java.util.List.of(new VolumeSnapshot("shop", "data", "pv-1", "ebs.csi.aws.com", "vs-1", "snap-1",
                        "1Gi", null)));
        backups.finish("p6", "nightly", outcome);
        backups.updateProgress("p6", "nightly", new Backup.Progress(1, 1)); // late: ignored
        Backup done = backups.find("p6", "nightly").orElseThrow();
        assertEquals(b.started(NOW).finishedWith(outcome), done);
    }

    @Test
    void backupsListInNameOrderAndByCluster() {
        for (int i = 2; i >= 0; i--) {
            backups.create(Backup.requested("p7", "b" + i, i == 1 ? "other" : "prod", "loc", null, false, false,
                    NOW.plusSeconds(i), NOW.plus(1, ChronoUnit.DAYS)));
        }
        assertEquals(List.of("b0", "b1", "b2"), names(backups.list("p7", null, ALL), Backup::name));
        assertEquals(List.of("b0", "b2"), names(backups.list("p7", "prod", ALL), Backup::name));
    }

    static <T> List<String> names(Page<T> page, java.util.function.Function<T, String> name) {
        return page.items().stream().map(name).toList();
    }

    /** Every page of a list, read one Query at a time from where the last stopped, joined. */
    static <T> List<String> allPages(java.util.function.Function<PageRequest, Page<T>> list, int limit,
                                     java.util.function.Function<T, String> name, Runnable betweenPages) {
        List<String> seen = new ArrayList<>();
        Page<T> page = list.apply(PageRequest.first(limit));
        while (true) {
            assertTrue(page.items().size() <= limit);
            seen.addAll(names(page, name));
            if (page.next() == null) {
                return seen;
            }
            assertEquals(name.apply(page.items().get(page.items().size() - 1)), page.next());
            betweenPages.run();
            page = list.apply(new PageRequest(page.next(), limit));
        }
    }

    /**
     * Pages are DynamoDB Queries from an exclusive start key: joined they are the whole list, also with a filter that
     * leaves most items out, and items created between pages are neither lost nor repeated.
     */
    @Test
    void listsPageThroughQueriesWithoutLosingOrRepeatingAnItem() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "c" + (char) ('a' + i);
            expected.add(name);
            clusters.create(new Cluster("p40", name, "kubeconfig", "ctx", "https://k", ClusterStatus.unknown(), NOW));
        }
        clusters.create(new Cluster("p40x", "ca", "kubeconfig", "ctx", "https://k", ClusterStatus.unknown(), NOW));
        for (int limit : new int[]{1, 5, 12, 13}) {
            assertEquals(expected, allPages(page -> clusters.list("p40", page), limit, Cluster::name, () -> { }), "limit " + limit);
        }
        assertEquals(null, clusters.list("p40", PageRequest.first(12)).next(), "the last page has no token");

        // created between pages, before and after the cursor: every item there all along comes once
        int[] made = {0};
        List<String> seen = allPages(page -> clusters.list("p40", page), 2, Cluster::name, () -> {
            clusters.create(new Cluster("p40", "a" + made[0], "k", "ctx", "https://k", ClusterStatus.unknown(), NOW));
            clusters.create(new Cluster("p40", "z" + made[0]++, "k", "ctx", "https://k", ClusterStatus.unknown(), NOW));
        });
        assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "nothing twice: " + seen);
        assertTrue(seen.containsAll(expected), seen.toString());
        assertTrue(seen.stream().noneMatch(n -> n.startsWith("a")), "created before the cursor: not on later pages");

        // a filter that takes one item in four: pages stay full, read on past what it leaves out
        for (int i = 0; i < 20; i++) {
            backups.create(Backup.requested("p41", String.format("b%02d", i), i % 4 == 0 ? "prod" : "other", "loc", null,
                    false, false, NOW, NOW.plus(1, ChronoUnit.DAYS)));
        }
        Page<Backup> first = backups.list("p41", "prod", PageRequest.first(2));
        assertEquals(List.of("b00", "b04"), names(first, Backup::name));
        assertEquals(List.of("b00", "b04", "b08", "b12", "b16"),
                allPages(page -> backups.list("p41", "prod", page), 2, Backup::name, () -> { }));
        assertEquals(null, backups.list("p41", "prod", new PageRequest("b12", 1)).next(), "b16 is the last of prod");
        // the cursor need not exist any more
        backups.delete("p41", "b04");
        assertEquals(List.of("b08"), names(backups.list("p41", "prod", new PageRequest("b04", 1)), Backup::name));
    }

    static final WorkspaceRun.BackupSpec BACKUP_SPEC = new WorkspaceRun.BackupSpec("store", NOW.plus(Duration.ofDays(7)),
            true, null, List.of("shop"));
    static final WorkspaceRun.RestoreSpec RESTORE_SPEC = new WorkspaceRun.RestoreSpec("n1", Map.of("east", "west"),
            new Restore.Request(true, false, true, List.of(), Map.of("shop", "shop-copy"), Map.of("gp2", "standard"),
                    ExistingResourcePolicy.update, Map.of("app", "web"), List.of()));

    @Test
    void aWorkspaceRunKeepsItsSpecAndItsEndIsRecordedOnce() {
        workspaces.createRun(WorkspaceRun.ofBackup("p43", "nightly", "fleet", BACKUP_SPEC,
                List.of(new WorkspaceRun.Child("east", "nightly-east", null)), NOW));
        workspaces.createRun(WorkspaceRun.ofRestore("p43", "back", "fleet", RESTORE_SPEC, List.of(), NOW));
        WorkspaceRun backup = workspaces.findRun("p43", WorkspaceRun.Kind.backup, "nightly").orElseThrow();
        assertEquals(BACKUP_SPEC, backup.backup());
        assertEquals(null, backup.restore());
        assertEquals(null, backup.endedAt());
        assertEquals(RESTORE_SPEC, workspaces.findRun("p43", WorkspaceRun.Kind.restore, "back").orElseThrow().restore());

        Instant end = NOW.plusSeconds(90);
        assertTrue(workspaces.markEnded("p43", WorkspaceRun.Kind.backup, "nightly", end));
        assertFalse(workspaces.markEnded("p43", WorkspaceRun.Kind.backup, "nightly", end.plusSeconds(1)),
                "the second child to find the run ended does not signal it again");
        assertEquals(end, workspaces.findRun("p43", WorkspaceRun.Kind.backup, "nightly").orElseThrow().endedAt());
        assertEquals(null, workspaces.findRun("p43", WorkspaceRun.Kind.restore, "back").orElseThrow().endedAt(),
                "runs of the other kind are apart");
        assertFalse(workspaces.markEnded("p43", WorkspaceRun.Kind.backup, "gone", end), "no run is brought into being");
        assertTrue(workspaces.findRun("p43", WorkspaceRun.Kind.backup, "gone").isEmpty());
    }

    @Test
    void workspaceRunsAreListedPerWorkspaceAndKind() {
        for (String name : List.of("n3", "n1", "n2")) {
            workspaces.createRun(WorkspaceRun.ofBackup("p42", name, "fleet", BACKUP_SPEC, List.of(), NOW));
        }
        workspaces.createRun(WorkspaceRun.ofBackup("p42", "n0", "other", BACKUP_SPEC, List.of(), NOW));
        workspaces.createRun(WorkspaceRun.ofRestore("p42", "n1", "fleet", RESTORE_SPEC, List.of(), NOW));
        assertEquals(List.of("n1", "n2", "n3"), allPages(page -> workspaces.listRuns("p42", "fleet",
                WorkspaceRun.Kind.backup, page), 1, WorkspaceRun::name, () -> { }));
        assertEquals(List.of("n1"), names(workspaces.listRuns("p42", "fleet", WorkspaceRun.Kind.restore, ALL),
                WorkspaceRun::name));
        assertEquals(WorkspaceRun.Kind.backup, workspaces.findRun("p42", WorkspaceRun.Kind.backup, "n2").orElseThrow().kind());
    }

    @Test
    void aBackupImportedFromVeleroRoundTripsWithoutAClusterAndStaysOutOfTheExpiryIndex() {
        Instant t = NOW;
        Backup imported = new Backup("p31", "velero-nightly", null, "loc", java.util.List.of("shop"), true, false,
                t.minusSeconds(7200), t.minusSeconds(60), Backup.Phase.PartiallyFailed, new Backup.Progress(40, 41),
                t.minusSeconds(7200), t.minusSeconds(7000), 12345, "ab".repeat(32), 2, 1, java.util.List.of(),
                java.util.List.of(), Backup.Origin.velero);
        backups.create(imported);
        assertEquals(imported, backups.find("p31", "velero-nightly").orElseThrow());
        assertEquals(java.util.List.of("velero-nightly"), names(backups.list("p31", null, ALL), Backup::name));
        assertEquals(java.util.List.of(), backups.list("p31", "prod", ALL).items());
        assertTrue(backups.expired(t).stream().noneMatch(b -> b.project().equals("p31")),
                "Lifeboat never expires what Velero wrote");
        Backup own = Backup.requested("p31", "mine", "prod", "loc", null, null, false, t, t.plusSeconds(60));
        backups.create(own);
        assertEquals(Backup.Origin.lifeboat, backups.find("p31", "mine").orElseThrow().origin());
    }

    /**
     * A scheduled backup keeps its schedule and its request to be verified; a verification is kept as a document, and
     * only on a backup that has its files; a schedule's backups are found among the project's others.
     */
    @Test
    void aScheduledBackupKeepsItsScheduleAndItsVerification() {
        Instant t = NOW;
        Backup scheduled = Backup.requested("p32", "daily-20261123000000", "prod", "loc", null, null, false, t,
                t.plusSeconds(60)).asked("daily", true);
        backups.create(scheduled);
        backups.create(Backup.requested("p32", "by-hand", "prod", "loc", null, null, false, t, t.plusSeconds(60)));
        backups.create(Backup.requested("p33", "daily-20261123000000", "prod", "loc", null, null, false, t,
                t.plusSeconds(60)).asked("daily", false));
        assertEquals(scheduled, backups.find("p32", "daily-20261123000000").orElseThrow());
        assertEquals(List.of("daily-20261123000000"), backups.ofSchedule("p32", "daily").stream().map(Backup::name).toList());
        assertEquals(List.of(), backups.ofSchedule("p32", "weekly"));

        Backup.Verification pending = Backup.Verification.pending(t);
        assertFalse(backups.recordVerification("p32", "daily-20261123000000", pending), "a New backup has no files yet");
        assertTrue(backups.claim("p32", "daily-20261123000000", t));
        backups.finish("p32", "daily-20261123000000", new Backup.Outcome(Backup.Phase.Completed,
                new Backup.Progress(3, 3), t, 100, "ab".repeat(32), 0, 0, List.of(), List.of(), List.of()));
        assertTrue(backups.recordVerification("p32", "daily-20261123000000", pending));
        Backup.Verification failed = new Backup.Verification(t, t.plusSeconds(5), false, 3, List.of("one", "two"), 7);
        assertTrue(backups.recordVerification("p32", "daily-20261123000000", failed));
        Backup found = backups.find("p32", "daily-20261123000000").orElseThrow();
        assertEquals(failed, found.verification());
        assertEquals("daily", found.schedule());
        assertTrue(found.verifyAfter());
        assertTrue(backups.markDeleting("p32", "daily-20261123000000", List.of()));
        assertFalse(backups.recordVerification("p32", "daily-20261123000000", pending), "not on a backup being deleted");
    }

    @Test
    void restoresRoundTripAndAreClaimedOnce() {
        io.lifeboat.restore.Restore.Request request = new io.lifeboat.restore.Restore.Request(true, false, true,
                java.util.List.of("shop"), java.util.Map.of("shop", "shop-2"), java.util.Map.of("gp2", "standard"), ExistingResourcePolicy.update,
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
        assertEquals(java.util.List.of("r1"), names(restores.list("p8", "b", ALL), io.lifeboat.restore.Restore::name));
        assertTrue(restores.list("p8", "a", ALL).items().isEmpty());
    }

    /** A dry run keeps its option with its request, and its account of the items with its outcome. */
    @Test
    void aDryRunRoundTripsWithItsPlanCounts() {
        Restore.Request request = new Restore.Request(false, false, false, List.of("shop"), Map.of(), Map.of(),
                ExistingResourcePolicy.none, Map.of(), List.of(), true, Map.of("us-east-1a", "us-east-1c"));
        Restore r = Restore.requested("p34", "dry", "nightly", "b", request, NOW);
        restores.create(r);
        assertTrue(restores.find("p34", "dry").orElseThrow().request().dryRun());
        assertEquals(Map.of("us-east-1a", "us-east-1c"), restores.find("p34", "dry").orElseThrow().request().zoneMapping(),
                "and the zone mapping beside it");
        assertTrue(restores.claim("p34", "dry", NOW));
        Restore.Outcome outcome = new Restore.Outcome(Restore.Phase.Completed, new Restore.Progress(4, 4),
                new Restore.Counts(2, 0, 2), NOW, 1, 0, Map.of(), new Restore.PlanCounts(2, 1, 0, 1, 0, 5));
        restores.finish("p34", "dry", outcome);
        assertEquals(r.started(NOW).finishedWith(outcome), restores.find("p34", "dry").orElseThrow());
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
        assertEquals(null, after.lastError(), "the losing ticks wrote nothing over the winner's record");

        schedules.setPaused("p9", "every-minute", true, null);
        assertTrue(schedules.due(Instant.parse("2030-01-01T00:00:00Z")).stream().noneMatch(s -> s.project().equals("p9")),
                "a paused schedule leaves the index");
        schedules.setPaused("p9", "every-minute", false, Instant.parse("2026-11-23T11:00:00Z"));
        assertEquals(1, schedules.due(Instant.parse("2026-11-23T11:00:00Z")).stream().filter(s -> s.project().equals("p9")).count());
    }

    /**
     * A schedule's retention by count and its request to verify are kept in its definition; a definition written
     * before either existed reads as a schedule without them.
     */
    @Test
    void aScheduleKeepsItsRetentionByCountAndItsVerifyAfter() {
        Instant created = Instant.parse("2026-11-23T10:00:30Z");
        io.lifeboat.schedule.Schedule gfs = new io.lifeboat.schedule.Schedule("p34", "gfs", "prod", null, "loc", "gfs",
                false, null, List.of(), 1, null, Map.of("hour", 1), "Europe/Berlin", false,
                Instant.parse("2026-11-24T00:00:00Z"), null, null, created,
                new io.lifeboat.retention.Keep(7, 14, 8, 12), true);
        schedules.create(gfs);
        io.lifeboat.schedule.Schedule found = schedules.find("p34", "gfs").orElseThrow();
        assertEquals(gfs, found);
        assertEquals(new io.lifeboat.retention.Keep(7, 14, 8, 12), found.keep());
        assertTrue(found.verifyAfter());

        Map<String, AttributeValue> older = new java.util.HashMap<>(Map.of(Tables.PROJECT, AttributeValue.fromS("p34"),
                Tables.NAME, AttributeValue.fromS("older"), "paused", AttributeValue.fromBool(true),
                "createdAt", AttributeValue.fromS(created.toString()),
                "definition", AttributeValue.fromS("""
                        {"project":"p34","name":"older","cluster":"prod","location":"loc","prefix":"older",
                         "includeDisks":false,"namespaces":[],"retentionDays":3,"preset":"weekly","paused":false,
                         "createdAt":"2026-11-23T10:00:30Z"}""")));
        dynamo.putItem(r -> r.tableName(new Tables("test-").schedules()).item(older));
        io.lifeboat.schedule.Schedule old = schedules.find("p34", "older").orElseThrow();
        assertEquals(null, old.keep());
        assertFalse(old.verifyAfter());
        assertEquals(3, old.retentionDays());
        assertTrue(old.paused());
    }

    /**
     * Taking a slot names its backup and clears the last error in the same conditional write; a slot whose backup was
     * never recorded puts back the last backup given, none included.
     */
    @Test
    void takingASlotRecordsItsBackupInTheSameWrite() {
        Instant slot = Instant.parse("2026-11-23T10:01:00Z");
        Instant next = Instant.parse("2026-11-23T10:02:00Z");
        schedules.create(new io.lifeboat.schedule.Schedule("p11", "s", "prod", null, "loc", "nightly", false, null,
                java.util.List.of(), 7, null, java.util.Map.of(), null, false, slot, null, null, slot.minusSeconds(60)));
        schedules.recordRun("p11", "s", null, "slot 20261123100000: location 'loc' is Unavailable");

        assertTrue(schedules.advance("p11", "s", slot, next, "nightly-20261123100100"));
        io.lifeboat.schedule.Schedule taken = schedules.find("p11", "s").orElseThrow();
        assertEquals(next, taken.nextRunAt());
        assertEquals("nightly-20261123100100", taken.lastBackup());
        assertEquals(null, taken.lastError());
        assertFalse(schedules.advance("p11", "s", slot, next, "nightly-other"), "the slot is taken once");
        assertEquals("nightly-20261123100100", schedules.find("p11", "s").orElseThrow().lastBackup());

        schedules.recordRun("p11", "s", null, "slot 20261123100200: refused");
        io.lifeboat.schedule.Schedule refused = schedules.find("p11", "s").orElseThrow();
        assertEquals(null, refused.lastBackup(), "no last backup, as before the slot");
        assertEquals("slot 20261123100200: refused", refused.lastError());
        assertEquals(next, refused.nextRunAt());
        assertFalse(schedules.advance("p11", "gone", slot, next, "x"), "no schedule, no slot");
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

    @Test
    void aRunThatCannotBeStartedFailsOnlyARecordStillNew() {
        Instant t = Instant.parse("2026-06-01T00:00:00Z");
        backups.create(Backup.requested("p11", "refused", "prod", "loc", null, null, false, t, t.plusSeconds(3600)));
        assertTrue(backups.failIfNew("p11", "refused", "run-backup could not be started: throttled", t));
        Backup failed = backups.find("p11", "refused").orElseThrow();
        assertEquals(Backup.Phase.Failed, failed.phase());
        assertEquals(1, failed.errors());
        assertEquals(java.util.List.of("run-backup could not be started: throttled"), failed.firstErrors());
        assertFalse(backups.failIfNew("p11", "refused", "again", t));
        backups.create(Backup.requested("p11", "claimed", "prod", "loc", null, null, false, t, t.plusSeconds(3600)));
        assertTrue(backups.claim("p11", "claimed", t));
        assertFalse(backups.failIfNew("p11", "claimed", "late", t), "a run that took it is left alone");
        assertEquals(Backup.Phase.InProgress, backups.find("p11", "claimed").orElseThrow().phase());
        backups.create(Backup.requested("p11", "waiting", "prod", "loc", null, null, false, t, t.plusSeconds(3600)));
        assertEquals(java.util.List.of("waiting"), backups.neverStarted(t.plusSeconds(60)).stream()
                .filter(b -> b.project().equals("p11")).map(Backup::name).toList(), "only the one still New");
        assertTrue(backups.neverStarted(t).stream().noneMatch(b -> b.project().equals("p11")));

        io.lifeboat.restore.Restore.Request request = new io.lifeboat.restore.Restore.Request(true, false, false,
                java.util.List.of(), java.util.Map.of(), java.util.Map.of(), ExistingResourcePolicy.none, java.util.Map.of(), java.util.List.of());
        restores.create(io.lifeboat.restore.Restore.requested("p11", "r", "nightly", "b", request, t));
        io.lifeboat.restore.Restore.Outcome outcome = new io.lifeboat.restore.Restore.Outcome(
                io.lifeboat.restore.Restore.Phase.Failed, null, null, t, 0, 1, java.util.Map.of("errors",
                java.util.Map.of("velero", java.util.List.of("run-restore could not be started: throttled"))));
        assertEquals(java.util.List.of("r"), restores.neverStarted(t.plusSeconds(60)).stream()
                .filter(r -> r.project().equals("p11")).map(io.lifeboat.restore.Restore::name).toList());
        assertTrue(restores.failIfNew("p11", "r", outcome));
        assertTrue(restores.neverStarted(t.plusSeconds(60)).stream().noneMatch(r -> r.project().equals("p11")));
        io.lifeboat.restore.Restore failedRestore = restores.find("p11", "r").orElseThrow();
        assertEquals(io.lifeboat.restore.Restore.Phase.Failed, failedRestore.phase());
        assertEquals("run-restore could not be started: throttled", failedRestore.firstRunError().orElseThrow());
        assertFalse(restores.failIfNew("p11", "r", outcome));
        assertFalse(restores.claim("p11", "r", t), "a Failed restore is never run");
    }

    /**
     * 5,000 objects that exist in the target and differ, restored with policy none by the real executor (cluster and
     * bucket in memory) into a record on DynamoDB Local: Completed, every warning in the results file, and the item
     * far below DynamoDB's 400 KB.
     */
    @Test
    void aRestoreWithFiveThousandWarningsKeepsItsItemSmall() {
        io.lifeboat.restore.ExistingObjectsRestore bulk = new io.lifeboat.restore.ExistingObjectsRestore("p12", restores, 5_000);
        io.lifeboat.restore.Restore done = bulk.run("bulk");
        assertEquals(io.lifeboat.restore.Restore.Phase.Completed, done.phase());
        assertEquals(5_000, io.lifeboat.restore.ExistingObjectsRestore.messages(bulk.resultsFile("bulk"), "warnings"));
        io.lifeboat.restore.Restore recorded = restores.find("p12", "bulk").orElseThrow();
        assertEquals(5_000, recorded.warnings());
        assertEquals(io.lifeboat.run.Results.ON_RECORD,
                io.lifeboat.restore.ExistingObjectsRestore.messages(recorded.results(), "warnings"));
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(new Tables("test-").restores())
                .key(Attributes.key("p12", "bulk"))).item();
        long size = itemBytes(item);
        assertTrue(size < 40 * 1024, "the restore item holds " + size + " bytes");
    }

    /** An item's size as DynamoDB counts it (names and values, in UTF-8) for the string and number attributes used. */
    private static long itemBytes(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            AttributeValue value = attribute.getValue();
            size += attribute.getKey().getBytes(StandardCharsets.UTF_8).length;
            if (value.s() != null) {
                size += value.s().getBytes(StandardCharsets.UTF_8).length;
            } else if (value.n() != null) {
                size += value.n().length();
            } else {
                size += value.toString().length(); // lists and maps: an upper bound is enough here
            }
        }
        return size;
    }

    /**
     * The index sorts by time, not by string: as ISO strings "+10000-…" would sort before "2027-…", and "…00Z" after
     * "…00.500Z". Year 9999 is not expired in 2030; of two expiries 500 ms apart, only the earlier one is at 250 ms.
     */
    @Test
    void theExpiryIndexSortsByTime() {
        Instant created = Instant.parse("2026-06-01T00:00:00Z");
        backups.create(Backup.requested("p21", "far", "prod", "loc", null, null, false, created,
                Instant.parse("9999-12-31T23:59:59Z")));
        backups.create(Backup.requested("p21", "whole-second", "prod", "loc", null, null, false, created,
                Instant.parse("2027-01-01T00:00:00Z")));
        backups.create(Backup.requested("p21", "half-second", "prod", "loc", null, null, false, created,
                Instant.parse("2027-01-01T00:00:00.500Z")));
        assertEquals(java.util.List.of("whole-second"), expiredIn("p21", Instant.parse("2027-01-01T00:00:00.250Z")));
        assertEquals(java.util.List.of("whole-second", "half-second"), expiredIn("p21", Instant.parse("2030-01-01T00:00:00Z")));
        assertEquals(java.util.List.of(), expiredIn("p21", Instant.parse("2026-12-31T23:59:59Z")));
        assertEquals(java.util.List.of("whole-second", "half-second", "far"),
                expiredIn("p21", Instant.parse("9999-12-31T23:59:59Z")));
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), backups.find("p21", "far").orElseThrow().expiresAt());
    }

    /** A record written before the index was by time (no expiresAtMillis) is still swept, and joins the index. */
    @Test
    void aRecordWithoutTheExpiryNumberIsStillFoundAndGetsIt() {
        Instant created = Instant.parse("2026-06-01T00:00:00Z");
        backups.create(Backup.requested("p22", "old", "prod", "loc", null, null, false, created,
                Instant.parse("2026-07-01T00:00:00Z")));
        backups.create(Backup.requested("p22", "old-later", "prod", "loc", null, null, false, created,
                Instant.parse("2028-07-01T00:00:00Z")));
        for (String name : java.util.List.of("old", "old-later")) {
            dynamo.updateItem(r -> r.tableName("test-backups").key(Attributes.key("p22", name)).updateExpression("REMOVE #m")
                    .expressionAttributeNames(Map.of("#m", Tables.EXPIRES_AT_MILLIS)));
        }
        assertEquals(java.util.List.of("old"), expiredIn("p22", Instant.parse("2027-01-01T00:00:00Z")));
        assertEquals(Instant.parse("2028-07-01T00:00:00Z").toEpochMilli(), Long.parseLong(dynamo.getItem(r -> r
                .tableName("test-backups").key(Attributes.key("p22", "old-later"))).item().get(Tables.EXPIRES_AT_MILLIS).n()));
        assertEquals(java.util.List.of("old", "old-later"), expiredIn("p22", Instant.parse("2029-01-01T00:00:00Z")));
    }

    private static java.util.List<String> expiredIn(String project, Instant now) {
        return backups.expired(now).stream().filter(b -> b.project().equals(project)).map(Backup::name).toList();
    }
    /**
     * A backup into an encrypted, immutable location keeps its KMS key and lock from its request on, and the
     * plaintext tarball's figures once finished; a deletion retried when the lock ends moves it in the expiry index
     * only. The location's encryption and immutability are plain settings, read without opening its secrets.
     */
    @Test
    void aProtectedBackupKeepsItsKeyAndLockAndIsRetriedWhenTheLockEnds() {
        Instant t = Instant.parse("2026-06-01T00:00:00Z");
        io.lifeboat.objectstore.Retention lock = new io.lifeboat.objectstore.Retention(
                io.lifeboat.objectstore.Retention.Mode.GOVERNANCE, t.plus(Duration.ofDays(7)));
        backups.create(Backup.requested("p40", "sealed", "prod", "vault", null, null, false, t, t.plus(Duration.ofDays(30)))
                .protectedBy(Backup.Encryption.asked("alias/backups"), lock));
        Backup asked = backups.find("p40", "sealed").orElseThrow();
        assertEquals(new Backup.Encryption("alias/backups", 0, null), asked.encryption());
        assertEquals(lock, asked.retention());
        backups.claim("p40", "sealed", t);
        backups.finish("p40", "sealed", new Backup.Outcome(Backup.Phase.Completed, new Backup.Progress(3, 3),
                t.plusSeconds(60), 2048, "cipher-sha", 0, 0, List.of(), List.of(), List.of(),
                asked.encryption().withPlaintext(1990, "plain-sha")));
        Backup done = backups.find("p40", "sealed").orElseThrow();
        assertEquals(new Backup.Encryption("alias/backups", 1990, "plain-sha"), done.encryption());
        assertEquals(2048, done.sizeBytes());
        assertEquals("cipher-sha", done.archiveSha256());
        assertEquals(lock, done.retention());

        assertTrue(backups.markDeleting("p40", "sealed", List.of("locked until then")));
        backups.retryDeletionAt("p40", "sealed", lock.retainUntil());
        assertEquals(List.of(), expiredIn("p40", lock.retainUntil().minusSeconds(1)));
        assertEquals(List.of("sealed"), expiredIn("p40", lock.retainUntil()));
        assertEquals(t.plus(Duration.ofDays(30)), backups.find("p40", "sealed").orElseThrow().expiresAt(),
                "the expiry asked for is kept");
        Backup plain = Backup.requested("p40", "plain", "prod", "vault", null, null, false, t, t.plusSeconds(60));
        backups.create(plain);
        assertEquals(null, backups.find("p40", "plain").orElseThrow().encryption());
        assertEquals(null, backups.find("p40", "plain").orElseThrow().retention());

        Map<io.lifeboat.location.LocationField, String> fields = new java.util.EnumMap<>(Map.of(
                LocationField.REGION, "us-east-1", LocationField.S3_URL, "http://127.0.0.1:9000",
                LocationField.ACCESS_KEY_ID, "AKIDLOCAL", LocationField.SECRET_ACCESS_KEY, "super-secret-value",
                LocationField.KMS_KEY_ID, "alias/backups"));
        fields.put(LocationField.IMMUTABILITY_DAYS, "7");
        fields.put(LocationField.IMMUTABILITY_MODE, "governance");
        locations.create(new Location("p40", "vault", Provider.MINIO, "backups", "p40-vault", fields,
                LocationStatus.pending(), NOW));
        Location plainSettings = locations.findPlain("p40", "vault").orElseThrow();
        assertEquals("alias/backups", plainSettings.kmsKeyId());
        assertEquals(new io.lifeboat.location.Immutability(7, io.lifeboat.objectstore.Retention.Mode.GOVERNANCE),
                plainSettings.immutability());
        assertEquals(null, plainSettings.field(LocationField.SECRET_ACCESS_KEY), "no secret opened");
        assertEquals(LocationStatus.Phase.Pending, plainSettings.status().phase());
        assertEquals(locations.find("p40", "vault").orElseThrow().withoutSecrets(), plainSettings);
    }
}
