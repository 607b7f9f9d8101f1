package io.lifeboat.notification;

import java.util.List;

/**
 * The body of {@code POST /v1/projects/{project}/notifications}, flat like every other request: a name, the URL events
 * are POSTed to, the event types wanted (absent for all), and the signing secret (absent to have one generated and
 * returned once).
 */
public record NotificationRequest(String name, String url, List<String> events, String secret) {
    @Override
    public String toString() {
        return "NotificationRequest[name=" + name + ", url=" + url + ", events=" + events + ", secret="
                + (secret == null ? "null" : "(given)") + "]";
    }
}
