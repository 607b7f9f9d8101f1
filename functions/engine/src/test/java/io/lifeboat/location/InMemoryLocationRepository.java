package io.lifeboat.location;

import io.lifeboat.error.ConflictException;
import io.lifeboat.paging.InMemoryTable;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.util.List;
import java.util.Optional;

/** A LocationRepository in memory, for tests of code above the store. */
public final class InMemoryLocationRepository implements LocationRepository {
    private final InMemoryTable<Location> table = new InMemoryTable<>();

    /** Refuses a taken name, then a claim that overlaps another location's, as the DynamoDB repository does. */
    @Override
    public synchronized void create(Location location) {
        if (table.get(location.project(), location.name()).isPresent()) {
            throw new ConflictException("name", "location '" + location.name() + "' already exists");
        }
        BucketClaim claim = BucketClaim.of(location);
        for (Location other : table.all()) {
            if (claim.overlaps(BucketClaim.of(other))) {
                throw claim.conflictWith(BucketClaim.of(other));
            }
        }
        table.putNew(location.project(), location.name(), location);
    }

    @Override
    public Optional<Location> find(String project, String name) {
        return table.get(project, name);
    }

    @Override
    public Optional<LocationStatus> findStatus(String project, String name) {
        return find(project, name).map(Location::status);
    }

    @Override
    public Optional<Location> findPlain(String project, String name) {
        return find(project, name).map(Location::withoutSecrets);
    }

    @Override
    public Page<Location> list(String project, PageRequest page) {
        return table.page(project, page);
    }

    @Override
    public List<Location> listAll() {
        return table.all();
    }

    @Override
    public void updateStatus(String project, String name, LocationStatus status) {
        table.update(project, name, l -> l.withStatus(status));
    }

    @Override
    public synchronized boolean delete(String project, String name) {
        return table.remove(project, name);
    }
}
