package io.lifeboat.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.error.ConflictException;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.secret.SecretBox;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.lifeboat.dynamodb.Attributes.bytes;
import static io.lifeboat.dynamodb.Attributes.instant;
import static io.lifeboat.dynamodb.Attributes.key;
import static io.lifeboat.dynamodb.Attributes.putIfPresent;
import static io.lifeboat.dynamodb.Attributes.s;
import static io.lifeboat.dynamodb.Attributes.string;

/**
 * Locations in DynamoDB. Plain settings are stored as a map; the secret fields are sealed together into one
 * binary attribute, bound to the location's project and name.
 */
public final class DynamoLocationRepository implements LocationRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final DynamoDbClient dynamo;
    private final String table;
    private final SecretBox secrets;

    public DynamoLocationRepository(DynamoDbClient dynamo, Tables tables, SecretBox secrets) {
        this.dynamo = dynamo;
        this.table = tables.locations();
        this.secrets = secrets;
    }

    private static String sealContext(String project, String name) {
        return "location/" + project + "/" + name;
    }

    @Override
    public void create(Location l) {
        Map<String, AttributeValue> item = new HashMap<>(key(l.project(), l.name()));
        item.put("provider", s(l.provider().wireName()));
        item.put("bucket", s(l.bucket()));
        item.put("prefix", s(l.prefix()));
        Map<String, AttributeValue> settings = new HashMap<>();
        Map<String, String> secretFields = new TreeMap<>();
        l.fields().forEach((field, value) -> {
            if (field.secret()) {
                secretFields.put(field.key(), value);
            } else {
                settings.put(field.key(), s(value));
            }
        });
        item.put("settings", AttributeValue.fromM(settings));
        item.put("secrets", Attributes.bytes(secrets.seal(json(secretFields), sealContext(l.project(), l.name()))));
        putStatus(item, l.status());
        item.put("createdAt", s(l.createdAt().toString()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#n)")
                    .expressionAttributeNames(Map.of("#n", Tables.NAME)));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("name", "location '" + l.name() + "' already exists in project '" + l.project() + "'");
        }
    }

    private static void putStatus(Map<String, AttributeValue> item, LocationStatus status) {
        item.put("phase", s(status.phase().name()));
        putIfPresent(item, "reason", status.reason());
        putIfPresent(item, "message", status.message());
        putIfPresent(item, "lastValidatedAt", status.lastValidatedAt());
    }

    @Override
    public Optional<Location> find(String project, String name) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(project, name))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toLocation(item));
    }

    @Override
    public List<Location> list(String project) {
        return dynamo.queryPaginator(r -> r.tableName(table).keyConditionExpression("#p = :p")
                        .expressionAttributeNames(Map.of("#p", Tables.PROJECT))
                        .expressionAttributeValues(Map.of(":p", s(project))))
                .items().stream().map(this::toLocation).toList();
    }

    @Override
    public List<Location> listAll() {
        return dynamo.scanPaginator(r -> r.tableName(table)).items().stream().map(this::toLocation).toList();
    }

    @Override
    public void updateStatus(String project, String name, LocationStatus status) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":phase", s(status.phase().name()));
        values.put(":reason", status.reason() == null ? AttributeValue.fromNul(true) : s(status.reason()));
        values.put(":message", status.message() == null ? AttributeValue.fromNul(true) : s(status.message()));
        values.put(":at", status.lastValidatedAt() == null ? AttributeValue.fromNul(true) : s(status.lastValidatedAt().toString()));
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(project, name))
                    .updateExpression("SET #phase = :phase, #reason = :reason, #message = :message, #at = :at")
                    .conditionExpression("attribute_exists(#n)")
                    .expressionAttributeNames(Map.of("#n", Tables.NAME, "#phase", "phase", "#reason", "reason",
                            "#message", "message", "#at", "lastValidatedAt"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException deletedMeanwhile) {
            // nothing to record on a location that no longer exists
        }
    }

    @Override
    public boolean delete(String project, String name) {
        Map<String, AttributeValue> old = dynamo.deleteItem(r -> r.tableName(table).key(key(project, name))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    private Location toLocation(Map<String, AttributeValue> item) {
        String project = string(item, Tables.PROJECT);
        String name = string(item, Tables.NAME);
        Map<LocationField, String> fields = new EnumMap<>(LocationField.class);
        item.get("settings").m().forEach((k, v) -> fields.put(LocationField.fromKey(k), v.s()));
        byte[] sealed = bytes(item, "secrets");
        if (sealed != null) {
            parse(secrets.open(sealed, sealContext(project, name)))
                    .forEach((k, v) -> fields.put(LocationField.fromKey(k), v));
        }
        LocationStatus status = new LocationStatus(LocationStatus.Phase.valueOf(string(item, "phase")),
                string(item, "reason"), string(item, "message"), instant(item, "lastValidatedAt"));
        return new Location(project, name, Provider.fromWire(string(item, "provider")), string(item, "bucket"),
                string(item, "prefix"), fields, status, instant(item, "createdAt"));
    }

    private static byte[] json(Map<String, String> map) {
        try {
            return JSON.writeValueAsBytes(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(byte[] bytes) {
        try {
            return JSON.readValue(new String(bytes, StandardCharsets.UTF_8), STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sealed location secrets are not a JSON map", e);
        }
    }
}
