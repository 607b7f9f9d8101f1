package io.lifeboat.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.List;

/**
 * Lifeboat's DynamoDB tables. In AWS, Terraform creates them (terraform/dynamodb.tf must match this class);
 * locally and in tests, {@link #createMissing} does.
 */
public final class Tables {
    public static final String PROJECT = "project";
    public static final String NAME = "name";

    private final String prefix;

    public Tables(String prefix) {
        this.prefix = prefix;
    }

    /** Locations of every project: partition key project, sort key name. */
    public String locations() {
        return prefix + "locations";
    }

    /** Clusters of every project: partition key project, sort key name. */
    public String clusters() {
        return prefix + "clusters";
    }

    /** Backups of every project: partition key project, sort key name. */
    public String backups() {
        return prefix + "backups";
    }

    /** Restores of every project: partition key project, sort key name. */
    public String restores() {
        return prefix + "restores";
    }

    /** Workspaces of every project: partition key project, sort key name. */
    public String workspaces() {
        return prefix + "workspaces";
    }

    /** Workspace backups and restores: partition key project, sort key "<kind>/<name>". */
    public String workspaceRuns() {
        return prefix + "workspace-runs";
    }

    /** Webhooks of every project (notifications): partition key project, sort key name. */
    public String notifications() {
        return prefix + "notifications";
    }

    /** Schedules of every project: partition key project, sort key name, and the index of active ones by next run. */
    public String schedules() {
        return prefix + "schedules";
    }

    /**
     * Which location holds which prefixes of each bucket, across projects: partition key {@value #STORE} (the
     * {@code BucketClaim} store: provider kind, endpoint, bucket), one item per bucket, written with a version
     * condition together with the location it changes, so that two racing creates cannot both claim.
     */
    public String bucketClaims() {
        return prefix + "bucket-claims";
    }

    public static final String STORE = "store";

    /**
     * The sparse index tick-schedules queries: only active schedules carry {@value #DUE} (always "due"), sorted by
     * {@value #NEXT_RUN_AT}, so finding what is due is one query, not a scan.
     */
    public static final String DUE_INDEX = "due-by-next-run";
    public static final String DUE = "due";
    public static final String NEXT_RUN_AT = "nextRunAt";
    /**
     * The index sweep-expired queries: every backup carries {@value #EXPIRY} (always "all"), sorted by
     * {@value #EXPIRES_AT_MILLIS}, a number (epoch milliseconds), since ISO strings do not sort by time ("+10000-…"
     * sorts first, and "…00Z" after "…00.5Z"). {@value #EXPIRES_AT} keeps the ISO string the record is read from.
     */
    public static final String EXPIRY_INDEX = "by-expiry-time";
    public static final String EXPIRY = "expiry";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String EXPIRES_AT_MILLIS = "expiresAtMillis";

    public List<CreateTableRequest> definitions() {
        CreateTableRequest schedules = projectScoped(schedules()).toBuilder()
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PROJECT).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(NAME).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(DUE).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(NEXT_RUN_AT).attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(DUE_INDEX)
                        .keySchema(KeySchemaElement.builder().attributeName(DUE).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(NEXT_RUN_AT).keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .build();
        CreateTableRequest backups = projectScoped(backups()).toBuilder()
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PROJECT).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(NAME).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(EXPIRY).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(EXPIRES_AT_MILLIS).attributeType(ScalarAttributeType.N).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(EXPIRY_INDEX)
                        .keySchema(KeySchemaElement.builder().attributeName(EXPIRY).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(EXPIRES_AT_MILLIS).keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .build();
        CreateTableRequest claims = CreateTableRequest.builder()
                .tableName(bucketClaims())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(STORE).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(STORE).keyType(KeyType.HASH).build())
                .build();
        return List.of(projectScoped(locations()), projectScoped(clusters()), backups, projectScoped(restores()), schedules,
                projectScoped(workspaces()), projectScoped(workspaceRuns()), claims, projectScoped(notifications()));
    }

    private static CreateTableRequest projectScoped(String table) {
        return CreateTableRequest.builder()
                .tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PROJECT).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(NAME).attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(PROJECT).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(NAME).keyType(KeyType.RANGE).build())
                .build();
    }

    /** Creates the tables that do not exist yet (local mode and tests only). */
    public void createMissing(DynamoDbClient dynamo) {
        List<String> existing = dynamo.listTablesPaginator().tableNames().stream().toList();
        for (CreateTableRequest table : definitions()) {
            if (!existing.contains(table.tableName())) {
                try {
                    dynamo.createTable(table);
                } catch (ResourceInUseException raced) {
                    // another process created it meanwhile
                }
                dynamo.waiter().waitUntilTableExists(r -> r.tableName(table.tableName()));
            }
        }
    }
}
