package io.lifeboat.cluster;

import io.lifeboat.error.ConflictException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A ClusterRepository in memory, for tests of code above the store. */
public final class InMemoryClusterRepository implements ClusterRepository {
    private final Map<String, Cluster> byKey = new ConcurrentSkipListMap<>();

    private static String key(String project, String name) {
        return project + "/" + name;
    }

    @Override
    public void create(Cluster cluster) {
        if (byKey.putIfAbsent(key(cluster.project(), cluster.name()), cluster) != null) {
            throw new ConflictException("name", "cluster '" + cluster.name() + "' already exists");
        }
    }

    @Override
    public Optional<Cluster> find(String project, String name) {
        return Optional.ofNullable(byKey.get(key(project, name)));
    }

    @Override
    public Optional<ClusterStatus> findStatus(String project, String name) {
        return find(project, name).map(Cluster::status);
    }

    @Override
    public List<Cluster> list(String project) {
        return byKey.values().stream().filter(c -> c.project().equals(project))
                .sorted(Comparator.comparing(Cluster::name)).toList();
    }

    @Override
    public List<Cluster> listAll() {
        return List.copyOf(byKey.values());
    }

    @Override
    public void updateStatus(String project, String name, ClusterStatus status) {
        byKey.computeIfPresent(key(project, name), (k, c) -> c.withStatus(status));
    }

    @Override
    public boolean delete(String project, String name) {
        return byKey.remove(key(project, name)) != null;
    }
}
