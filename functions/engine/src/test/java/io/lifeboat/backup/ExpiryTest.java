package io.lifeboat.backup;

import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpiryTest {
    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final BackupService service = new BackupService(backups, clusters, locations, l -> null, clock);

    BackupRequest expiring(String name, String expiresAt) {
        return new BackupRequest(name, "prod", "loc", OffsetDateTime.parse(expiresAt), false, null, List.of());
    }

    @Test
    void year10000IsRefusedAndYear9999Accepted() {
        clusters.create(new Cluster("p", "prod", "k", null, "https://k", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "b", "", Map.of(), LocationStatus.available(clock.instant()),
                clock.instant()));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> service.request("p", expiring("far", "+10000-01-01T00:00:00Z")));
        assertEquals("expiresAt", e.field());
        assertEquals("expiresAt: must be before year 10000", e.getMessage());
        assertTrue(backups.find("p", "far").isEmpty(), "nothing is stored");
        assertEquals(Instant.parse("9999-12-31T23:59:59.999Z"),
                service.request("p", expiring("last", "9999-12-31T23:59:59.999Z")).expiresAt());
        assertEquals("expiresAt", assertThrows(InvalidInputException.class,
                () -> service.request("p", expiring("past", "2020-01-01T00:00:00Z"))).field());
    }
}
