package io.lifeboat.app.wiring;

import io.lifeboat.dynamodb.Tables;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Creates missing tables at start when asked to (local mode and tests); in AWS, Terraform owns them. */
@ApplicationScoped
public class TableBootstrap {
    @Inject
    DynamoDbClient dynamo;
    @Inject
    Tables tables;
    @ConfigProperty(name = "lifeboat.tables.create-missing", defaultValue = "false")
    boolean createMissing;
    private volatile boolean ready;

    void onStart(@Observes @jakarta.annotation.Priority(100) StartupEvent event) {
        if (createMissing) {
            tables.createMissing(dynamo);
        }
        ready = true;
    }

    /**
     * Whether the tables exist (start-up has created the missing ones): a trigger that fires during start-up, such as
     * local mode's scheduler, must wait for it.
     */
    public boolean ready() {
        return ready;
    }
}
