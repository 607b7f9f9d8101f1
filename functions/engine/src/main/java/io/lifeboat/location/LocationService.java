package io.lifeboat.location;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.input.Names;

import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunSignals;
import io.lifeboat.work.TimedTasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Creates, lists, validates and deletes backup locations. */
public final class LocationService {
    private final LocationRepository locations;
    private final LocationRequests requests;
    private final LocationProbe probe;
    private final Clock clock;
    private final RunSignals signals;

    public LocationService(LocationRepository locations, LocationRequests requests, LocationProbe probe, Clock clock) {
        this(locations, requests, probe, clock, RunSignals.NONE);
    }

    /** With the signals told after each validation (metrics; an event when a location turns Unavailable). */
    public LocationService(LocationRepository locations, LocationRequests requests, LocationProbe probe, Clock clock,
                           RunSignals signals) {
        this.signals = signals;
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

    public Page<Location> list(String project, PageRequest page) {
        return locations.list(project, page);
    }

    public void delete(String project, String name) {
        if (!locations.delete(project, name)) {
            throw new NotFoundException("location", project, name);
        }
    }

    /** Probes the location with its provider's SDK and records Available or Unavailable. */
    public Location validate(String project, String name) {
        Location location = get(project, name);
        Instant started = clock.instant();
        LocationStatus status = probe.probe(location);
        locations.updateStatus(project, name, status);
        signals.ended(validated(location, status, started));
        return location.withStatus(status);
    }

    /** Validates every location of every project, one at a time; see {@link #validateAll(Duration, int)}. */
    public int validateAll() {
        return validateAll(Duration.ofMinutes(1), 1, location -> { }).available();
    }

    /** What the periodic validation found. */
    public record Validation(int available, List<String> timedOut) {
    }

    /**
     * Validates every location of every project, {@code concurrency} at once, each probe given {@code timeout}: one
     * that does not answer in time is marked Unavailable with reason Timeout, and the others are validated all the same.
     * Each location found Available is then handed to {@code whenAvailable} (the sync of Velero's backups).
     */
    public Validation validateAll(Duration timeout, int concurrency, java.util.function.Consumer<Location> whenAvailable) {
        int available = 0;
        List<String> timedOut = new ArrayList<>();
        for (TimedTasks.Outcome<Location, LocationStatus> outcome : TimedTasks.run(locations.listAll(), concurrency,
                timeout, probe::probe)) {
            Location location = outcome.item();
            LocationStatus status = outcome.value();
            if (outcome.timedOut()) {
                timedOut.add(location.project() + "/" + location.name());
                status = LocationStatus.unavailable(LocationStatus.Reason.Timeout, "the location did not answer within "
                        + timeout.toSeconds() + " s", clock.instant());
            } else if (outcome.failure() != null) {
                status = LocationStatus.unavailable(LocationStatus.Reason.Error, "the probe failed: " + outcome.failure().getClass().getSimpleName(),
                        clock.instant());
            }
            locations.updateStatus(location.project(), location.name(), status);
            signals.ended(validated(location, status, null));
            if (status.phase() == LocationStatus.Phase.Available) {
                available++;
                whenAvailable.accept(location.withStatus(status));
            }
        }
        return new Validation(available, timedOut);
    }

    /** A validation as the signals see it: the phase found, the one before, and why it is Unavailable. */
    private RunEnded validated(Location before, LocationStatus after, Instant started) {
        Instant now = clock.instant();
        String previous = before.status() == null ? null : before.status().phase().name();
        boolean unavailable = after.phase() == LocationStatus.Phase.Unavailable;
        return new RunEnded(RunEnded.Kind.VALIDATION, before.project(), before.name(), after.phase().name(), previous,
                0, 0, 0, unavailable ? 1 : 0, RunEnded.between(started, now), now,
                unavailable ? after.reason() + ": " + after.message() : null);
    }
}
