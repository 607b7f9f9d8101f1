package io.lifeboat.app.worker;

import com.sun.net.httpserver.HttpExchange;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account's Lambda concurrency used up: a local Lambda answers 429 TooManyRequestsException (or
 * EC2ThrottledException) for a while, and the real LambdaWorkers try again with growing waits rather than drop the
 * start; one still refused after every attempt leaves its backup Failed with Lambda's answer.
 */
class ThrottledInvocationsTest {
    HttpServer lambdaServer;
    /** How many times each invocation (by its body) is throttled before it is taken; -1: always. */
    final Map<String, Integer> throttleFirst = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    final List<String> taken = new CopyOnWriteArrayList<>();
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    volatile String errorType = "TooManyRequestsException";
    volatile int errorStatus = 429;
    LambdaClient lambda;
    LambdaWorkers workers;

    @BeforeEach
    void start() throws IOException {
        lambdaServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        lambdaServer.createContext("/", this::answer);
        lambdaServer.start();
        lambda = LambdaClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + lambdaServer.getAddress().getPort()))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))) // as Wiring builds it
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
        // the waits are recorded, not slept
        workers = new LambdaWorkers(lambda, new LambdaWorkers.FunctionNames("validate", "lifeboat-run-backup", "restore"),
                new InMemoryLocationRepository(), new InvocationRetry(5, Duration.ofMillis(200), Duration.ofMillis(1000),
                waits::add));
    }

    @AfterEach
    void stop() {
        lambda.close();
        lambdaServer.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String name = body.replaceAll(".*\"name\":\"([^\"]+)\".*", "$1");
        int times = seen.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        int throttled = throttleFirst.getOrDefault(name, 0);
        if (throttled < 0 || times <= throttled) {
            byte[] answer = ("{\"message\":\"Rate Exceeded.\",\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(errorStatus, answer.length);
            exchange.getResponseBody().write(answer);
        } else {
            taken.add(name);
            exchange.sendResponseHeaders(202, -1);
        }
        exchange.close();
    }

    @Test
    void aThrottledInvocationIsTriedAgainWithGrowingWaitsUntilLambdaTakesIt() {
        throttleFirst.put("nightly", 3);
        workers.runBackup("team-a", "nightly");
        assertEquals(List.of("nightly"), taken, "taken once, at the fourth attempt");
        assertEquals(4, seen.get("nightly").get());
        assertEquals(3, waits.size(), waits.toString());
        long[][] bounds = {{100, 200}, {200, 400}, {400, 800}}; // half to all of 200 ms, doubled each time
        for (int i = 0; i < 3; i++) {
            long ms = waits.get(i).toMillis();
            assertTrue(ms >= bounds[i][0] && ms <= bounds[i][1], "wait " + i + ": " + ms + " ms");
        }
    }

    @Test
    void anEc2ThrottledAnswerIsRetriedToo() {
        errorType = "EC2ThrottledException";
        errorStatus = 502;
        throttleFirst.put("vpc", 2);
        workers.runBackup("team-a", "vpc");
        assertEquals(List.of("vpc"), taken);
        assertEquals(3, seen.get("vpc").get());
    }

    @Test
    void aStartStillThrottledAfterEveryAttemptLeavesItsBackupFailedWithWhy() {
        throttleFirst.put("nightly", -1);
        Clock clock = Clock.systemUTC();
        InMemoryBackupRepository backups = new InMemoryBackupRepository();
        InMemoryClusterRepository clusters = new InMemoryClusterRepository();
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        clusters.create(new Cluster("team-a", "prod", "k", null, "https://k", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("team-a", "loc", Provider.MINIO, "b", "", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        BackupService service = new BackupService(backups, clusters, locations, l -> null, clock);

        Backup backup = service.start(service.request("team-a", new BackupRequest("nightly", "prod", "loc", null, null,
                null, null)), workers::runBackup);

        assertEquals(5, seen.get("nightly").get(), "every attempt made");
        assertEquals(4, waits.size());
        assertTrue(waits.get(3).toMillis() <= 1000, "the waits stop growing at the cap: " + waits);
        assertTrue(taken.isEmpty());
        assertEquals(Backup.Phase.Failed, backup.phase(), "not silently lost: the record says it never started");
        String reason = backups.find("team-a", "nightly").orElseThrow().firstErrors().get(0);
        assertTrue(reason.startsWith("run-backup could not be started: invoking Lambda lifeboat-run-backup failed: "
                + "Rate Exceeded."), reason);
        assertTrue(reason.contains("429") && reason.contains("after 5 attempts"), reason);
    }

    @Test
    void aRefusalThatIsNotThrottlingIsNotRetried() {
        errorType = "ResourceNotFoundException";
        errorStatus = 404;
        throttleFirst.put("gone", -1);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> workers.runBackup("team-a", "gone"));
        assertEquals(1, seen.get("gone").get());
        assertTrue(waits.isEmpty());
        assertTrue(refused.getMessage().startsWith("invoking Lambda lifeboat-run-backup failed: "), refused.getMessage());
        assertTrue(!refused.getMessage().contains("attempts"), refused.getMessage());
    }

    @Test
    void startsFromManyThreadsAreEachTakenOnceDespiteThrottling() throws Exception {
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String name = "b" + i;
            throttleFirst.put(name, i % 3); // some throttled once or twice
            Thread thread = new Thread(() -> workers.runBackup("team-a", name));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(40, taken.size());
        assertEquals(40, new java.util.HashSet<>(taken).size());
        for (int i = 0; i < 40; i++) {
            assertEquals(i % 3 + 1, seen.get("b" + i).get(), "b" + i);
        }
    }
}
