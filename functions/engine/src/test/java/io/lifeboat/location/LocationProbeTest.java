package io.lifeboat.location;

import io.lifeboat.objectstore.InMemoryObjectStore;
import io.lifeboat.objectstore.StoreException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocationProbeTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final LocationProbe probe = new LocationProbe(location -> store, clock);
    private final Location location = new Location("default", "l", Provider.MINIO, "b", "team",
            Map.of(LocationField.SECRET_ACCESS_KEY, "very-secret-key"), LocationStatus.pending(), clock.instant());

    @Test
    void availableWhenTheProbeRoundTripsAndLeavesNothingBehind() {
        LocationStatus status = probe.probe(location);
        assertEquals(LocationStatus.Phase.Available, status.phase());
        assertEquals(clock.instant(), status.lastValidatedAt());
        assertTrue(store.objects().isEmpty(), "the probe object is deleted");
    }

    @Test
    void unavailableWithTheProviderReasonAndNoSecretInTheMessage() {
        store.failWith(new StoreException("AccessDenied", "denied for key very-secret-key"));
        LocationStatus status = probe.probe(location);
        assertEquals(LocationStatus.Phase.Unavailable, status.phase());
        assertEquals(LocationStatus.Reason.AccessDenied, status.reason());
        assertFalse(status.message().contains("very-secret-key"), status.message());
    }
}
