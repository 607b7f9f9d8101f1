package io.lifeboat.notification;

import io.lifeboat.signal.RunEvent;
import io.lifeboat.signal.RunEventSink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Delivers each event to the webhooks of its project that want it: a POST of the event's JSON, signed
 * ({@link WebhookSignature}), retried with doubling pauses on a network failure, a 5xx, a 408 or a 429; any other
 * answer (a 3xx included: redirects are not followed) ends the delivery. The outcome is recorded on the webhook.
 */
public final class WebhookDelivery implements RunEventSink {
    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class.getName());

    private final NotificationRepository notifications;
    private final WebhookClient client;
    private final Clock clock;
    private final Retry retry;

    /** How many attempts a delivery gets, and the pause after the first failure (doubled after each). */
    public record Retry(int attempts, Duration firstPause) {
        public static Retry defaults() {
            return new Retry(4, Duration.ofMillis(500));
        }
    }

    public WebhookDelivery(NotificationRepository notifications, WebhookClient client, Clock clock, Retry retry) {
        this.notifications = notifications;
        this.client = client;
        this.clock = clock;
        this.retry = retry;
    }

    @Override
    public void send(RunEvent event) {
        if (!(event.detail().get("project") instanceof String project)) {
            return;
        }
        for (Notification webhook : notifications.all(project)) {
            if (webhook.wants(event.type())) {
                Notification.Delivery delivery = deliver(webhook, event);
                notifications.recordDelivery(project, webhook.name(), delivery);
            }
        }
    }

    /** One delivery with its retries; never throws, so one webhook's failure does not stop the others. */
    Notification.Delivery deliver(Notification webhook, RunEvent event) {
        byte[] body = event.json().getBytes(StandardCharsets.UTF_8);
        long pause = retry.firstPause().toMillis();
        Integer status = null;
        String message = null;
        int attempt = 0;
        while (attempt < retry.attempts()) {
            attempt++;
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put(WebhookSignature.TIMESTAMP_HEADER, timestamp);
            headers.put(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(webhook.secret(), timestamp, body));
            headers.put(WebhookSignature.EVENT_HEADER, event.type());
            headers.put(WebhookSignature.DELIVERY_HEADER, event.id());
            try {
                status = client.post(webhook.url(), headers, body);
                message = null;
                if (status >= 200 && status < 300) {
                    return new Notification.Delivery(event.id(), event.type(), Notification.Outcome.Delivered, attempt,
                            status, null, clock.instant());
                }
                message = status >= 300 && status < 400 ? "answered a redirect, which is not followed"
                        : "answered " + status;
                if (!(status >= 500 || status == 408 || status == 429)) {
                    break;
                }
            } catch (IOException | RuntimeException e) {
                status = null;
                message = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (attempt < retry.attempts() && !pause(pause)) {
                break;
            }
            pause *= 2;
        }
        LOG.warning("webhook " + webhook.project() + "/" + webhook.name() + " did not take event " + event.type() + " "
                + event.id() + " after " + attempt + " attempts: " + message);
        return new Notification.Delivery(event.id(), event.type(), Notification.Outcome.Failed, attempt, status, message,
                clock.instant());
    }

    private static boolean pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
