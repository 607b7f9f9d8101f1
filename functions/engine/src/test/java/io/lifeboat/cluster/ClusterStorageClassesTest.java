package io.lifeboat.cluster;

import io.lifeboat.error.ConflictException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.input.EndpointPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ClusterService.storageClasses: what a restore's storage-class mapping may name, read from the cluster each time. */
class ClusterStorageClassesTest {
    private final InMemoryClusterRepository repository = new InMemoryClusterRepository();
    private final InMemoryClusterSession session = new InMemoryClusterSession();

    private ClusterService service(ClusterSessions sessions) {
        repository.create(new Cluster("p", "target", "kubeconfig", "ctx", "https://127.0.0.1:6443",
                ClusterStatus.unknown(), Instant.EPOCH));
        return new ClusterService(repository, sessions, new EndpointPolicy(true), Clock.systemUTC());
    }

    @Test
    void theClassesTheClusterServesNowInNameOrder() {
        ClusterService clusters = service((kubeconfig, context) -> session);
        assertEquals(List.of(), clusters.storageClasses("p", "target"));
        session.addStorageClass("standard");
        session.addStorageClass("fast");
        assertEquals(List.of("fast", "standard"),
                clusters.storageClasses("p", "target").stream().map(ClusterSession.StorageClass::name).toList());
    }

    @Test
    void anUnknownClusterIsNotFound() {
        ClusterService clusters = service((kubeconfig, context) -> session);
        assertThrows(NotFoundException.class, () -> clusters.storageClasses("p", "other"));
        assertThrows(NotFoundException.class, () -> clusters.storageClasses("q", "target"));
    }

    @Test
    void aClusterThatRefusesTheListIsAConflictWithTheReason() {
        ClusterService clusters = service((kubeconfig, context) -> session.refuseStorageClasses(403));
        ConflictException e = assertThrows(ConflictException.class, () -> clusters.storageClasses("p", "target"));
        assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
    }
}
