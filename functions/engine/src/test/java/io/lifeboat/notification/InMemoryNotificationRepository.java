package io.lifeboat.notification;

import io.lifeboat.error.ConflictException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A NotificationRepository in memory, for tests of code above the store. */
public final class InMemoryNotificationRepository implements NotificationRepository {
    private final Map<String, Notification> byKey = new ConcurrentSkipListMap<>();

    private static String key(String project, String name) {
        return project + "/" + name;
    }

    @Override
    public void create(Notification notification) {
        if (byKey.putIfAbsent(key(notification.project(), notification.name()), notification) != null) {
            throw new ConflictException("name", "notification '" + notification.name() + "' already exists");
        }
    }

    @Override
    public Optional<Notification> find(String project, String name) {
        return Optional.ofNullable(byKey.get(key(project, name)));
    }

    @Override
    public List<Notification> list(String project) {
        return byKey.values().stream().filter(n -> n.project().equals(project))
                .sorted(Comparator.comparing(Notification::name)).toList();
    }

    @Override
    public boolean delete(String project, String name) {
        return byKey.remove(key(project, name)) != null;
    }

    @Override
    public void recordDelivery(String project, String name, Notification.Delivery delivery) {
        byKey.computeIfPresent(key(project, name), (k, n) -> n.withLastDelivery(delivery));
    }
}
