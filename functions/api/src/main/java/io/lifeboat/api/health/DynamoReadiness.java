package io.lifeboat.api.health;

import io.lifeboat.dynamodb.Tables;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Readiness: the API is ready when DynamoDB, where every record lives, answers for its tables. The answer names the
 * table and, when it is down, only the kind of failure (never a remote message).
 */
@Readiness
@ApplicationScoped
public class DynamoReadiness implements HealthCheck {
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Tables tables;

    @Override
    public HealthCheckResponse call() {
        String table = tables.locations();
        try {
            String status = dynamo.describeTable(r -> r.tableName(table)).table().tableStatusAsString();
            return HealthCheckResponse.named("dynamodb").status("ACTIVE".equals(status)).withData("table", table)
                    .withData("status", status).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("dynamodb").down().withData("table", table)
                    .withData("failure", e.getClass().getSimpleName()).build();
        }
    }
}
