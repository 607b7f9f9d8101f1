package io.lifeboat.app.worker;

import com.sun.net.httpserver.HttpServer;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRequest;
import io.lifeboat.backup.BackupService;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.restore.InMemoryRestoreRepository;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreRequest;
import io.lifeboat.restore.RestoreService;
import io.lifeboat.schedule.InMemoryScheduleRepository;
import io.lifeboat.schedule.ScheduleRequest;
import io.lifeboat.schedule.ScheduleService;
import io.lifeboat.workspace.InMemoryWorkspaceRepository;
import io.lifeboat.workspace.WorkspaceRequests;
import io.lifeboat.workspace.WorkspaceService;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AWS side of the Workers seam: the Lambda requests it sends, checked on a local recorder. */
class LambdaWorkersTest {
    @Test
    void backupsAndRestoresAreEventInvocationsAndValidationWaitsForItsAnswer() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type") + " " + body);
            boolean sync = "RequestResponse".equals(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"));
            byte[] answer = (sync ? "{\"name\":\"loc\",\"status\":{\"phase\":\"Available\"}}" : "").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(sync ? 200 : 202, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        recorder.start();
        try (LambdaClient lambda = LambdaClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + recorder.getAddress().getPort()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
            InMemoryLocationRepository locations = new InMemoryLocationRepository();
            locations.create(new Location("team-a", "loc", Provider.MINIO, "b", "", Map.of(),
                    LocationStatus.available(Instant.now()), Instant.now()));
            LambdaWorkers workers = new LambdaWorkers(lambda,
                    new LambdaWorkers.FunctionNames("lifeboat-validate-location", "lifeboat-run-backup", "lifeboat-run-restore"),
                    locations);
            workers.runBackup("team-a", "nightly");
            workers.runRestore("team-a", "back");
            workers.verifyBackup("team-a", "nightly");
            Location validated = workers.validateLocation("team-a", "loc");
            assertEquals(LocationStatus.Phase.Available, validated.status().phase());
        } finally {
            recorder.stop(0);
        }
        assertEquals(4, requests.size(), requests.toString());
        assertEquals("POST /2015-03-31/functions/lifeboat-run-backup/invocations Event {\"project\":\"team-a\",\"name\":\"nightly\"}",
                normalise(requests.get(0)));
        assertEquals("POST /2015-03-31/functions/lifeboat-run-restore/invocations Event {\"project\":\"team-a\",\"name\":\"back\"}",
                normalise(requests.get(1)));
        assertEquals("POST /2015-03-31/functions/lifeboat-run-backup/invocations Event {\"project\":\"team-a\",\"name\":\"nightly\"}",
                normalise(requests.get(2)));
        org.junit.jupiter.api.Assertions.assertTrue(requests.get(2).endsWith(",\"verify\":true}"), requests.get(2));
        org.junit.jupiter.api.Assertions.assertFalse(requests.get(0).contains("verify"), requests.get(0));
        assertEquals("POST /2015-03-31/functions/lifeboat-validate-location/invocations RequestResponse {\"project\":\"team-a\",\"name\":\"loc\"}",
                normalise(requests.get(3)));
    }

    /**
     * Lambda refuses the invocations (throttled): the real LambdaWorkers throw with Lambda's answer, and the backup,
     * the restore, and the backups tick-schedules starts (of a cluster, and a workspace's child) become Failed with
     * that reason, never left New.
     */
    @Test
    void anInvocationLambdaRefusesFailsItsRecordWithTheReason() throws Exception {
        List<String> invoked = new CopyOnWriteArrayList<>();
        HttpServer recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/", exchange -> {
            invoked.add(exchange.getRequestURI().getPath());
            byte[] answer = "{\"message\":\"Rate Exceeded.\",\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("x-amzn-ErrorType", "TooManyRequestsException");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(429, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        recorder.start();
        Clock clock = Clock.systemUTC();
        InMemoryBackupRepository backups = new InMemoryBackupRepository();
        InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
        InMemoryClusterRepository clusters = new InMemoryClusterRepository();
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        clusters.create(new Cluster("team-a", "prod", "k", null, "https://k", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("team-a", "loc", Provider.MINIO, "b", "", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        Instant now = clock.instant();
        backups.create(new Backup("team-a", "full", "prod", "loc", List.of(), null, false, now, now.plusSeconds(3600),
                Backup.Phase.Completed, new Backup.Progress(1, 1), now, now, 10, "sha", 0, 0, List.of(), List.of()));
        BackupService backupService = new BackupService(backups, clusters, locations, l -> null, clock);
        RestoreService restoreService = new RestoreService(restores, backups, clusters, locations, l -> null, clock);
        try (LambdaClient lambda = LambdaClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + recorder.getAddress().getPort()))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
            LambdaWorkers workers = new LambdaWorkers(lambda,
                    new LambdaWorkers.FunctionNames("lifeboat-validate-location", "lifeboat-run-backup", "lifeboat-run-restore"),
                    locations, InvocationRetry.none()); // retries: see ThrottledInvocationsTest
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> workers.runBackup("team-a", "x"));
            assertTrue(refused.getMessage().startsWith("invoking Lambda lifeboat-run-backup failed: Rate Exceeded."),
                    refused.getMessage());

            Backup backup = backupService.start(backupService.request("team-a",
                    new BackupRequest("nightly", "prod", "loc", null, null, null, null)), workers::runBackup);
            assertEquals(Backup.Phase.Failed, backup.phase());
            assertEquals(Backup.Phase.Failed, backups.find("team-a", "nightly").orElseThrow().phase());
            String reason = backups.find("team-a", "nightly").orElseThrow().firstErrors().get(0);
            assertTrue(reason.startsWith("run-backup could not be started: invoking Lambda lifeboat-run-backup failed: "
                    + "Rate Exceeded."), reason);
            assertTrue(reason.contains("429"), reason);

            Restore restore = restoreService.start(restoreService.request("team-a", new RestoreRequest("back", "full", "prod",
                    null, null, null, null, null, null, null, null, null)), workers::runRestore);
            assertEquals(Restore.Phase.Failed, restore.phase());
            String why = restores.find("team-a", "back").orElseThrow().firstRunError().orElseThrow();
            assertTrue(why.startsWith("run-restore could not be started: invoking Lambda lifeboat-run-restore failed"), why);

            // tick-schedules: a schedule of the cluster and one of a workspace, both due, with Lambda refusing
            Instant[] at = {Instant.parse("2026-11-23T10:00:30Z")};
            Clock moving = new Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return java.time.ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return at[0];
                }
            };
            BackupService scheduled = new BackupService(backups, clusters, locations, l -> null, moving);
            WorkspaceService workspaces = new WorkspaceService(new InMemoryWorkspaceRepository(), clusters, locations,
                    scheduled, backups, restoreService, restores, moving);
            workspaces.create("team-a", new WorkspaceRequests.Create("fleet", List.of("prod"), List.of()));
            ScheduleService schedules = new ScheduleService(new InMemoryScheduleRepository(), clusters, locations, scheduled,
                    workspaces, moving);
            ScheduleRequest.When everyMinute = new ScheduleRequest.When(null, Map.of());
            schedules.create("team-a", new ScheduleRequest("minutely", "prod", null, "loc", "tick", false, null, List.of(), 7,
                    everyMinute, null));
            schedules.create("team-a", new ScheduleRequest("fleet-minutely", null, "fleet", "loc", "fleet", false, null, null,
                    7, everyMinute, null));
            at[0] = Instant.parse("2026-11-23T10:01:05Z");
            schedules.tick(workers::runBackup);
            Backup ticked = backups.find("team-a", "tick-20261123100100").orElseThrow();
            assertEquals(Backup.Phase.Failed, ticked.phase());
            assertTrue(ticked.firstErrors().get(0).startsWith("run-backup could not be started: invoking Lambda"), ticked.toString());
            assertEquals(Backup.Phase.Failed, backups.find("team-a", "fleet-20261123100100-prod").orElseThrow().phase());
        } finally {
            recorder.stop(0);
        }
        assertEquals(5, invoked.size(), invoked.toString());
        assertEquals(List.of("/2015-03-31/functions/lifeboat-run-backup/invocations",
                "/2015-03-31/functions/lifeboat-run-backup/invocations",
                "/2015-03-31/functions/lifeboat-run-restore/invocations"), invoked.subList(0, 3));
    }

    /** Map.of has no order: the body's two fields are put in a fixed one. */
    private static String normalise(String request) {
        String body = request.substring(request.indexOf('{'));
        String project = body.replaceAll(".*\"project\":\"([^\"]+)\".*", "$1");
        String name = body.replaceAll(".*\"name\":\"([^\"]+)\".*", "$1");
        return request.substring(0, request.indexOf('{')) + "{\"project\":\"" + project + "\",\"name\":\"" + name + "\"}";
    }
}
