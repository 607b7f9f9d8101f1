package io.lifeboat.restore;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupExecutor;
import io.lifeboat.backup.InMemoryBackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.cluster.InMemoryClusterRepository;
import io.lifeboat.cluster.InMemoryClusterSession;
import io.lifeboat.location.InMemoryLocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.InMemoryObjectStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restore's applies are pipelined: one thread starts them without waiting for their answers, as many at once as
 * the step's window allows, across the types of a step; answers that come from another thread (as an HTTP client's)
 * are counted as before, and a refusal among them is an error of its namespace.
 */
class RestorePipelineTest {
    static final int PER_TYPE = 40;

    final Clock clock = Clock.systemUTC();
    final InMemoryBackupRepository backups = new InMemoryBackupRepository();
    final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
    final InMemoryClusterRepository clusters = new InMemoryClusterRepository();
    final InMemoryLocationRepository locations = new InMemoryLocationRepository();
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryClusterSession source = new InMemoryClusterSession();
    final InMemoryClusterSession target = new InMemoryClusterSession();
    RestoreExecutor executor;

    /** Namespaces bulk and shop; in each, PER_TYPE Deployments, DaemonSets and ConfigMaps. */
    @BeforeEach
    void setUp() {
        for (InMemoryClusterSession cluster : List.of(source, target)) {
            cluster.serve("", "v1", "namespaces", "Namespace", false)
                    .serve("", "v1", "configmaps", "ConfigMap", true)
                    .serve("apps", "v1", "deployments", "Deployment", true)
                    .serve("apps", "v1", "daemonsets", "DaemonSet", true);
        }
        for (String namespace : List.of("bulk", "shop")) {
            source.add("namespaces", null, namespace);
            for (int i = 0; i < PER_TYPE; i++) {
                source.add("deployments.apps", namespace, "d" + i);
                source.add("daemonsets.apps", namespace, "ds" + i);
                source.add("configmaps", namespace, "cm" + i).putObject("data").put("n", String.valueOf(i));
            }
        }
        clusters.create(new Cluster("p", "a", "kubeconfig-a", null, "https://a", ClusterStatus.unknown(), clock.instant()));
        clusters.create(new Cluster("p", "b", "kubeconfig-b", null, "https://b", ClusterStatus.unknown(), clock.instant()));
        locations.create(new Location("p", "loc", Provider.MINIO, "bucket", "", Map.of(),
                LocationStatus.available(clock.instant()), clock.instant()));
        backups.create(Backup.requested("p", "nightly", "a", "loc", List.of(), null, false, clock.instant(),
                clock.instant().plusSeconds(3600)));
        Backup done = new BackupExecutor(backups, clusters, locations, (k, c) -> source, l -> store, clock,
                new BackupExecutor.Settings(100, 2, 1, Duration.ofSeconds(1))).run("p", "nightly");
        assertEquals(Backup.Phase.Completed, done.phase());
        executor = new RestoreExecutor(restores, backups, clusters, locations, (k, c) -> target, l -> store, clock,
                Duration.ofSeconds(1));
    }

    Restore restore(String name) {
        restores.create(Restore.requested("p", name, "nightly", "b", new Restore.Request(true, false, false, List.of(),
                Map.of(), Map.of(), ExistingResourcePolicy.none, Map.of(), List.of()), clock.instant()));
        return executor.run("p", name);
    }

    /**
     * Deployments and DaemonSets share a step. With every create of theirs held unanswered, the restore keeps the
     * whole window in flight (32 of each type, 64 in all), every one of them sent by one thread.
     */
    @Test
    void oneThreadKeepsTheStepsWholeWindowInFlight() throws Exception {
        target.holdCreatesOf("deployments.apps", "daemonsets.apps");
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Restore> running = CompletableFuture.supplyAsync(() -> restore("pipelined"), runner);
            boolean filled;
            try {
                filled = target.awaitCreatesHeld(RestoreExecutor.STEP_IN_FLIGHT, Duration.ofSeconds(60));
            } finally {
                target.releaseCreates();
            }
            assertTrue(filled, "the step's window was never full: at most " + target.mostCreatesInFlight()
                    + " creates in flight at once");
            assertEquals(1, target.asyncCallers().size(),
                    "one thread sent " + RestoreExecutor.STEP_IN_FLIGHT + " creates, none waiting for its answer");

            Restore done = running.get();
            assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
            int items = 2 + 2 * 3 * PER_TYPE;
            assertEquals(new Restore.Counts(items, 0, 0), done.counts());
            assertEquals(new Restore.Progress(items, items), done.progress());
            assertEquals(RestoreExecutor.STEP_IN_FLIGHT, target.mostCreatesInFlight(), "never more than the step's window");
            // of the types sharing the step; ConfigMaps, alone in theirs, may take its whole window
            for (String shared : List.of("deployments.apps", "daemonsets.apps")) {
                assertEquals(RestoreExecutor.TYPE_IN_FLIGHT, target.mostCreatesInFlightOf(shared),
                        "never more than a type's share of it: " + shared);
            }
            assertTrue(RestoreExecutor.STEP_IN_FLIGHT > RestoreExecutor.TYPE_IN_FLIGHT,
                    "the window is the step's, across its types");
        } finally {
            runner.shutdownNow();
        }
    }

    /** ConfigMaps are a priority step of their own: with nothing else to share the window with, they take all of it. */
    @Test
    void aTypeAloneInItsStepTakesTheWholeWindow() throws Exception {
        target.holdCreatesOf("configmaps");
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Restore> running = CompletableFuture.supplyAsync(() -> restore("alone"), runner);
            boolean filled;
            try {
                filled = target.awaitCreatesHeld(RestoreExecutor.STEP_IN_FLIGHT, Duration.ofSeconds(60));
            } finally {
                target.releaseCreates();
            }
            assertTrue(filled, "at most " + target.mostCreatesInFlight() + " ConfigMap creates in flight at once");
            Restore done = running.get();
            assertEquals(Restore.Phase.Completed, done.phase(), done.results().toString());
            assertEquals(RestoreExecutor.STEP_IN_FLIGHT, target.mostCreatesOfOneTypeInFlight(), "never more than the window");
        } finally {
            runner.shutdownNow();
        }
    }

    /** Answered from another thread, a refused create is an error of its namespace and everything else is created. */
    @Test
    void aRefusedItemIsAnErrorOfItsNamespaceAndTheRestIsApplied() {
        target.answerLater();
        target.refuse("deployments.apps", "shop", "d7");
        Restore done = restore("one-refused");

        assertEquals(Restore.Phase.PartiallyFailed, done.phase(), done.results().toString());
        assertEquals(1, done.errors());
        int items = 2 + 2 * 3 * PER_TYPE;
        assertEquals(new Restore.Counts(items - 1, 0, 0), done.counts());
        assertEquals(new Restore.Progress(items, items), done.progress());
        Map<?, ?> errors = (Map<?, ?>) done.results().get("errors");
        List<?> ofShop = (List<?>) ((Map<?, ?>) errors.get("namespaces")).get("shop");
        assertEquals(1, ofShop.size(), errors.toString());
        assertTrue(ofShop.get(0).toString().contains("deployments.apps shop/d7 was refused by the API server"),
                ofShop.toString());
        assertEquals(items - 1, target.createdInOrder().size());
        assertTrue(target.objects().containsKey("deployments.apps/shop/d8"));
    }

    /** An apply that fails (not refused: failed) fails the run, with its reason; it never goes unnoticed. */
    @Test
    void aFailedApplyFailsTheRun() {
        target.answerLater().breakCreatesOf("daemonsets.apps", new IllegalStateException("the client broke"));
        Restore done = restore("broken");

        assertEquals(Restore.Phase.Failed, done.phase(), done.results().toString());
        assertTrue(done.results().toString().contains("the client broke"), done.results().toString());
        assertTrue(target.createdInOrder().stream().noneMatch(key -> key.startsWith("daemonsets.apps/")));
    }

    /** Answered from another thread, a restore onto itself with policy update looks up and updates what differs. */
    @Test
    void existingObjectsAreDecidedFromAnswersOfAnotherThread() {
        target.answerLater();
        assertEquals(Restore.Phase.Completed, restore("first").phase());
        target.objects().get("configmaps/bulk/cm3").putObject("data").put("n", "changed");
        target.listsMiss("configmaps"); // so that the change is found by a refused create, then a lookup

        restores.create(Restore.requested("p", "again", "nightly", "b", new Restore.Request(true, false, false,
                List.of(), Map.of(), Map.of(), ExistingResourcePolicy.update, Map.of(), List.of()), clock.instant()));
        Restore again = executor.run("p", "again");

        assertEquals(Restore.Phase.Completed, again.phase(), again.results().toString());
        int items = 2 + 2 * 3 * PER_TYPE;
        assertEquals(new Restore.Counts(0, 1, items - 1), again.counts());
        assertEquals("3", target.objects().get("configmaps/bulk/cm3").path("data").path("n").asText());
    }
}
