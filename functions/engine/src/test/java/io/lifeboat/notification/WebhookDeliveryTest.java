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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

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

    /** A client whose posts to {@code /slow} wait until released; the others answer at once. */
    static final class HeldWebhookClient implements WebhookClient {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> answered = new CopyOnWriteArrayList<>();

        @Override
        public int post(String url, Map<String, String> headers, byte[] body) {
            if (url.endsWith("slow")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answered.add(url);
            return 204;
        }
    }

    @Test
    void aSlowWebhookHoldsNeitherTheRunThatEndedNorTheOtherWebhooks() throws Exception {
        webhook("p", "slow", List.of());
        webhook("p", "quick", List.of());
        HeldWebhookClient held = new HeldWebhookClient();
        ExecutorService pool = WebhookDelivery.pool(2, 10);
        try {
            new WebhookDelivery(repository, held, Clock.systemUTC(), new WebhookDelivery.Retry(1, Duration.ofMillis(1)),
                    pool, Duration.ZERO).send(failedBackup("p"));
            // send has returned while the slow one is still held; the quick one is delivered meanwhile
            awaitDelivered("quick");
            assertEquals(List.of("https://hooks.example.com/quick"), held.answered);
            assertNull(repository.find("p", "slow").orElseThrow().lastDelivery());
            held.release.countDown();
            awaitDelivered("slow");
        } finally {
            held.release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aDeliveryTheFullPoolCannotTakeIsRecordedFailedAtOnce() throws Exception {
        webhook("p", "a-slow", List.of()); // webhooks are read in name order: the slow one is taken first
        webhook("p", "b-second", List.of());
        webhook("p", "c-third", List.of());
        HeldWebhookClient held = new HeldWebhookClient();
        ExecutorService pool = WebhookDelivery.pool(1, 1); // one running (slow), one waiting, no room for a third
        try {
            new WebhookDelivery(repository, held, Clock.systemUTC(), new WebhookDelivery.Retry(1, Duration.ofMillis(1)),
                    pool, Duration.ZERO).send(failedBackup("p"));
            Notification.Delivery refused = repository.find("p", "c-third").orElseThrow().lastDelivery();
            assertEquals(Notification.Outcome.Failed, refused.outcome());
            assertEquals(0, refused.attempts());
            assertTrue(refused.message().contains("queue was full"), refused.message());
            assertNull(repository.find("p", "b-second").orElseThrow().lastDelivery(), "it waits its turn");
            held.release.countDown();
            awaitDelivered("b-second");
        } finally {
            held.release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void whereTheProcessIsFrozenOnReturnSendWaitsForItsDeliveries() {
        webhook("p", "a", List.of());
        webhook("p", "b", List.of());
        ExecutorService pool = WebhookDelivery.pool(2, 10);
        try {
            new WebhookDelivery(repository, client, Clock.systemUTC(), new WebhookDelivery.Retry(1, Duration.ofMillis(1)),
                    pool, Duration.ofSeconds(30)).send(failedBackup("p"));
            for (String name : List.of("a", "b")) {
                assertEquals(Notification.Outcome.Delivered, repository.find("p", name).orElseThrow().lastDelivery()
                        .outcome(), name + " was delivered before send returned");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    void awaitDelivered(String webhook) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            Notification.Delivery last = repository.find("p", webhook).orElseThrow().lastDelivery();
            if (last != null) {
                assertEquals(Notification.Outcome.Delivered, last.outcome());
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(webhook + " was never delivered");
    }
}
