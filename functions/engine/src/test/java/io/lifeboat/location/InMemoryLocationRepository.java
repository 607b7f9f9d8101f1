package io.lifeboat.location;

import io.lifeboat.error.ConflictException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A LocationRepository in memory, for tests of code above the store. */
public final class InMemoryLocationRepository implements LocationRepository {
    private final Map<String, Location> byKey = new ConcurrentSkipListMap<>();

    private static String key(String project, String name) {
        return project + "/" + name;
    }

    /** Refuses a taken name, then a claim that overlaps another location's, as the DynamoDB repository does. */
    @Override
    public synchronized void create(Location location) {
        if (byKey.containsKey(key(location.project(), location.name()))) {
            throw new ConflictException("name", "location '" + location.name() + "' already exists");
        }
        BucketClaim claim = BucketClaim.of(location);
        for (Location other : byKey.values()) {
            if (claim.overlaps(BucketClaim.of(other))) {
                throw claim.conflictWith(BucketClaim.of(other));
            }
        }
        byKey.put(key(location.project(), location.name()), location);
    }

    @Override
    public Optional<Location> find(String project, String name) {
        return Optional.ofNullable(byKey.get(key(project, name)));
    }

    @Override
    public Optional<LocationStatus> findStatus(String project, String name) {
        return find(project, name).map(Location::status);
    }

    @Override
    public List<Location> list(String project) {
        return byKey.values().stream().filter(l -> l.project().equals(project))
                .sorted(Comparator.comparing(Location::name)).toList();
    }

    @Override
    public List<Location> listAll() {
        return List.copyOf(byKey.values());
    }

    @Override
    public void updateStatus(String project, String name, LocationStatus status) {
        byKey.computeIfPresent(key(project, name), (k, l) -> l.withStatus(status));
    }

    @Override
    public synchronized boolean delete(String project, String name) {
        return byKey.remove(key(project, name)) != null;
    }
}
