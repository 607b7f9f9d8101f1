package io.lifeboat.notification;

import java.time.Instant;
import java.util.List;

/**
 * A webhook of one project: where its events are POSTed, which of them ({@code events}, empty for all), and the
 * secret each delivery is signed with. The secret is stored sealed, shown once when it is created, never again, and
 * never in {@link #toString()}.
 */
public record Notification(String project, String name, String url, List<String> events, String secret,
                           Instant createdAt, Delivery lastDelivery) {

    public Notification {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /** The last delivery: which event, whether it arrived, after how many attempts, and the answer's status. */
    public record Delivery(String eventId, String type, Outcome outcome, int attempts, Integer status, String message,
                           Instant at) {
    }

    public enum Outcome { Delivered, Failed }

    /** Subscribed to this event type (no list means every type). */
    public boolean wants(String type) {
        return events.isEmpty() || events.contains(type);
    }

    public Notification withLastDelivery(Delivery delivery) {
        return new Notification(project, name, url, events, secret, createdAt, delivery);
    }

    @Override
    public String toString() {
        return "Notification[project=" + project + ", name=" + name + ", url=" + url + ", events=" + events
                + ", secret=(sealed), createdAt=" + createdAt + ", lastDelivery=" + lastDelivery + "]";
    }
}
