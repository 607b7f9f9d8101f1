package io.lifeboat.dynamodb;

import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.error.ConflictException;
import io.lifeboat.secret.SecretBox;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.lifeboat.dynamodb.Attributes.bytes;
import static io.lifeboat.dynamodb.Attributes.instant;
import static io.lifeboat.dynamodb.Attributes.key;
import static io.lifeboat.dynamodb.Attributes.putIfPresent;
import static io.lifeboat.dynamodb.Attributes.s;
import static io.lifeboat.dynamodb.Attributes.string;

/** Clusters in DynamoDB, the kubeconfig sealed and bound to the cluster's project and name. */
public final class DynamoClusterRepository implements ClusterRepository {
    private final DynamoDbClient dynamo;
    private final String table;
    private final SecretBox secrets;

    public DynamoClusterRepository(DynamoDbClient dynamo, Tables tables, SecretBox secrets) {
        this.dynamo = dynamo;
        this.table = tables.clusters();
        this.secrets = secrets;
    }

    private static String sealContext(String project, String name) {
        return "cluster/" + project + "/" + name;
    }

    @Override
    public void create(Cluster c) {
        Map<String, AttributeValue> item = new HashMap<>(key(c.project(), c.name()));
        item.put("kubeconfig", Attributes.bytes(secrets.seal(c.kubeconfig().getBytes(StandardCharsets.UTF_8),
                sealContext(c.project(), c.name()))));
        item.put("context", s(c.context()));
        item.put("server", s(c.server()));
        putStatus(item, c.status());
        item.put("createdAt", s(c.createdAt().toString()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#n)")
                    .expressionAttributeNames(Map.of("#n", Tables.NAME)));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("name", "cluster '" + c.name() + "' already exists in project '" + c.project() + "'");
        }
    }

    private static void putStatus(Map<String, AttributeValue> item, ClusterStatus status) {
        item.put("health", s(status.health().name()));
        putIfPresent(item, "kubernetesVersion", status.kubernetesVersion());
        putIfPresent(item, "message", status.message());
        putIfPresent(item, "checkedAt", status.checkedAt());
    }

    @Override
    public Optional<Cluster> find(String project, String name) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(project, name))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toCluster(item));
    }

    @Override
    public List<Cluster> list(String project) {
        return dynamo.queryPaginator(r -> r.tableName(table).keyConditionExpression("#p = :p")
                        .expressionAttributeNames(Map.of("#p", Tables.PROJECT))
                        .expressionAttributeValues(Map.of(":p", s(project))))
                .items().stream().map(this::toCluster).toList();
    }

    @Override
    public List<Cluster> listAll() {
        return dynamo.scanPaginator(r -> r.tableName(table)).items().stream().map(this::toCluster).toList();
    }

    @Override
    public void updateStatus(String project, String name, ClusterStatus status) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":health", s(status.health().name()));
        values.put(":version", status.kubernetesVersion() == null ? AttributeValue.fromNul(true) : s(status.kubernetesVersion()));
        values.put(":message", status.message() == null ? AttributeValue.fromNul(true) : s(status.message()));
        values.put(":at", status.checkedAt() == null ? AttributeValue.fromNul(true) : s(status.checkedAt().toString()));
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(project, name))
                    .updateExpression("SET #health = :health, #version = :version, #message = :message, #at = :at")
                    .conditionExpression("attribute_exists(#n)")
                    .expressionAttributeNames(Map.of("#n", Tables.NAME, "#health", "health",
                            "#version", "kubernetesVersion", "#message", "message", "#at", "checkedAt"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException deletedMeanwhile) {
            // nothing to record on a cluster that no longer exists
        }
    }

    @Override
    public boolean delete(String project, String name) {
        Map<String, AttributeValue> old = dynamo.deleteItem(r -> r.tableName(table).key(key(project, name))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    private Cluster toCluster(Map<String, AttributeValue> item) {
        String project = string(item, Tables.PROJECT);
        String name = string(item, Tables.NAME);
        String kubeconfig = new String(secrets.open(bytes(item, "kubeconfig"), sealContext(project, name)),
                StandardCharsets.UTF_8);
        ClusterStatus status = new ClusterStatus(ClusterStatus.Health.valueOf(string(item, "health")),
                string(item, "kubernetesVersion"), string(item, "message"), instant(item, "checkedAt"));
        return new Cluster(project, name, kubeconfig, string(item, "context"), string(item, "server"), status,
                instant(item, "createdAt"));
    }
}
