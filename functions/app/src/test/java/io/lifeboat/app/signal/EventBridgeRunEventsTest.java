package io.lifeboat.app.signal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunEvent;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The PutEvents requests the real SDK client sends, checked on a local recorder. */
class EventBridgeRunEventsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFailedBackupIsPutOnTheBusWithSourceLifeboatAndItsDetail() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> targets = new CopyOnWriteArrayList<>();
        HttpServer recorder = recorder(bodies, targets, "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}");
        try (EventBridgeClient client = client(recorder)) {
            new EventBridgeRunEvents(client, "lifeboat-events").signals().ended(new RunEnded(RunEnded.Kind.BACKUP,
                    "team-a", "nightly", "Failed", null, 0, 0, 0, 1, Duration.ofSeconds(3),
                    Instant.parse("2026-12-02T06:00:00Z"), "the cluster could not be read"));
        } finally {
            recorder.stop(0);
        }
        assertEquals(List.of("AWSEvents.PutEvents"), targets);
        JsonNode entry = JSON.readTree(bodies.get(0)).path("Entries").path(0);
        assertEquals("lifeboat", entry.path("Source").asText());
        assertEquals("Backup Failed", entry.path("DetailType").asText());
        assertEquals("lifeboat-events", entry.path("EventBusName").asText());
        JsonNode detail = JSON.readTree(entry.path("Detail").asText());
        assertEquals("team-a", detail.path("project").asText());
        assertEquals("nightly", detail.path("name").asText());
        assertEquals("Failed", detail.path("phase").asText());
        assertEquals(1, detail.path("counts").path("errors").asInt());
    }

    @Test
    void anEntryEventBridgeRefusesIsAnError() throws Exception {
        HttpServer recorder = recorder(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"try again\"}]}");
        try (EventBridgeClient client = client(recorder)) {
            RunEvent event = RunEvent.of(new RunEnded(RunEnded.Kind.RESTORE, "team-a", "back", "Completed", null, 4, 0,
                    0, 0, Duration.ZERO, Instant.now(), null)).orElseThrow();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new EventBridgeRunEvents(client, "default").send(event));
            assertEquals("EventBridge refused the event Restore Completed: InternalFailure try again", e.getMessage());
        } finally {
            recorder.stop(0);
        }
    }

    static HttpServer recorder(List<String> bodies, List<String> targets, String answer) throws Exception {
        HttpServer recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        recorder.start();
        return recorder;
    }

    static EventBridgeClient client(HttpServer recorder) {
        return EventBridgeClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + recorder.getAddress().getPort()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
    }
}
