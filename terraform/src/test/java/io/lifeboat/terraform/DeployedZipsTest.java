package io.lifeboat.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.dynamodb.DynamoClusterRepository;
import io.lifeboat.dynamodb.DynamoLocationRepository;
import io.lifeboat.dynamodb.DynamoScheduleRepository;
import io.lifeboat.dynamodb.Tables;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.schedule.Schedule;
import io.lifeboat.secret.EnvelopeSecretBox;
import io.lifeboat.secret.LocalKeyFileDataKeys;
import io.lifeboat.secret.SecretBox;
import io.lifeboat.sandbox.dynamodb.DynamoDbLocalServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zips as Lambda runs them: each in its own JVM on the zip's own class path, started by the handler and with the
 * environment the plan gives the function (plus credentials and a DynamoDB endpoint, which AWS would supply). This is
 * where a wrong handler name, a missing jar or a configuration name Terraform spells differently would show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployedZipsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Plan plan;
    private Path work;
    private DynamoDbLocalServer dynamo;

    @BeforeAll
    void start() {
        plan = OfflinePlan.get().plan;
        work = Path.of(System.getProperty("lifeboat.terraform.work")).resolve("zips");
        dynamo = DynamoDbLocalServer.inMemory();
        // Terraform creates the tables in AWS; here the code's own definitions do, under the prefix the plan sets.
        String prefix = Plan.environment(plan.lambda("lifeboat-api")).get("LIFEBOAT_TABLES_PREFIX");
        try (DynamoDbClient client = dynamoClient()) {
            new Tables(prefix).createMissing(client);
        }
    }

    private DynamoDbClient dynamoClient() {
        return DynamoDbClient.builder().endpointOverride(URI.create(dynamo.url()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    @AfterAll
    void stop() {
        if (dynamo != null) {
            dynamo.close();
        }
    }

    /**
     * A due schedule, its cluster and its location, whose secrets were sealed by another key: tick-schedules must
     * start the backup by invoking run-backup under the name Terraform gave it, and must not ask KMS for anything
     * (its role has no KMS action).
     */
    @Test
    void tickSchedulesStartsADueBackupThroughLambdaWithoutOpeningASecret() throws IOException {
        String prefix = Plan.environment(plan.lambda("lifeboat-api")).get("LIFEBOAT_TABLES_PREFIX");
        Instant now = Instant.now();
        try (DynamoDbClient client = dynamoClient()) {
            Tables tables = new Tables(prefix);
            SecretBox otherKey = new EnvelopeSecretBox(new LocalKeyFileDataKeys(work.resolve("other.key")));
            new DynamoClusterRepository(client, tables, otherKey).create(new Cluster("smoke", "prod-east",
                    "apiVersion: v1\nkind: Config\n", "prod-east", "https://10.0.0.1:6443",
                    new ClusterStatus(ClusterStatus.Health.Healthy, "v1.32.0", null, now), now));
            Map<LocationField, String> fields = new EnumMap<>(LocationField.class);
            fields.put(LocationField.S3_URL, "https://minio.example.com");
            fields.put(LocationField.ACCESS_KEY_ID, "smoke-access");
            fields.put(LocationField.SECRET_ACCESS_KEY, "smoke-secret");
            new DynamoLocationRepository(client, tables, otherKey).create(new Location("smoke", "vault",
                    Provider.MINIO, "backups", "", fields, LocationStatus.available(now), now));
            new DynamoScheduleRepository(client, tables).create(new Schedule("smoke", "nightly", "prod-east", null,
                    "vault", "nightly", false, null, List.of(), 7, io.lifeboat.schedule.ScheduleSpec.Preset.weekly, null, "UTC", false,
                    now.minusSeconds(30), null, null, now.minusSeconds(3600)));
        }
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer aws = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        aws.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                    + exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        aws.start();
        String endpoint = "http://127.0.0.1:" + aws.getAddress().getPort();
        try {
            List<JsonNode> answers = invoke("lifeboat.zip.workers", plan.lambda("lifeboat-tick-schedules"), List.of("""
                    {"version":"0","id":"smoke-1","detail-type":"Scheduled Event","source":"aws.events",
                     "account":"123456789012","time":"2026-11-23T12:00:00Z","region":"us-east-1","resources":[],
                     "detail":{}}"""), Map.of("AWS_ENDPOINT_URL_LAMBDA", endpoint, "AWS_ENDPOINT_URL_KMS", endpoint));
            assertEquals(1, answers.get(0).path("started").size(), answers.get(0).toString());
            String backup = answers.get(0).path("started").get(0).asText().substring("smoke/".length());
            assertTrue(backup.startsWith("nightly-"), backup);
            assertEquals(1, requests.size(), requests.toString());
            String invocation = requests.get(0);
            assertTrue(invocation.startsWith("POST /2015-03-31/functions/lifeboat-run-backup%3Alive/invocations Event "),
                    invocation);
            JsonNode payload = JSON.readTree(invocation.substring(invocation.indexOf('{')));
            assertEquals("smoke", payload.path("project").asText());
            assertEquals(backup, payload.path("name").asText());
            assertSignalsInTheLog(Files.readString(work.resolve("lifeboat-tick-schedules.log")));
        } finally {
            aws.stop(0);
        }
    }

    @Test
    void theApiRunsFromItsZipAsTerraformDeploysItAndKeepsProjectsApart() throws IOException {
        JsonNode lambda = plan.lambda("lifeboat-api");
        String claim = Plan.environment(lambda).get("LIFEBOAT_ACCESS_PROJECTS_CLAIM");
        List<JsonNode> answers = invoke("lifeboat.zip.api", lambda, List.of(
                httpEvent("/v1/projects/empty/locations", claim, "[empty]"),
                httpEvent("/v1/projects/other/locations", claim, "[empty]")), Map.of());
        assertEquals(200, answers.get(0).path("statusCode").asInt(), answers.get(0).toString());
        assertEquals("{\"items\":[]}", JSON.readTree(answers.get(0).path("body").asText()).toString());
        assertEquals(403, answers.get(1).path("statusCode").asInt(), answers.get(1).toString());
    }

    /**
     * The same zip serves the web console on the routes Terraform leaves open: its page, and its settings, which name
     * the authorizer's issuer and client for the sign-in; a request for the API without a token is still refused.
     */
    @Test
    void theApiZipServesTheConsoleAndItsSignInSettings() throws IOException {
        JsonNode lambda = plan.lambda("lifeboat-api");
        List<JsonNode> answers = invoke("lifeboat.zip.api", lambda, List.of(
                httpEvent("/", null, null),
                httpEvent("/console-config.json", null, null),
                httpEvent("/v1/projects/empty/locations", null, null)), Map.of());
        assertEquals(200, answers.get(0).path("statusCode").asInt(), answers.get(0).toString());
        assertTrue(body(answers.get(0)).contains("<div id=\"app\">"), answers.get(0).toString());
        assertEquals("no-cache", header(answers.get(0), "Cache-Control"), answers.get(0).toString());
        assertEquals(200, answers.get(1).path("statusCode").asInt(), answers.get(1).toString());
        JsonNode config = JSON.readTree(body(answers.get(1)));
        assertEquals("oidc", config.path("auth").asText(), config.toString());
        assertEquals(OfflinePlan.JWT_ISSUER, config.path("issuer").asText());
        assertEquals(OfflinePlan.JWT_AUDIENCE, config.path("clientId").asText());
        assertEquals(Plan.environment(lambda).get("LIFEBOAT_ACCESS_PROJECTS_CLAIM"), config.path("projectsClaim").asText());
        assertEquals(401, answers.get(2).path("statusCode").asInt(), answers.get(2).toString());
    }

    /** A header of an HTTP API answer, by its name in any case, from its headers or its multi-value headers. */
    private static String header(JsonNode answer, String name) {
        for (String field : List.of("headers", "multiValueHeaders")) {
            for (var entries = answer.path(field).fields(); entries.hasNext(); ) {
                var entry = entries.next();
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().isArray() ? entry.getValue().path(0).asText() : entry.getValue().asText();
                }
            }
        }
        return null;
    }

    /** An HTTP API answer's body, decoded when the function sent it as base64. */
    private static String body(JsonNode answer) {
        String body = answer.path("body").asText();
        return answer.path("isBase64Encoded").asBoolean()
                ? new String(java.util.Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
    }

    /**
     * In AWS the log is JSON lines carrying the run (MDC), and each run writes one EMF record: here, the tick's, with
     * the backup it started counted as an item.
     */
    private static void assertSignalsInTheLog(String log) throws IOException {
        List<JsonNode> json = new ArrayList<>();
        for (String line : log.lines().toList()) {
            if (line.startsWith("{")) {
                json.add(JSON.readTree(line));
            }
        }
        JsonNode emf = json.stream().filter(line -> line.has("_aws")).findFirst()
                .orElseThrow(() -> new AssertionError("no EMF line in:\n" + log));
        JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").path(0);
        assertEquals("Lifeboat", directive.path("Namespace").asText());
        assertEquals("tick-schedules", emf.path("function").asText());
        assertEquals(1, emf.path("Runs").asInt());
        assertEquals(1, emf.path("Items").asInt());
        assertTrue(json.stream().anyMatch(line -> line.has("level") && line.has("loggerName") && line.has("message")),
                "the log lines are JSON:\n" + log);
        assertTrue(log.lines().noneMatch(line -> line.matches("^\\d{4}-\\d{2}-\\d{2} .*(INFO|WARN|ERROR) +\\[.*")),
                "no plain log line:\n" + log);
    }

    private static String httpEvent(String path, String claim, String projects) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "GET " + path);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.putObject("headers").put("accept", "application/json");
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", "smoke");
        context.put("stage", "$default");
        ObjectNode http = context.putObject("http");
        http.put("method", "GET");
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        if (claim != null) { // a route without the authorizer passes no claims
            ObjectNode claims = context.putObject("authorizer").putObject("jwt").putObject("claims");
            claims.put("sub", "smoke-test");
            claims.put(claim, projects);
        }
        return event.toString();
    }

    /**
     * Runs the function's zip in a fresh JVM with its planned handler and environment, once per event; AWS endpoints
     * not given (AWS_ENDPOINT_URL_*) are the real ones, which the fake credentials cannot use.
     */
    private List<JsonNode> invoke(String zipProperty, JsonNode lambda, List<String> events, Map<String, String> endpoints)
            throws IOException {
        String name = lambda.path("function_name").asText();
        Path task = unzip(OfflinePlan.zip(zipProperty), work.resolve(Path.of(System.getProperty(zipProperty)).getParent()
                .getParent().getFileName().toString()));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", task + ":" + task.resolve("lib") + "/*:" + harnessClasses(),
                LambdaHarness.class.getName(), lambda.path("handler").asText()));
        List<Path> eventFiles = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Path file = work.resolve(name + "-event-" + i + ".json");
            Files.writeString(file, events.get(i));
            Files.deleteIfExists(Path.of(file + ".response"));
            eventFiles.add(file);
            command.add(file.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("AWS_") || key.startsWith("LIFEBOAT_")
                || key.startsWith("QUARKUS_") || key.equals("JAVA_TOOL_OPTIONS"));
        environment.putAll(Plan.environment(lambda));
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "local");
        environment.put("AWS_SECRET_ACCESS_KEY", "local");
        environment.put("AWS_LAMBDA_FUNCTION_NAME", name);
        environment.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamo.url());
        environment.putAll(endpoints);
        Process process = builder.start();
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not finish in 3 minutes; see " + work.resolve(name + ".log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        String log = Files.readString(work.resolve(name + ".log"));
        assertEquals(0, process.exitValue(), name + " failed:\n" + log);
        List<JsonNode> answers = new ArrayList<>();
        for (Path file : eventFiles) {
            Path response = Path.of(file + ".response");
            assertTrue(Files.isRegularFile(response), name + " gave no response:\n" + log);
            answers.add(JSON.readTree(Files.readString(response, StandardCharsets.UTF_8)));
        }
        return answers;
    }

    /** Extracts the zip afresh (a folder left by an earlier build may hold another zip's files). */
    private static Path unzip(Path zip, Path into) throws IOException {
        if (Files.exists(into)) {
            try (Stream<Path> old = Files.walk(into)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the zip's folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return into;
    }

    private static Path harnessClasses() {
        try {
            return Path.of(LambdaHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
