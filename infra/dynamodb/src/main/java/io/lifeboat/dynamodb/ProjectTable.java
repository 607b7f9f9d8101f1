package io.lifeboat.dynamodb;

import io.lifeboat.error.ConflictException;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.lifeboat.dynamodb.Attributes.key;
import static io.lifeboat.dynamodb.Attributes.s;

/** The item operations every project-scoped table shares (partition key project, sort key name). */
final class ProjectTable {
    private final DynamoDbClient dynamo;
    private final String table;

    ProjectTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Writes a new item; the name taken already is the conflict {@code taken} describes. */
    void putNew(Map<String, AttributeValue> item, Supplier<ConflictException> taken) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#n)")
                    .expressionAttributeNames(Map.of("#n", Tables.NAME)));
        } catch (ConditionalCheckFailedException e) {
            throw taken.get();
        }
    }

    Optional<Map<String, AttributeValue>> get(String project, String name) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(project, name))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * One page of the project's items whose sort key starts with {@code keyPrefix} ("" for all), in key order, from
     * after {@code keyPrefix + page.after()}; the names of the page are the sort keys without the prefix. Each Query
     * asks for {@code limit + 1} items from where the last one stopped ({@code ExclusiveStartKey}), and reads on
     * until {@code take} has taken that many or the partition ends: the extra item only says that more follow.
     */
    <T> Page<T> page(String project, String keyPrefix, PageRequest page, Function<Map<String, AttributeValue>, T> read,
                     Predicate<T> take) {
        List<T> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, AttributeValue> start = page.after() == null ? null : key(project, keyPrefix + page.after());
        Map<String, String> attributeNames = new HashMap<>(Map.of("#p", Tables.PROJECT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", s(project)));
        String condition = "#p = :p";
        if (!keyPrefix.isEmpty()) {
            condition += " AND begins_with(#n, :k)";
            attributeNames.put("#n", Tables.NAME);
            values.put(":k", s(keyPrefix));
        }
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression(condition).expressionAttributeNames(attributeNames)
                    .expressionAttributeValues(values).limit(page.limit() + 1);
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse answer = dynamo.query(query.build());
            for (Map<String, AttributeValue> item : answer.items()) {
                T value = read.apply(item);
                if (take.test(value)) {
                    found.add(value);
                    names.add(Attributes.string(item, Tables.NAME).substring(keyPrefix.length()));
                    if (found.size() > page.limit()) {
                        break;
                    }
                }
            }
            start = answer.hasLastEvaluatedKey() && !answer.lastEvaluatedKey().isEmpty() ? answer.lastEvaluatedKey() : null;
        } while (found.size() <= page.limit() && start != null);
        if (found.size() <= page.limit()) {
            return new Page<>(found, null);
        }
        return new Page<>(found.subList(0, page.limit()), names.get(page.limit() - 1));
    }

    /** One page of every item of the project. */
    <T> Page<T> page(String project, PageRequest page, Function<Map<String, AttributeValue>, T> read) {
        return page(project, "", page, read, value -> true);
    }

    /** Every item of every project (small tables only: locations, clusters). */
    List<Map<String, AttributeValue>> scan() {
        return dynamo.scanPaginator(r -> r.tableName(table)).items().stream().toList();
    }

    /** The condition "the item exists": an update never brings a deleted item back. */
    static final String EXISTS = "attribute_exists(#n)";
    /** The condition "the phase is :phase", with the value given beside it. */
    static final String PHASE_IS = "#phase = :phase";

    /**
     * Sets the fields (a null value stores a NULL) when {@code condition} holds; returns false when it does not.
     * The condition is {@link #EXISTS}, or {@link #PHASE_IS} with {@code phase} the expected phase.
     */
    boolean set(String project, String name, Map<String, String> fields, String condition, String phase) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        fields.forEach((field, value) -> values.put(field, value == null ? AttributeValue.fromNul(true) : s(value)));
        return setValues(project, name, values, condition, phase);
    }

    /** The same with attribute values of any type, for numbers and lists. */
    boolean setValues(String project, String name, Map<String, AttributeValue> fields, String condition, String phase) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (condition.equals(EXISTS)) {
            names.put("#n", Tables.NAME);
        } else {
            names.put("#phase", "phase");
            values.put(":phase", s(phase));
        }
        StringBuilder update = new StringBuilder("SET ");
        int i = 0;
        for (Map.Entry<String, AttributeValue> field : fields.entrySet()) {
            names.put("#f" + i, field.getKey());
            values.put(":f" + i, field.getValue());
            update.append(i == 0 ? "" : ", ").append("#f").append(i).append(" = :f").append(i);
            i++;
        }
        return setExpression(project, name, update.toString(), names, values, condition);
    }

    /** Sets a field that has no value yet; false when it has one, or when the item is gone. */
    boolean setOnce(String project, String name, String field, AttributeValue value) {
        return setExpression(project, name, "SET #f = :f", Map.of("#n", Tables.NAME, "#f", field), Map.of(":f", value),
                EXISTS + " AND attribute_not_exists(#f)");
    }

    private boolean setExpression(String project, String name, String update, Map<String, String> names,
                                  Map<String, AttributeValue> values, String condition) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(project, name)).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException notNow) {
            return false;
        }
    }

    /** Returns false when there was nothing to delete. */
    boolean delete(String project, String name) {
        Map<String, AttributeValue> old = dynamo.deleteItem(r -> r.tableName(table).key(key(project, name))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    /** Field names in the order given, for {@link #set}. */
    static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }
}
