package io.lifeboat.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.error.ConflictException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.lifeboat.dynamodb.Attributes.instant;
import static io.lifeboat.dynamodb.Attributes.key;
import static io.lifeboat.dynamodb.Attributes.s;
import static io.lifeboat.dynamodb.Attributes.string;

/** Backup records in DynamoDB. Phase changes are conditional writes, so two deliveries of one request run it once. */
public final class DynamoBackupRepository implements BackupRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Backup.VolumeSnapshot>> SNAPSHOTS = new TypeReference<>() {
    };

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoBackupRepository(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.table = tables.backups();
    }

    @Override
    public void create(Backup b) {
        Map<String, AttributeValue> item = new HashMap<>(key(b.project(), b.name()));
        item.put("cluster", s(b.cluster()));
        item.put("location", s(b.location()));
        item.put("namespaces", AttributeValue.fromL(b.namespaces().stream().map(Attributes::s).toList()));
        if (b.includeClusterResources() != null) {
            item.put("includeClusterResources", AttributeValue.fromBool(b.includeClusterResources()));
        }
        item.put("includeDisks", AttributeValue.fromBool(b.includeDisks()));
        item.put("createdAt", s(b.createdAt().toString()));
        item.put("expiresAt", s(b.expiresAt().toString()));
        item.put("phase", s(b.phase().name()));
        item.put("itemsBackedUp", n(b.progress().itemsBackedUp()));
        item.put("totalItems", n(b.progress().totalItems()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#n)")
                    .expressionAttributeNames(Map.of("#n", Tables.NAME)));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("name", "backup '" + b.name() + "' already exists in project '" + b.project() + "'");
        }
    }

    @Override
    public Optional<Backup> find(String project, String name) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(project, name))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toBackup(item));
    }

    @Override
    public List<Backup> list(String project, String cluster) {
        Map<String, String> names = new HashMap<>(Map.of("#p", Tables.PROJECT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", s(project)));
        if (cluster != null) {
            names.put("#c", "cluster");
            values.put(":c", s(cluster));
        }
        return dynamo.queryPaginator(r -> {
                    r.tableName(table).keyConditionExpression("#p = :p").expressionAttributeNames(names)
                            .expressionAttributeValues(values);
                    if (cluster != null) {
                        r.filterExpression("#c = :c");
                    }
                }).items().stream().map(this::toBackup)
                .sorted(Comparator.comparing(Backup::createdAt).reversed()).toList();
    }

    @Override
    public boolean claim(String project, String name, Instant startedAt) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(project, name))
                    .updateExpression("SET #phase = :running, #started = :at")
                    .conditionExpression("#phase = :new")
                    .expressionAttributeNames(Map.of("#phase", "phase", "#started", "startedAt"))
                    .expressionAttributeValues(Map.of(":running", s(Backup.Phase.InProgress.name()),
                            ":new", s(Backup.Phase.New.name()), ":at", s(startedAt.toString()))));
            return true;
        } catch (ConditionalCheckFailedException alreadyTaken) {
            return false;
        }
    }

    @Override
    public void updateProgress(String project, String name, Backup.Progress progress) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(project, name))
                    .updateExpression("SET #items = :items, #total = :total")
                    .conditionExpression("#phase = :running")
                    .expressionAttributeNames(Map.of("#items", "itemsBackedUp", "#total", "totalItems", "#phase", "phase"))
                    .expressionAttributeValues(Map.of(":items", n(progress.itemsBackedUp()), ":total",
                            n(progress.totalItems()), ":running", s(Backup.Phase.InProgress.name()))));
        } catch (ConditionalCheckFailedException notRunning) {
            // a late progress report never overwrites a final phase
        }
    }

    @Override
    public void finish(String project, String name, Backup.Outcome o) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":phase", s(o.phase().name()));
        values.put(":items", n(o.progress().itemsBackedUp()));
        values.put(":total", n(o.progress().totalItems()));
        values.put(":completed", s(o.completedAt().toString()));
        values.put(":size", n(o.sizeBytes()));
        values.put(":sha", o.archiveSha256() == null ? AttributeValue.fromNul(true) : s(o.archiveSha256()));
        values.put(":warnings", n(o.warnings()));
        values.put(":errors", n(o.errors()));
        values.put(":firstErrors", AttributeValue.fromL(o.firstErrors().stream().map(Attributes::s).toList()));
        values.put(":snapshots", s(json(o.volumeSnapshots())));
        Map<String, String> names = new HashMap<>();
        String[] fields = {"phase", "itemsBackedUp", "totalItems", "completedAt", "sizeBytes", "archiveSha256",
                "warnings", "errors", "firstErrors", "volumeSnapshots"};
        String[] placeholders = {":phase", ":items", ":total", ":completed", ":size", ":sha", ":warnings", ":errors",
                ":firstErrors", ":snapshots"};
        StringBuilder update = new StringBuilder("SET ");
        for (int i = 0; i < fields.length; i++) {
            names.put("#f" + i, fields[i]);
            update.append(i == 0 ? "" : ", ").append("#f").append(i).append(" = ").append(placeholders[i]);
        }
        dynamo.updateItem(r -> r.tableName(table).key(key(project, name)).updateExpression(update.toString())
                .expressionAttributeNames(names).expressionAttributeValues(values));
    }

    private Backup toBackup(Map<String, AttributeValue> item) {
        AttributeValue include = item.get("includeClusterResources");
        AttributeValue firstErrors = item.get("firstErrors");
        String snapshots = string(item, "volumeSnapshots");
        return new Backup(string(item, Tables.PROJECT), string(item, Tables.NAME), string(item, "cluster"),
                string(item, "location"), item.get("namespaces").l().stream().map(AttributeValue::s).toList(),
                include == null ? null : include.bool(), item.get("includeDisks").bool(), instant(item, "createdAt"),
                instant(item, "expiresAt"), Backup.Phase.valueOf(string(item, "phase")),
                new Backup.Progress(number(item, "itemsBackedUp"), number(item, "totalItems")),
                instant(item, "startedAt"), instant(item, "completedAt"), number(item, "sizeBytes"),
                string(item, "archiveSha256"), (int) number(item, "warnings"), (int) number(item, "errors"),
                firstErrors == null ? List.of() : firstErrors.l().stream().map(AttributeValue::s).toList(),
                snapshots == null ? List.of() : parse(snapshots));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Backup.VolumeSnapshot> parse(String json) {
        try {
            return JSON.readValue(json, SNAPSHOTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored volume snapshots are not readable", e);
        }
    }
}
