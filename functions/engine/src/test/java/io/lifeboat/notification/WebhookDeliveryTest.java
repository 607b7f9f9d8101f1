package io.lifeboat.notification;

import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunEvent;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookDeliveryTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    final InMemoryNotificationRepository repository = new InMemoryNotificationRepository();
    final ScriptedWebhookClient client = new ScriptedWebhookClient();
    final WebhookDelivery delivery = new WebhookDelivery(repository, client, Clock.systemUTC(),
            new WebhookDelivery.Retry(4, Duration.ofMillis(1)));

    static RunEvent failedBackup(String project) {
        return RunEvent.of(new RunEnded(RunEnded.Kind.BACKUP, project, "nightly", "Failed", null, 0, 0, 0, 1,
                Duration.ofSeconds(2), Instant.now(), "the cluster could not be read")).orElseThrow();
    }

    void webhook(String project, String name, List<String> events) {
        repository.create(new Notification(project, name, "https://hooks.example.com/" + name, events, SECRET,
                Instant.now(), null));
    }

    @Test
    void eachDeliveryIsTheEventSignedOverTimestampAndBody() throws Exception {
        webhook("p", "ops", List.of());
        RunEvent event = failedBackup("p");
        delivery.send(event);

        ScriptedWebhookClient.Sent sent = client.sent().get(0);
        assertEquals(event.json(), new String(sent.body(), StandardCharsets.UTF_8));
        String timestamp = sent.headers().get("X-Lifeboat-Timestamp");
        assertTrue(Math.abs(Long.parseLong(timestamp) - Instant.now().getEpochSecond()) < 60);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(
                (timestamp + "." + new String(sent.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, sent.headers().get("X-Lifeboat-Signature"));
        assertEquals("backup.failed", sent.headers().get("X-Lifeboat-Event"));
        assertEquals(event.id(), sent.headers().get("X-Lifeboat-Delivery"));
        assertEquals(Notification.Outcome.Delivered, repository.find("p", "ops").orElseThrow().lastDelivery().outcome());
    }

    @Test
    void failuresAreRetriedWithBackoffUntilOneIsTaken() {
        webhook("p", "ops", List.of());
        client.answering(503, -1, 429);
        delivery.send(failedBackup("p"));

        assertEquals(4, client.sent().size());
        Notification.Delivery last = repository.find("p", "ops").orElseThrow().lastDelivery();
        assertEquals(Notification.Outcome.Delivered, last.outcome());
        assertEquals(4, last.attempts());
    }

    @Test
    void aRedirectIsNotFollowedNorRetried() {
        webhook("p", "ops", List.of());
        client.answering(302);
        delivery.send(failedBackup("p"));

        assertEquals(1, client.sent().size());
        Notification.Delivery last = repository.find("p", "ops").orElseThrow().lastDelivery();
        assertEquals(Notification.Outcome.Failed, last.outcome());
        assertEquals(302, last.status());
        assertTrue(last.message().contains("redirect"), last.message());
    }

    @Test
    void aWebhookThatNeverAnswersIsFailedAfterItsAttempts() {
        webhook("p", "ops", List.of());
        client.answering(-1, -1, -1, -1, -1);
        delivery.send(failedBackup("p"));

        assertEquals(4, client.sent().size());
        Notification.Delivery last = repository.find("p", "ops").orElseThrow().lastDelivery();
        assertEquals(Notification.Outcome.Failed, last.outcome());
        assertNull(last.status());
    }

    @Test
    void onlyTheProjectsWebhooksThatWantTheEventGetIt() {
        webhook("p", "failures", List.of("backup.failed"));
        webhook("p", "successes", List.of("backup.completed"));
        webhook("other", "all", List.of());
        delivery.send(failedBackup("p"));

        assertEquals(List.of("https://hooks.example.com/failures"), client.sent().stream()
                .map(ScriptedWebhookClient.Sent::url).toList());
    }
}
