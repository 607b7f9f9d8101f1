package io.lifeboat.dynamodb;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.error.ConflictException;
import io.lifeboat.schedule.Schedule;
import io.lifeboat.schedule.ScheduleRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.lifeboat.dynamodb.Attributes.instant;
import static io.lifeboat.dynamodb.Attributes.key;
import static io.lifeboat.dynamodb.Attributes.s;
import static io.lifeboat.dynamodb.Attributes.string;

/** Schedules in DynamoDB; active ones carry the sparse index key that tick-schedules queries. */
public final class DynamoScheduleRepository implements ScheduleRepository {
    private static final String LAST_BACKUP = "lastBackup";
    private static final String LAST_ERROR = "lastError";

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final ProjectTable table;

    public DynamoScheduleRepository(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.tableName = tables.schedules();
        this.table = new ProjectTable(dynamo, tableName);
    }

    @Override
    public void create(Schedule sc) {
        Map<String, AttributeValue> item = new HashMap<>(key(sc.project(), sc.name()));
        item.put("definition", s(Documents.json(sc.withState(false, null, null, null))));
        item.put("paused", AttributeValue.fromBool(sc.paused()));
        if (!sc.paused() && sc.nextRunAt() != null) {
            item.put(Tables.DUE, s(Tables.DUE));
            item.put(Tables.NEXT_RUN_AT, s(sc.nextRunAt().toString()));
        }
        item.put("createdAt", s(sc.createdAt().toString()));
        table.putNew(item, () -> new ConflictException("name",
                "schedule '" + sc.name() + "' already exists in project '" + sc.project() + "'"));
    }

    @Override
    public Optional<Schedule> find(String project, String name) {
        return table.get(project, name).map(DynamoScheduleRepository::toSchedule);
    }

    @Override
    public Page<Schedule> list(String project, PageRequest page) {
        return table.page(project, page, DynamoScheduleRepository::toSchedule);
    }

    @Override
    public List<Schedule> due(Instant now) {
        return dynamo.queryPaginator(r -> r.tableName(tableName).indexName(Tables.DUE_INDEX)
                        .keyConditionExpression("#due = :due AND #next <= :now")
                        .expressionAttributeNames(Map.of("#due", Tables.DUE, "#next", Tables.NEXT_RUN_AT))
                        .expressionAttributeValues(Map.of(":due", s(Tables.DUE), ":now", s(now.toString()))))
                .items().stream().map(DynamoScheduleRepository::toSchedule).toList();
    }

    @Override
    public boolean advance(String project, String name, Instant slot, Instant next, String backup) {
        try {
            dynamo.updateItem(r -> r.tableName(tableName).key(key(project, name))
                    .updateExpression("SET #next = :next, #last = :backup, #error = :none")
                    .conditionExpression("#next = :slot")
                    .expressionAttributeNames(Map.of("#next", Tables.NEXT_RUN_AT, "#last", LAST_BACKUP,
                            "#error", LAST_ERROR))
                    .expressionAttributeValues(Map.of(":next", s(next.toString()), ":slot", s(slot.toString()),
                            ":backup", s(backup), ":none", AttributeValue.fromNul(true))));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    @Override
    public void recordRun(String project, String name, String lastBackup, String lastError) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put(LAST_BACKUP, lastBackup); // null stores a NULL: no last backup
        fields.put(LAST_ERROR, lastError);
        table.set(project, name, fields, ProjectTable.EXISTS, null);
    }

    @Override
    public void setPaused(String project, String name, boolean paused, Instant nextRunAt) {
        if (paused) {
            dynamo.updateItem(r -> r.tableName(tableName).key(key(project, name))
                    .updateExpression("SET #paused = :true REMOVE #due, #next")
                    .conditionExpression("attribute_exists(#n)")
                    .expressionAttributeNames(Map.of("#paused", "paused", "#due", Tables.DUE, "#next", Tables.NEXT_RUN_AT,
                            "#n", Tables.NAME))
                    .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))));
        } else {
            dynamo.updateItem(r -> r.tableName(tableName).key(key(project, name))
                    .updateExpression("SET #paused = :false, #due = :due, #next = :next")
                    .conditionExpression("attribute_exists(#n)")
                    .expressionAttributeNames(Map.of("#paused", "paused", "#due", Tables.DUE, "#next", Tables.NEXT_RUN_AT,
                            "#n", Tables.NAME))
                    .expressionAttributeValues(Map.of(":false", AttributeValue.fromBool(false), ":due", s(Tables.DUE),
                            ":next", s(nextRunAt.toString()))));
        }
    }

    @Override
    public boolean delete(String project, String name) {
        return table.delete(project, name);
    }

    private static Schedule toSchedule(Map<String, AttributeValue> item) {
        Schedule definition = Documents.parse(string(item, "definition"), Schedule.class);
        return definition.withState(item.get("paused").bool(), instant(item, Tables.NEXT_RUN_AT),
                string(item, LAST_BACKUP), string(item, LAST_ERROR));
    }


}
