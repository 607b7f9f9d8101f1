package io.lifeboat.location;

import io.lifeboat.input.EndpointPolicy;
import io.lifeboat.objectstore.HangingObjectStore;
import io.lifeboat.objectstore.InMemoryObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The periodic validation over every location: one bucket that never answers stops none of the others. */
class PeriodicValidationTest {
    final Clock clock = Clock.systemUTC();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final HangingObjectStore hanging = new HangingObjectStore();

    @AfterEach
    void release() {
        hanging.release();
    }

    void location(String project, String name) {
        locations.create(new Location(project, name, Provider.MINIO, "b-" + name, "", Map.of(), LocationStatus.pending(),
                clock.instant()));
    }

    @Test
    void aLocationThatNeverAnswersIsTimedOutAndTheOthersAreValidated() {
        for (String name : List.of("first", "hangs", "second", "third")) {
            location("p", name);
        }
        location("q", "other-project");
        InMemoryObjectStore store = new InMemoryObjectStore();
        LocationService service = new LocationService(locations, new LocationRequests(EndpointPolicy.production()),
                new LocationProbe(l -> l.name().equals("hangs") ? hanging.store() : store, clock), clock);

        long started = System.nanoTime();
        LocationService.Validation validation = service.validateAll(Duration.ofMillis(300), 1, location -> { });
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(List.of("p/hangs"), validation.timedOut());
        assertEquals(4, validation.available());
        for (String name : List.of("first", "second", "third")) {
            assertEquals(LocationStatus.Phase.Available, locations.find("p", name).orElseThrow().status().phase(), name);
        }
        assertEquals(LocationStatus.Phase.Available, locations.find("q", "other-project").orElseThrow().status().phase());
        LocationStatus timedOut = locations.find("p", "hangs").orElseThrow().status();
        assertEquals(LocationStatus.Phase.Unavailable, timedOut.phase());
        assertEquals(LocationStatus.Reason.Timeout, timedOut.reason());
        assertEquals(1, hanging.calls(), "the hanging store was asked");
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "one slot, yet done in " + took);
    }
}
