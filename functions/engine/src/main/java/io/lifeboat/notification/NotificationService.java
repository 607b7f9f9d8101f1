package io.lifeboat.notification;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.input.EndpointPolicy;
import io.lifeboat.input.Names;
import io.lifeboat.signal.RunEvent;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Registers, lists and deletes a project's webhooks. The URL is hostile input: it is checked with the
 * {@link EndpointPolicy} every endpoint is (no private, link-local or metadata address unless allowed), and the
 * client checks it again at each delivery.
 */
public final class NotificationService {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MIN_SECRET = 16;
    static final int MAX_SECRET = 256;

    private final NotificationRepository notifications;
    private final EndpointPolicy endpoints;
    private final Clock clock;

    public NotificationService(NotificationRepository notifications, EndpointPolicy endpoints, Clock clock) {
        this.notifications = notifications;
        this.endpoints = endpoints;
        this.clock = clock;
    }

    /** Checks the request field by field and stores the webhook; the answer carries the secret, the only time. */
    public Notification create(String project, NotificationRequest request) {
        Names.requireLabel("project", project);
        String name = Names.requireLabel("name", request.name());
        NotificationRequest spec = request;
        if (spec.url() == null || spec.url().isBlank()) {
            throw new InvalidInputException("url", "is required");
        }
        String url = endpoints.requireUrl("url", spec.url());
        List<String> events = new ArrayList<>();
        if (spec.events() != null) {
            for (int i = 0; i < spec.events().size(); i++) {
                String type = spec.events().get(i);
                if (type == null || !RunEvent.TYPES.contains(type)) {
                    throw new InvalidInputException("events[" + i + "]", "is not an event type (one of "
                            + String.join(", ", RunEvent.TYPES) + ")");
                }
                if (!events.contains(type)) {
                    events.add(type);
                }
            }
        }
        String secret = spec.secret() == null ? generatedSecret() : checkedSecret(spec.secret());
        Notification notification = new Notification(project, name, url, events, secret, clock.instant(), null);
        notifications.create(notification);
        return notification;
    }

    public Notification get(String project, String name) {
        return notifications.find(project, name)
                .orElseThrow(() -> new NotFoundException("notification", project, name));
    }

    public Page<Notification> list(String project, PageRequest page) {
        return notifications.list(project, page);
    }

    public void delete(String project, String name) {
        if (!notifications.delete(project, name)) {
            throw new NotFoundException("notification", project, name);
        }
    }

    private static String checkedSecret(String secret) {
        if (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
            throw new InvalidInputException("secret", "must be " + MIN_SECRET + " to " + MAX_SECRET + " characters");
        }
        if (!secret.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new InvalidInputException("secret", "must be printable ASCII without spaces");
        }
        return secret;
    }

    private static String generatedSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
