package io.lifeboat.dynamodb;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import com.fasterxml.jackson.core.type.TypeReference;
import io.lifeboat.error.ConflictException;
import io.lifeboat.location.BucketClaim;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.secret.SecretBox;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * binary attribute, bound to the location's project and name. Each location's {@link BucketClaim} is written in the
 * same transaction as the location, in the bucket-claims table ({@link BucketClaimsTable}), and released with it.
 */
public final class DynamoLocationRepository implements LocationRepository {
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final ProjectTable table;
    private final BucketClaimsTable claims;
    private final SecretBox secrets;

    public DynamoLocationRepository(DynamoDbClient dynamo, Tables tables, SecretBox secrets) {
        this.dynamo = dynamo;
        this.tableName = tables.locations();
        this.table = new ProjectTable(dynamo, tables.locations());
        this.claims = new BucketClaimsTable(dynamo, tables);
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
        BucketClaim claim = BucketClaim.of(l);
        TransactWriteItem putLocation = TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(#n)").expressionAttributeNames(Map.of("#n", Tables.NAME))
                .build()).build();
        for (int attempt = 0; attempt < BucketClaimsTable.ATTEMPTS; attempt++) {
            BucketClaimsTable.Claims held = claims.read(claim.store(), () -> holdersAlreadyOn(claim.store()));
            for (BucketClaimsTable.Holder holder : held.holders()) {
                BucketClaim theirs = new BucketClaim(claim.store(), holder.prefix());
                if (claim.overlaps(theirs)) {
                    throw holder.is(l.project(), l.name()) ? nameTaken(l) : claim.conflictWith(theirs);
                }
            }
            List<BucketClaimsTable.Holder> holders = new ArrayList<>(held.holders());
            holders.add(new BucketClaimsTable.Holder(claim.prefix(), l.project(), l.name()));
            try {
                dynamo.transactWriteItems(r -> r.transactItems(putLocation, claims.write(claim.store(), held, holders)));
                return;
            } catch (TransactionCanceledException e) {
                if (BucketClaimsTable.refused(e, 0)) {
                    throw nameTaken(l);
                }
                // another location on this bucket was created or deleted meanwhile: read its claims again
            }
        }
        throw new ConflictException("prefix", "other locations on bucket '" + l.bucket() + "' kept changing while this "
                + "one was created: try again");
    }

    private static ConflictException nameTaken(Location l) {
        return new ConflictException("name", "location '" + l.name() + "' already exists in project '" + l.project() + "'");
    }

    /** The locations on {@code store} stored before it had a claims item: the claims it starts with. */
    private List<BucketClaimsTable.Holder> holdersAlreadyOn(String store) {
        List<BucketClaimsTable.Holder> holders = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.scan()) {
            BucketClaim claim = claimOf(item);
            if (claim.store().equals(store)) {
                holders.add(new BucketClaimsTable.Holder(claim.prefix(), string(item, Tables.PROJECT),
                        string(item, Tables.NAME)));
            }
        }
        return holders;
    }

    /** A stored location's claim, from its plain attributes (no secret is opened). */
    private static BucketClaim claimOf(Map<String, AttributeValue> item) {
        Map<LocationField, String> plain = new EnumMap<>(LocationField.class);
        item.get("settings").m().forEach((k, v) -> plain.put(LocationField.fromKey(k), v.s()));
        return BucketClaim.of(Provider.fromWire(string(item, "provider")), string(item, "bucket"),
                string(item, "prefix"), plain);
    }

    private static void putStatus(Map<String, AttributeValue> item, LocationStatus status) {
        item.put("phase", s(status.phase().name()));
        putIfPresent(item, "reason", status.reason() == null ? null : status.reason().name());
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

    /** The plain settings and the status: the sealed secrets are not opened (no key is needed). */
    @Override
    public Optional<Location> findPlain(String project, String name) {
        return table.get(project, name).map(item -> {
            Map<LocationField, String> fields = new EnumMap<>(LocationField.class);
            item.get("settings").m().forEach((k, v) -> fields.put(LocationField.fromKey(k), v.s()));
            return new Location(project, name, Provider.fromWire(string(item, "provider")), string(item, "bucket"),
                    string(item, "prefix"), fields, toStatus(item), instant(item, "createdAt"));
        });
    }

    @Override
    public Page<Location> list(String project, PageRequest page) {
        return table.page(project, page, this::toLocation);
    }

    @Override
    public List<Location> listAll() {
        return table.scan().stream().map(this::toLocation).toList();
    }

    /** A validation finishing after a delete writes nothing. */
    @Override
    public void updateStatus(String project, String name, LocationStatus status) {
        table.set(project, name, ProjectTable.fields("phase", status.phase().name(), "reason", status.reason() == null ? null : status.reason().name(),
                        "message", status.message(), "lastValidatedAt",
                        status.lastValidatedAt() == null ? null : status.lastValidatedAt().toString()),
                ProjectTable.EXISTS, null);
    }

    /** Deletes the location and, in the same transaction, its claim; one stored before claims existed has none. */
    @Override
    public boolean delete(String project, String name) {
        Optional<Map<String, AttributeValue>> stored = table.get(project, name);
        if (stored.isEmpty()) {
            return false;
        }
        String store = claimOf(stored.get()).store();
        TransactWriteItem deleteLocation = TransactWriteItem.builder().delete(Delete.builder().tableName(tableName)
                .key(key(project, name)).conditionExpression("attribute_exists(#n)")
                .expressionAttributeNames(Map.of("#n", Tables.NAME)).build()).build();
        for (int attempt = 0; attempt < BucketClaimsTable.ATTEMPTS; attempt++) {
            BucketClaimsTable.Claims held = claims.read(store, List::of);
            List<BucketClaimsTable.Holder> rest = held.holders().stream().filter(h -> !h.is(project, name)).toList();
            if (rest.size() == held.holders().size()) {
                return table.delete(project, name);
            }
            try {
                dynamo.transactWriteItems(r -> r.transactItems(deleteLocation, claims.write(store, held, rest)));
                return true;
            } catch (TransactionCanceledException e) {
                if (BucketClaimsTable.refused(e, 0)) {
                    return false;
                }
            }
        }
        throw new IllegalStateException("the claims of bucket '" + string(stored.get(), "bucket")
                + "' kept changing while location '" + name + "' was deleted: try again");
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
                string(item, "reason") == null ? null : LocationStatus.Reason.of(string(item, "reason")), string(item, "message"), instant(item, "lastValidatedAt"));
    }


}
