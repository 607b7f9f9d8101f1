package io.lifeboat.notification;

import io.lifeboat.signal.RunEvent;
import io.lifeboat.signal.RunEventSink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Delivers each event to the webhooks of its project that want it: a POST of the event's JSON, signed
 * ({@link WebhookSignature}), retried with doubling pauses on a network failure, a 5xx, a 408 or a 429; any other
 * answer (a 3xx included: redirects are not followed) ends the delivery. The outcome is recorded on the webhook.
 * <p>
 * Deliveries run on a {@link #pool bounded pool}, each webhook's on its own, so that a slow or dead endpoint holds
 * neither the run that ended nor the other webhooks. A delivery the full pool cannot take is recorded as Failed at
 * once. Where the process may be frozen as soon as it returns (a Lambda function), {@code await} makes
 * {@link #send} wait for its deliveries, up to that long in all; with {@link Duration#ZERO} it returns at once.
 */
public final class WebhookDelivery implements RunEventSink {
    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class.getName());

    private final NotificationRepository notifications;
    private final WebhookClient client;
    private final Clock clock;
    private final Retry retry;
    private final Executor pool;
    private final Duration await;

    /** How many attempts a delivery gets, and the pause after the first failure (doubled after each). */
    public record Retry(int attempts, Duration firstPause) {
        public static Retry defaults() {
            return new Retry(4, Duration.ofMillis(500));
        }
    }

    /** Deliveries on the caller's thread, one after another (tests). */
    public WebhookDelivery(NotificationRepository notifications, WebhookClient client, Clock clock, Retry retry) {
        this(notifications, client, clock, retry, Runnable::run, Duration.ZERO);
    }

    public WebhookDelivery(NotificationRepository notifications, WebhookClient client, Clock clock, Retry retry,
                           Executor pool, Duration await) {
        this.notifications = notifications;
        this.client = client;
        this.clock = clock;
        this.retry = retry;
        this.pool = pool;
        this.await = await;
    }

    /**
     * A pool of {@code threads} daemon threads with room for {@code waiting} deliveries more; beyond that it refuses
     * them (and {@link #send} records them as Failed).
     */
    public static ExecutorService pool(int threads, int waiting) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(waiting),
                runnable -> {
                    Thread thread = new Thread(runnable, "lifeboat-webhook-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void send(RunEvent event) {
        if (!(event.detail().get("project") instanceof String project)) {
            return;
        }
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (Notification webhook : notifications.all(project)) {
            if (!webhook.wants(event.type())) {
                continue;
            }
            try {
                started.add(CompletableFuture.runAsync(() -> deliverAndRecord(webhook, event), pool));
            } catch (RejectedExecutionException full) {
                LOG.warning("webhook " + project + "/" + webhook.name() + " not sent event " + event.type() + " "
                        + event.id() + ": every delivery thread is busy and the queue is full");
                notifications.recordDelivery(project, webhook.name(), new Notification.Delivery(event.id(),
                        event.type(), Notification.Outcome.Failed, 0, null,
                        "not sent: Lifeboat's delivery queue was full", clock.instant()));
            }
        }
        if (!await.isZero() && !started.isEmpty()) {
            try {
                CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                        .get(await.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warning("deliveries of event " + event.id() + " were still being tried after " + await);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause()); // deliverAndRecord throws nothing it does not catch
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deliverAndRecord(Notification webhook, RunEvent event) {
        Notification.Delivery delivery = deliver(webhook, event);
        try {
            notifications.recordDelivery(webhook.project(), webhook.name(), delivery);
        } catch (RuntimeException e) {
            LOG.warning("the outcome of event " + event.id() + " for webhook " + webhook.project() + "/"
                    + webhook.name() + " could not be recorded: " + e.getClass().getSimpleName());
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
