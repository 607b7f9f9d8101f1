package io.lifeboat.notification;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API's view of a webhook: {@code {name, project, spec: {url, events}, status: {createdAt, lastDelivery}}}. The
 * secret is in the spec only in the answer to its creation.
 */
public final class NotificationView {
    private NotificationView() {
    }

    public static Map<String, Object> of(Notification n) {
        return of(n, false);
    }

    /** The answer to a creation, the only one that shows the secret. */
    public static Map<String, Object> created(Notification n) {
        return of(n, true);
    }

    private static Map<String, Object> of(Notification n, boolean withSecret) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("url", n.url());
        spec.put("events", n.events());
        if (withSecret) {
            spec.put("secret", n.secret());
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("createdAt", n.createdAt().toString());
        if (n.lastDelivery() != null) {
            Notification.Delivery d = n.lastDelivery();
            Map<String, Object> delivery = new LinkedHashMap<>();
            delivery.put("eventId", d.eventId());
            delivery.put("type", d.type());
            delivery.put("outcome", d.outcome().name());
            delivery.put("attempts", d.attempts());
            if (d.status() != null) {
                delivery.put("status", d.status());
            }
            if (d.message() != null) {
                delivery.put("message", d.message());
            }
            delivery.put("at", d.at().toString());
            status.put("lastDelivery", delivery);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", n.name());
        view.put("project", n.project());
        view.put("spec", spec);
        view.put("status", status);
        return view;
    }
}
