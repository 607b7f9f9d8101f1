package io.lifeboat.dynamodb;

import io.lifeboat.paging.PageRequest;
import io.lifeboat.error.ConflictException;
import io.lifeboat.notification.Notification;
import io.lifeboat.sandbox.dynamodb.DynamoDbLocalServer;
import io.lifeboat.secret.EnvelopeSecretBox;
import io.lifeboat.secret.LocalKeyFileDataKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamoNotificationRepositoryTest {
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    @TempDir
    static Path work;
    static DynamoDbLocalServer server;
    static DynamoDbClient dynamo;
    static DynamoNotificationRepository notifications;

    @BeforeAll
    static void start() {
        server = DynamoDbLocalServer.inMemory();
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(server.url())).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        Tables tables = new Tables("test-");
        tables.createMissing(dynamo);
        notifications = new DynamoNotificationRepository(dynamo, tables,
                new EnvelopeSecretBox(new LocalKeyFileDataKeys(work.resolve("master.key"))));
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        server.close();
    }

    @Test
    void aWebhookIsStoredWithItsSecretSealedAndBoundToItsRecord() {
        Notification n = new Notification("p", "ops", "https://hooks.example.com/x", List.of("backup.failed"),
                "the-signing-secret-value", NOW, null);
        notifications.create(n);
        assertEquals(n, notifications.find("p", "ops").orElseThrow());
        assertEquals(List.of(n), notifications.all("p"));
        assertEquals(List.of(n), notifications.list("p", PageRequest.first(10)).items());
        assertThrows(ConflictException.class, () -> notifications.create(n));

        Map<String, AttributeValue> raw = dynamo.getItem(r -> r.tableName("test-notifications")
                .key(Map.of("project", AttributeValue.fromS("p"), "name", AttributeValue.fromS("ops")))).item();
        assertFalse(new String(raw.get("secret").b().asByteArray(), StandardCharsets.ISO_8859_1)
                .contains("the-signing-secret-value"));
        Map<String, AttributeValue> copy = new HashMap<>(raw);
        copy.put("name", AttributeValue.fromS("stolen"));
        dynamo.putItem(r -> r.tableName("test-notifications").item(copy));
        assertThrows(IllegalStateException.class, () -> notifications.find("p", "stolen"));
        notifications.delete("p", "stolen");
    }

    @Test
    void theLastDeliveryIsRecordedAndADeletedWebhookStaysDeleted() {
        notifications.create(new Notification("q", "all", "https://hooks.example.com/y", List.of(),
                "another-signing-secret", NOW, null));
        Notification.Delivery failed = new Notification.Delivery("e-1", "backup.failed", Notification.Outcome.Failed,
                4, 503, "answered 503", NOW);
        notifications.recordDelivery("q", "all", failed);
        assertEquals(failed, notifications.find("q", "all").orElseThrow().lastDelivery());
        assertEquals(List.of(), notifications.find("q", "all").orElseThrow().events());

        assertTrue(notifications.delete("q", "all"));
        notifications.recordDelivery("q", "all", failed);
        assertTrue(notifications.find("q", "all").isEmpty());
        assertFalse(notifications.delete("q", "all"));
    }
}
