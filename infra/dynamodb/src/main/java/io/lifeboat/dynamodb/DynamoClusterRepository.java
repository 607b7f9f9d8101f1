package io.lifeboat.dynamodb;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.error.ConflictException;
import io.lifeboat.secret.SecretBox;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
    private final ProjectTable table;
    private final SecretBox secrets;

    public DynamoClusterRepository(DynamoDbClient dynamo, Tables tables, SecretBox secrets) {
        this.table = new ProjectTable(dynamo, tables.clusters());
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
        item.put("insecureTls", AttributeValue.fromBool(c.insecureTls()));
        putStatus(item, c.status());
        item.put("createdAt", s(c.createdAt().toString()));
        table.putNew(item, () -> new ConflictException("name",
                "cluster '" + c.name() + "' already exists in project '" + c.project() + "'"));
    }

    private static void putStatus(Map<String, AttributeValue> item, ClusterStatus status) {
        item.put("health", s(status.health().name()));
        putIfPresent(item, "kubernetesVersion", status.kubernetesVersion());
        putIfPresent(item, "message", status.message());
        putIfPresent(item, "checkedAt", status.checkedAt());
    }

    @Override
    public Optional<Cluster> find(String project, String name) {
        return table.get(project, name).map(this::toCluster);
    }

    @Override
    public Optional<ClusterStatus> findStatus(String project, String name) {
        return table.get(project, name).map(DynamoClusterRepository::toStatus);
    }

    @Override
    public Page<Cluster> list(String project, PageRequest page) {
        return table.page(project, page, this::toCluster);
    }

    @Override
    public List<Cluster> listAll() {
        return table.scan().stream().map(this::toCluster).toList();
    }

    /** A health check finishing after a delete writes nothing. */
    @Override
    public void updateStatus(String project, String name, ClusterStatus status) {
        table.set(project, name, ProjectTable.fields("health", status.health().name(), "kubernetesVersion",
                        status.kubernetesVersion(), "message", status.message(), "checkedAt",
                        status.checkedAt() == null ? null : status.checkedAt().toString()),
                ProjectTable.EXISTS, null);
    }

    @Override
    public boolean delete(String project, String name) {
        return table.delete(project, name);
    }

    private Cluster toCluster(Map<String, AttributeValue> item) {
        String project = string(item, Tables.PROJECT);
        String name = string(item, Tables.NAME);
        String kubeconfig = new String(secrets.open(bytes(item, "kubeconfig"), sealContext(project, name)),
                StandardCharsets.UTF_8);
        AttributeValue insecure = item.get("insecureTls");
        return new Cluster(project, name, kubeconfig, string(item, "context"), string(item, "server"), toStatus(item),
                instant(item, "createdAt"), insecure != null && Boolean.TRUE.equals(insecure.bool()));
    }

    private static ClusterStatus toStatus(Map<String, AttributeValue> item) {
        return new ClusterStatus(ClusterStatus.Health.valueOf(string(item, "health")),
                string(item, "kubernetesVersion"), string(item, "message"), instant(item, "checkedAt"));
    }
}
