package io.lifeboat.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
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

    public List<CreateTableRequest> definitions() {
        return List.of(projectScoped(locations()), projectScoped(clusters()), projectScoped(backups()),
                projectScoped(restores()));
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
