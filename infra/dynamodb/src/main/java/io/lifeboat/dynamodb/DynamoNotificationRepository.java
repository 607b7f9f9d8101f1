package io.lifeboat.dynamodb;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.error.ConflictException;
import io.lifeboat.notification.Notification;
import io.lifeboat.notification.NotificationRepository;
import io.lifeboat.secret.SecretBox;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.lifeboat.dynamodb.Attributes.bytes;
import static io.lifeboat.dynamodb.Attributes.instant;
import static io.lifeboat.dynamodb.Attributes.key;
import static io.lifeboat.dynamodb.Attributes.s;
import static io.lifeboat.dynamodb.Attributes.string;

/** Webhooks in DynamoDB, the signing secret sealed and bound to the webhook's project and name. */
public final class DynamoNotificationRepository implements NotificationRepository {
    private final ProjectTable table;
    private final SecretBox secrets;

    public DynamoNotificationRepository(DynamoDbClient dynamo, Tables tables, SecretBox secrets) {
        this.table = new ProjectTable(dynamo, tables.notifications());
        this.secrets = secrets;
    }

    private static String sealContext(String project, String name) {
        return "notification/" + project + "/" + name;
    }

    @Override
    public void create(Notification n) {
        Map<String, AttributeValue> item = new HashMap<>(key(n.project(), n.name()));
        item.put("url", s(n.url()));
        item.put("events", AttributeValue.fromL(n.events().stream().map(Attributes::s).toList()));
        item.put("secret", Attributes.bytes(secrets.seal(n.secret().getBytes(StandardCharsets.UTF_8),
                sealContext(n.project(), n.name()))));
        item.put("createdAt", s(n.createdAt().toString()));
        table.putNew(item, () -> new ConflictException("name",
                "notification '" + n.name() + "' already exists in project '" + n.project() + "'"));
    }

    @Override
    public Optional<Notification> find(String project, String name) {
        return table.get(project, name).map(this::toNotification);
    }

    @Override
    public Page<Notification> list(String project, PageRequest page) {
        return table.page(project, page, this::toNotification);
    }

    @Override
    public List<Notification> all(String project) {
        List<Notification> all = new ArrayList<>();
        PageRequest request = PageRequest.first(PageRequest.MAX_LIMIT);
        while (true) {
            Page<Notification> page = table.page(project, request, this::toNotification);
            all.addAll(page.items());
            if (page.next() == null) {
                return all;
            }
            request = new PageRequest(page.next(), PageRequest.MAX_LIMIT);
        }
    }

    @Override
    public boolean delete(String project, String name) {
        return table.delete(project, name);
    }

    @Override
    public void recordDelivery(String project, String name, Notification.Delivery d) {
        Map<String, AttributeValue> delivery = new LinkedHashMap<>();
        delivery.put("eventId", s(d.eventId()));
        delivery.put("type", s(d.type()));
        delivery.put("outcome", s(d.outcome().name()));
        delivery.put("attempts", AttributeValue.fromN(Integer.toString(d.attempts())));
        if (d.status() != null) {
            delivery.put("status", AttributeValue.fromN(Integer.toString(d.status())));
        }
        Attributes.putIfPresent(delivery, "message", d.message());
        delivery.put("at", s(d.at().toString()));
        table.setValues(project, name, Map.of("lastDelivery", AttributeValue.fromM(delivery)), ProjectTable.EXISTS, null);
    }

    private Notification toNotification(Map<String, AttributeValue> item) {
        String project = string(item, Tables.PROJECT);
        String name = string(item, Tables.NAME);
        String secret = new String(secrets.open(bytes(item, "secret"), sealContext(project, name)), StandardCharsets.UTF_8);
        List<String> events = item.containsKey("events") ? item.get("events").l().stream().map(AttributeValue::s).toList()
                : List.of();
        return new Notification(project, name, string(item, "url"), events, secret, instant(item, "createdAt"),
                delivery(item.get("lastDelivery")));
    }

    private static Notification.Delivery delivery(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return null;
        }
        Map<String, AttributeValue> d = value.m();
        return new Notification.Delivery(string(d, "eventId"), string(d, "type"),
                Notification.Outcome.valueOf(string(d, "outcome")), Integer.parseInt(d.get("attempts").n()),
                d.containsKey("status") ? Integer.valueOf(d.get("status").n()) : null, string(d, "message"),
                instant(d, "at"));
    }
}
