package io.lifeboat.api.view;


import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.notification.Notification;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook. Its signing secret is in the spec only in the answer to its creation, never afterwards. */
@Schema(name = "Notification")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationView(String name, String project, Instant createdAt, Spec spec, Status status) {

    /** Where events are POSTed, which event types (all when empty), and the secret once, at creation. */
    @Schema(name = "NotificationSpec")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String url, List<String> events, String secret) {
    }

    /** The last delivery, when there was one. */
    @Schema(name = "NotificationStatus")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(Delivery lastDelivery) {
    }

    /** One delivery: the event, its outcome after {@code attempts} tries, the receiver's last HTTP status. */
    @Schema(name = "NotificationDelivery")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(String eventId, String type, Notification.Outcome outcome, int attempts, Integer status,
                           String message, Instant at) {
    }

    public static NotificationView of(Notification n) {
        return of(n, false);
    }

    /** The answer to a creation, the only one that shows the secret. */
    public static NotificationView created(Notification n) {
        return of(n, true);
    }

    private static NotificationView of(Notification n, boolean withSecret) {
        Notification.Delivery d = n.lastDelivery();
        Delivery delivery = d == null ? null
                : new Delivery(d.eventId(), d.type(), d.outcome(), d.attempts(), d.status(), d.message(), d.at());
        return new NotificationView(n.name(), n.project(), n.createdAt(),
                new Spec(n.url(), n.events(), withSecret ? n.secret() : null), new Status(delivery));
    }
}
