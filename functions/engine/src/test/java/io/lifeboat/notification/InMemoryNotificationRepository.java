package io.lifeboat.notification;

import io.lifeboat.error.ConflictException;
import io.lifeboat.paging.InMemoryTable;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.util.List;
import java.util.Optional;

/** A NotificationRepository in memory, for tests of code above the store. */
public final class InMemoryNotificationRepository implements NotificationRepository {
    private final InMemoryTable<Notification> table = new InMemoryTable<>();

    @Override
    public void create(Notification notification) {
        if (!table.putNew(notification.project(), notification.name(), notification)) {
            throw new ConflictException("name", "notification '" + notification.name() + "' already exists");
        }
    }

    @Override
    public Optional<Notification> find(String project, String name) {
        return table.get(project, name);
    }

    @Override
    public Page<Notification> list(String project, PageRequest page) {
        return table.page(project, page);
    }

    @Override
    public List<Notification> all(String project) {
        return table.all().stream().filter(n -> n.project().equals(project)).toList();
    }

    @Override
    public boolean delete(String project, String name) {
        return table.remove(project, name);
    }

    @Override
    public void recordDelivery(String project, String name, Notification.Delivery delivery) {
        table.update(project, name, n -> n.withLastDelivery(delivery));
    }
}
