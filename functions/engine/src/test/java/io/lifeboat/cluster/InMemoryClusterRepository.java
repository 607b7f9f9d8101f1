package io.lifeboat.cluster;

import io.lifeboat.error.ConflictException;
import io.lifeboat.paging.InMemoryTable;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.util.List;
import java.util.Optional;

/** A ClusterRepository in memory, for tests of code above the store. */
public final class InMemoryClusterRepository implements ClusterRepository {
    private final InMemoryTable<Cluster> table = new InMemoryTable<>();

    @Override
    public void create(Cluster cluster) {
        if (!table.putNew(cluster.project(), cluster.name(), cluster)) {
            throw new ConflictException("name", "cluster '" + cluster.name() + "' already exists");
        }
    }

    @Override
    public Optional<Cluster> find(String project, String name) {
        return table.get(project, name);
    }

    @Override
    public Optional<ClusterStatus> findStatus(String project, String name) {
        return find(project, name).map(Cluster::status);
    }

    @Override
    public Page<Cluster> list(String project, PageRequest page) {
        return table.page(project, page);
    }

    @Override
    public List<Cluster> listAll() {
        return table.all();
    }

    @Override
    public void updateStatus(String project, String name, ClusterStatus status) {
        table.update(project, name, c -> c.withStatus(status));
    }

    @Override
    public boolean delete(String project, String name) {
        return table.remove(project, name);
    }
}
