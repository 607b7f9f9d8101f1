package io.lifeboat.dynamodb;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import com.fasterxml.jackson.core.type.TypeReference;
import io.lifeboat.error.ConflictException;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.lifeboat.dynamodb.Attributes.instant;
import static io.lifeboat.dynamodb.Attributes.key;
import static io.lifeboat.dynamodb.Attributes.s;
import static io.lifeboat.dynamodb.Attributes.string;

/** Restore records in DynamoDB; the request and the results are kept as JSON documents. */
public final class DynamoRestoreRepository implements RestoreRepository {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final ProjectTable table;

    public DynamoRestoreRepository(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.tableName = tables.restores();
        this.table = new ProjectTable(dynamo, tableName);
    }

    @Override
    public List<Restore> stuck(Instant startedBefore) {
        return dynamo.scanPaginator(r -> r.tableName(tableName).filterExpression("#phase = :running AND #started < :before")
                        .expressionAttributeNames(Map.of("#phase", "phase", "#started", "startedAt"))
                        .expressionAttributeValues(Map.of(":running", s(Restore.Phase.InProgress.name()),
                                ":before", s(startedBefore.toString()))))
                .items().stream().map(DynamoRestoreRepository::toRestore).toList();
    }

    @Override
    public List<Restore> neverStarted(Instant createdBefore) {
        return dynamo.scanPaginator(r -> r.tableName(tableName).filterExpression("#phase = :new AND #created < :before")
                        .expressionAttributeNames(Map.of("#phase", "phase", "#created", "createdAt"))
                        .expressionAttributeValues(Map.of(":new", s(Restore.Phase.New.name()),
                                ":before", s(createdBefore.toString()))))
                .items().stream().map(DynamoRestoreRepository::toRestore).toList();
    }

    @Override
    public void create(Restore r) {
        Map<String, AttributeValue> item = new HashMap<>(key(r.project(), r.name()));
        item.put("backup", s(r.backup()));
        item.put("targetCluster", s(r.targetCluster()));
        item.put("request", s(Documents.json(r.request())));
        item.put("phase", s(r.phase().name()));
        item.put("createdAt", s(r.createdAt().toString()));
        table.putNew(item, () -> new ConflictException("name",
                "restore '" + r.name() + "' already exists in project '" + r.project() + "'"));
    }

    @Override
    public Optional<Restore> find(String project, String name) {
        return table.get(project, name).map(DynamoRestoreRepository::toRestore);
    }

    /** In name order (the table's sort key); into one cluster, filtered while the pages are read. */
    @Override
    public Page<Restore> list(String project, String targetCluster, PageRequest page) {
        return table.page(project, "", page, DynamoRestoreRepository::toRestore,
                r -> targetCluster == null || targetCluster.equals(r.targetCluster()));
    }

    @Override
    public boolean claim(String project, String name, Instant startedAt) {
        return table.set(project, name, ProjectTable.fields("phase", Restore.Phase.InProgress.name(),
                "startedAt", startedAt.toString()), ProjectTable.PHASE_IS, Restore.Phase.New.name());
    }

    @Override
    public void updateProgress(String project, String name, Restore.Progress progress) {
        table.set(project, name, ProjectTable.fields("progress", Documents.json(progress)), ProjectTable.PHASE_IS,
                Restore.Phase.InProgress.name());
    }

    @Override
    public void finish(String project, String name, Restore.Outcome o) {
        table.setValues(project, name, outcome(o), ProjectTable.EXISTS, null);
    }

    @Override
    public boolean failIfNew(String project, String name, Restore.Outcome o) {
        return table.setValues(project, name, outcome(o), ProjectTable.PHASE_IS, Restore.Phase.New.name());
    }

    private static Map<String, AttributeValue> outcome(Restore.Outcome o) {
        Map<String, AttributeValue> fields = new LinkedHashMap<>();
        fields.put("phase", s(o.phase().name()));
        fields.put("progress", s(Documents.json(o.progress())));
        fields.put("counts", s(Documents.json(o.counts())));
        fields.put("completedAt", s(o.completedAt().toString()));
        fields.put("warnings", AttributeValue.fromN(Integer.toString(o.warnings())));
        fields.put("errors", AttributeValue.fromN(Integer.toString(o.errors())));
        fields.put("results", s(Documents.json(o.results())));
        if (o.plan() != null) { // a dry run's account of the items
            fields.put("plan", s(Documents.json(o.plan())));
        }
        return fields;
    }

    private static Restore toRestore(Map<String, AttributeValue> item) {
        return new Restore(string(item, Tables.PROJECT), string(item, Tables.NAME), string(item, "backup"),
                string(item, "targetCluster"), Documents.parse(string(item, "request"), Restore.Request.class),
                Restore.Phase.valueOf(string(item, "phase")), Documents.parse(string(item, "progress"), Restore.Progress.class),
                Documents.parse(string(item, "counts"), Restore.Counts.class), instant(item, "createdAt"), instant(item, "startedAt"),
                instant(item, "completedAt"), number(item, "warnings"), number(item, "errors"),
                string(item, "results") == null ? null : Documents.parse(string(item, "results"), MAP),
                Documents.parse(string(item, "plan"), Restore.PlanCounts.class));
    }

    private static int number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Integer.parseInt(value.n());
    }



}
