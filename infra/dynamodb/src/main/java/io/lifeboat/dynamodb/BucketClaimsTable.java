package io.lifeboat.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.lifeboat.dynamodb.Attributes.s;

/**
 * The bucket-claims table: one item per store ({@code BucketClaim}'s provider kind, endpoint and bucket) listing which
 * location holds which prefix, and a version. A change is written in one transaction with the location it concerns,
 * on the condition that the version is still the one read, so two racing creates cannot both claim.
 */
final class BucketClaimsTable {
    /** How often a create or delete reads the claims again when another one changed them meanwhile. */
    static final int ATTEMPTS = 8;

    /** One location's hold on a prefix of the store. */
    record Holder(String prefix, String project, String name) {
        boolean is(String project, String name) {
            return this.project.equals(project) && this.name.equals(name);
        }
    }

    /** The holders read, at {@code version}; {@code exists} false when the store has no item yet. */
    record Claims(List<Holder> holders, long version, boolean exists) {
    }

    private final DynamoDbClient dynamo;
    private final String table;

    BucketClaimsTable(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.table = tables.bucketClaims();
    }

    /** The store's holders; a store without an item yet gets {@code existing}, the locations already there. */
    Claims read(String store, Supplier<List<Holder>> existing) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(Map.of(Tables.STORE, s(store)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return new Claims(existing.get(), 0, false);
        }
        List<Holder> holders = item.get("holders").l().stream().map(AttributeValue::m)
                .map(m -> new Holder(m.get("prefix").s(), m.get("project").s(), m.get("name").s())).toList();
        return new Claims(holders, Long.parseLong(item.get("version").n()), true);
    }

    /** Writes {@code holders} as the store's claims, if they are still at the version {@code read} was. */
    TransactWriteItem write(String store, Claims read, List<Holder> holders) {
        List<AttributeValue> list = holders.stream().map(h -> AttributeValue.fromM(Map.of("prefix", s(h.prefix()),
                "project", s(h.project()), "name", s(h.name())))).toList();
        Put.Builder put = Put.builder().tableName(table).item(Map.of(Tables.STORE, s(store),
                "holders", AttributeValue.fromL(list), "version", AttributeValue.fromN(Long.toString(read.version() + 1))));
        if (read.exists()) {
            put.conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(read.version()))));
        } else {
            put.conditionExpression("attribute_not_exists(#s)").expressionAttributeNames(Map.of("#s", Tables.STORE));
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    /** Whether the transaction's item at {@code index} was refused by its condition. */
    static boolean refused(TransactionCanceledException e, int index) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                && "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }
}
