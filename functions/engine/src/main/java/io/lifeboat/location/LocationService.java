package io.lifeboat.location;

import io.lifeboat.error.NotFoundException;
import io.lifeboat.input.Names;

import java.time.Clock;
import java.util.List;

/** Creates, lists, validates and deletes backup locations. */
public final class LocationService {
    private final LocationRepository locations;
    private final LocationRequests requests;
    private final LocationProbe probe;
    private final Clock clock;

    public LocationService(LocationRepository locations, LocationRequests requests, LocationProbe probe, Clock clock) {
        this.locations = locations;
        this.requests = requests;
        this.probe = probe;
        this.clock = clock;
    }

    /** Checks the request and stores the location as Pending. Nothing is stored when the request is bad. */
    public Location create(String project, LocationRequest request) {
        Names.requireLabel("project", project);
        Location location = requests.toLocation(project, request, clock.instant());
        locations.create(location);
        return location;
    }

    public Location get(String project, String name) {
        return locations.find(project, name).orElseThrow(() -> new NotFoundException("location", project, name));
    }

    public List<Location> list(String project) {
        return locations.list(project);
    }

    public void delete(String project, String name) {
        if (!locations.delete(project, name)) {
            throw new NotFoundException("location", project, name);
        }
    }

    /** Probes the location with its provider's SDK and records Available or Unavailable. */
    public Location validate(String project, String name) {
        Location location = get(project, name);
        LocationStatus status = probe.probe(location);
        locations.updateStatus(project, name, status);
        return location.withStatus(status);
    }

    /** Validates every location of every project; returns how many are Available. */
    public int validateAll() {
        return validateAll(location -> { });
    }

    /** The same, handing each location found Available to {@code whenAvailable} (the sync of Velero's backups). */
    public int validateAll(java.util.function.Consumer<Location> whenAvailable) {
        int available = 0;
        for (Location location : locations.listAll()) {
            LocationStatus status = probe.probe(location);
            locations.updateStatus(location.project(), location.name(), status);
            if (status.phase() == LocationStatus.Phase.Available) {
                available++;
                whenAvailable.accept(location.withStatus(status));
            }
        }
        return available;
    }
}
