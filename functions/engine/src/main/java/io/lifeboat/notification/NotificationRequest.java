package io.lifeboat.notification;

import java.util.List;

/**
 * The body of {@code POST /v1/projects/{project}/notifications}: a name and a spec (the URL events are POSTed to,
 * the event types wanted, absent for all, and the signing secret, absent to have one generated and returned once).
 */
public record NotificationRequest(String name, Spec spec) {
    public record Spec(String url, List<String> events, String secret) {
        @Override
        public String toString() {
            return "Spec[url=" + url + ", events=" + events + ", secret=" + (secret == null ? "null" : "(given)") + "]";
        }
    }
}
