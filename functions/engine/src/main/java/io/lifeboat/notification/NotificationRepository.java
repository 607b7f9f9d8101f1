package io.lifeboat.notification;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import java.util.List;
import java.util.Optional;

/** Persistence of webhooks; the signing secret is sealed at rest. */
public interface NotificationRepository {
    /** Stores a new webhook; a taken name is a conflict. */
    void create(Notification notification);

    Optional<Notification> find(String project, String name);

    /** One page of the project's webhooks, in name order. */
    Page<Notification> list(String project, PageRequest page);

    /** Every webhook of the project, for a delivery (a project has few). */
    List<Notification> all(String project);

    boolean delete(String project, String name);

    /** Records the last delivery; a webhook deleted meanwhile stays deleted. */
    void recordDelivery(String project, String name, Notification.Delivery delivery);
}
