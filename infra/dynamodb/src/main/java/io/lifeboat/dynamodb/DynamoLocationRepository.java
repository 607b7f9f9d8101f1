package io.lifeboat.dynamodb;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lifeboat.error.ConflictException;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.secret.SecretBox;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final ProjectTable table;
    private final SecretBox secrets;

    public DynamoLocationRepository(DynamoDbClient dynamo, Tables tables, SecretBox secrets) {
        this.table = new ProjectTable(dynamo, tables.locations());
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
        byte[] secretJson = Documents.json(secretFields).getBytes(StandardCharsets.UTF_8);
        item.put("secrets", Attributes.bytes(secrets.seal(secretJson, sealContext(l.project(), l.name()))));
        putStatus(item, l.status());
        item.put("createdAt", s(l.createdAt().toString()));
        table.putNew(item, () -> new ConflictException("name",
                "location '" + l.name() + "' already exists in project '" + l.project() + "'"));
    }

    private static void putStatus(Map<String, AttributeValue> item, LocationStatus status) {
        item.put("phase", s(status.phase().name()));
        putIfPresent(item, "reason", status.reason());
        putIfPresent(item, "message", status.message());
        putIfPresent(item, "lastValidatedAt", status.lastValidatedAt());
    }

    @Override
    public Optional<Location> find(String project, String name) {
        return table.get(project, name).map(this::toLocation);
    }

    @Override
    public Optional<LocationStatus> findStatus(String project, String name) {
        return table.get(project, name).map(DynamoLocationRepository::toStatus);
    }

    @Override
    public List<Location> list(String project) {
        return table.query(project).stream().map(this::toLocation).toList();
    }

    @Override
    public List<Location> listAll() {
        return table.scan().stream().map(this::toLocation).toList();
    }

    /** A validation finishing after a delete writes nothing. */
    @Override
    public void updateStatus(String project, String name, LocationStatus status) {
        table.set(project, name, ProjectTable.fields("phase", status.phase().name(), "reason", status.reason(),
                        "message", status.message(), "lastValidatedAt",
                        status.lastValidatedAt() == null ? null : status.lastValidatedAt().toString()),
                ProjectTable.EXISTS, null);
    }

    @Override
    public boolean delete(String project, String name) {
        return table.delete(project, name);
    }

    private Location toLocation(Map<String, AttributeValue> item) {
        String project = string(item, Tables.PROJECT);
        String name = string(item, Tables.NAME);
        Map<LocationField, String> fields = new EnumMap<>(LocationField.class);
        item.get("settings").m().forEach((k, v) -> fields.put(LocationField.fromKey(k), v.s()));
        byte[] sealed = bytes(item, "secrets");
        if (sealed != null) {
            Documents.parse(new String(secrets.open(sealed, sealContext(project, name)), StandardCharsets.UTF_8), STRING_MAP)
                    .forEach((k, v) -> fields.put(LocationField.fromKey(k), v));
        }
        return new Location(project, name, Provider.fromWire(string(item, "provider")), string(item, "bucket"),
                string(item, "prefix"), fields, toStatus(item), instant(item, "createdAt"));
    }

    private static LocationStatus toStatus(Map<String, AttributeValue> item) {
        return new LocationStatus(LocationStatus.Phase.valueOf(string(item, "phase")),
                string(item, "reason"), string(item, "message"), instant(item, "lastValidatedAt"));
    }


}
