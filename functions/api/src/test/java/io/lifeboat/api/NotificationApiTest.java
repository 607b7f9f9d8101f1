package io.lifeboat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lifeboat.sandbox.kube.SampleApp;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks through the API: registered with a checked URL, and told of a backup's end on a local HTTP server with a
 * signature the receiver verifies. A redirecting receiver is not followed.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class NotificationApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static SandboxCluster sandbox;
    static HttpServer receiver;
    static final LinkedBlockingQueue<Received> deliveries = new LinkedBlockingQueue<>();
    static final List<String> redirectTargetHits = new CopyOnWriteArrayList<>();

    record Received(String signature, String timestamp, String event, String delivery, byte[] body) {
    }

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxCluster.builder().name("hooked").start();
        SampleApp.install(sandbox.client());
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            var headers = exchange.getRequestHeaders();
            deliveries.add(new Received(headers.getFirst("X-Lifeboat-Signature"), headers.getFirst("X-Lifeboat-Timestamp"),
                    headers.getFirst("X-Lifeboat-Event"), headers.getFirst("X-Lifeboat-Delivery"),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/target");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        receiver.createContext("/target", exchange -> {
            redirectTargetHits.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        sandbox.close();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    static String webhook(String name, String url, List<String> events) {
        var body = JSON.createObjectNode().put("name", name);
        body.put("url", url);
        if (events != null) {
            events.forEach(body.putArray("events")::add);
        }
        return body.toString();
    }

    @Test
    void anEndedBackupReachesTheWebhookSignedAndARedirectIsNotFollowed() throws Exception {
        String project = "hooks";
        BackupApiTest.register(project, sandbox);
        String secret = given().contentType(ContentType.JSON)
                .body(webhook("ops", url("/hook"), List.of("backup.completed", "backup.failed")))
                .post("/v1/projects/" + project + "/notifications").then().statusCode(201)
                .body("name", equalTo("ops")).body("project", equalTo(project))
                .body("spec.url", equalTo(url("/hook"))).body("spec.events", hasSize(2))
                .extract().path("spec.secret");
        assertTrue(secret.matches("[0-9a-f]{64}"), "a generated secret, returned once: " + secret);
        given().contentType(ContentType.JSON).body(webhook("moved", url("/moved"), null))
                .post("/v1/projects/" + project + "/notifications").then().statusCode(201);
        given().contentType(ContentType.JSON).body(webhook("restores-only", url("/hook"), List.of("restore.failed")))
                .post("/v1/projects/" + project + "/notifications").then().statusCode(201);

        LogCapture log = LogCapture.install();
        ApiRecord backup;
        try {
            backup = BackupApiTest.backUp(project, "{\"name\":\"hooked\",\"cluster\":\"boutique\",\"location\":\"store\"}");
        } finally {
            log.uninstall();
        }
        assertEquals("Completed", backup.phase());
        // the event's log line was written by the run, and carries the run it belongs to (JSON logs show it as mdc)
        LogCapture.Entry eventLine = log.entries().stream()
                .filter(e -> e.logger().equals("io.lifeboat.events") && e.message().contains("Backup Completed"))
                .findFirst().orElseThrow(() -> new AssertionError("no event line in " + log.lines()));
        assertEquals(java.util.Map.of("function", "run-backup", "project", project, "backup", "hooked"), eventLine.mdc());

        Received received = deliveries.poll(30, TimeUnit.SECONDS);
        assertNotNull(received, "the webhook was called");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((received.timestamp() + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(received.body()));
        assertTrue(MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                received.signature().getBytes(StandardCharsets.UTF_8)), "the signature verifies");
        assertTrue(Math.abs(Long.parseLong(received.timestamp()) - Instant.now().getEpochSecond()) < 120);
        JsonNode event = JSON.readTree(received.body());
        assertEquals("lifeboat", event.path("source").asText());
        assertEquals("Backup Completed", event.path("detail-type").asText());
        assertEquals("backup.completed", received.event());
        assertEquals(event.path("id").asText(), received.delivery());
        assertEquals(project, event.path("detail").path("project").asText());
        assertEquals("hooked", event.path("detail").path("name").asText());
        assertEquals("Completed", event.path("detail").path("phase").asText());
        assertTrue(event.path("detail").path("counts").path("items").asLong() > 0, event.toString());

        // the delivery is recorded, and the secret is never shown again
        awaitLastDelivery(project, "ops");
        String shown = given().get("/v1/projects/" + project + "/notifications/ops").then().statusCode(200)
                .body("status.lastDelivery.outcome", equalTo("Delivered"))
                .body("status.lastDelivery.attempts", equalTo(1))
                .body("spec", not(hasKey("secret"))).extract().asString();
        assertFalse(shown.contains(secret));
        String listed = given().get("/v1/projects/" + project + "/notifications").then().statusCode(200)
                .body("items", hasSize(3)).extract().asString();
        assertFalse(listed.contains(secret));

        awaitLastDelivery(project, "moved");
        given().get("/v1/projects/" + project + "/notifications/moved").then().statusCode(200)
                .body("status.lastDelivery.outcome", equalTo("Failed"))
                .body("status.lastDelivery.status", equalTo(302))
                .body("status.lastDelivery.attempts", equalTo(1));
        assertTrue(redirectTargetHits.isEmpty(), "the redirect was not followed");
        given().get("/v1/projects/" + project + "/notifications/restores-only").then().statusCode(200)
                .body("status", not(hasKey("lastDelivery")));
        assertTrue(deliveries.poll(500, TimeUnit.MILLISECONDS) == null, "one delivery only: " + deliveries);

        given().delete("/v1/projects/" + project + "/notifications/ops").then().statusCode(204);
        given().get("/v1/projects/" + project + "/notifications/ops").then().statusCode(404)
                .body("error.code", equalTo("NotFound"));
        given().delete("/v1/projects/" + project + "/notifications/ops").then().statusCode(404);
    }

    static void awaitLastDelivery(String project, String name) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var status = given().get("/v1/projects/" + project + "/notifications/" + name).then().statusCode(200)
                    .extract().jsonPath().getMap("status");
            if (status.containsKey("lastDelivery")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no delivery recorded on " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/hook",
            "http://metadata.google.internal/computeMetadata/v1/", "http://[fd00::1]/hook", "file:///etc/passwd"})
    void aWebhookToAForbiddenAddressIsRefusedWith400NamingTheField(String url) {
        given().contentType(ContentType.JSON).body(webhook("bad", url, null))
                .post("/v1/projects/refused/notifications").then().statusCode(400)
                .body("error.code", equalTo("InvalidField")).body("error.field", equalTo("url"));
        given().get("/v1/projects/refused/notifications").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void badFieldsAreNamed() {
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"url\":\"https://hooks.example.com\",\"secret\":\"short\"}")
                .post("/v1/projects/refused/notifications").then().statusCode(400).body("error.field", equalTo("secret"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"url\":\"https://hooks.example.com\",\"events\":[\"nope\"]}")
                .post("/v1/projects/refused/notifications").then().statusCode(400).body("error.field", equalTo("events[0]"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"url\":\"https://hooks.example.com\",\"extra\":1}")
                .post("/v1/projects/refused/notifications").then().statusCode(400).body("error.field", equalTo("extra"));
    }
}
