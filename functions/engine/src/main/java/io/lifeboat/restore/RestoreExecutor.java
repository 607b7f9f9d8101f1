package io.lifeboat.restore;

import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunSignals;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.archive.ArchiveReader;
import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.ClusterSessions;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.run.Gzip;
import io.lifeboat.run.ProgressThrottle;
import io.lifeboat.run.Results;
import io.lifeboat.run.RunFailure;
import io.lifeboat.run.RunLog;
import io.lifeboat.run.RunSkeleton;
import io.lifeboat.secret.Redactor;
import io.lifeboat.snapshot.SnapshotRestorer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs one restore ({@link RunSkeleton}: claimed, executed, finished): opens the target's session and checks it
 * (storage classes the mapping names must exist), reads the archive once into a local spool (refusing a tampered or
 * unsafe one before anything is applied), judges every item once ({@link RestorePlan}), then applies the judged items
 * in Velero's order ({@link ItemApplier}, {@link RestoreOrder#steps}), waiting for CRDs' types to be served before
 * their custom resources, and re-creating the snapshots claims are provisioned from ({@link SnapshotRestorer}) just
 * before the claims. Before a type is applied, the target's objects of it are listed ({@link LiveObjects}), so that an
 * object that exists costs no refused create. Items are applied a few at once across all the types of a step (a step
 * holds one type, or all the types whose order is free), and the next step waits for them all. One object the API
 * server refuses is an error of that object; the rest goes on.
 */
public final class RestoreExecutor extends RunSkeleton<Restore, RestoreExecutor.Run, Restore.Outcome> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Items of one type applied at once. */
    static final int TYPE_IN_FLIGHT = 8;
    /** Items applied at once across all the types of one step. */
    static final int STEP_IN_FLIGHT = 16;
    /** Types of one step listed and fed at once. */
    static final int TYPES_AT_ONCE = 4;
    /** The most objects of one type listed from the target: past it, existing objects are found by refused creates. */
    static final long MOST_LISTED = 300_000;
    private static final String CLAIMS = "persistentvolumeclaims";

    private final RestoreRepository restores;
    private final BackupRepository backups;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    private final ClusterSessions sessions;
    private final ObjectStoreFactory stores;
    private final Duration crdTimeout;
    private final ArchiveLimits limits;
    private final Path spoolRoot;

    public RestoreExecutor(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                           LocationRepository locations, ClusterSessions sessions, ObjectStoreFactory stores, Clock clock,
                           Duration crdTimeout) {
        this(restores, backups, clusters, locations, sessions, stores, clock, crdTimeout, ArchiveLimits.DEFAULTS,
                ArchiveSpool.DEFAULT_ROOT);
    }

    /** With the limits an archive must keep to, and the folder that holds the (encrypted) spools of restores. */
    public RestoreExecutor(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                           LocationRepository locations, ClusterSessions sessions, ObjectStoreFactory stores, Clock clock,
                           Duration crdTimeout, ArchiveLimits limits, Path spoolRoot) {
        this(restores, backups, clusters, locations, sessions, stores, clock, crdTimeout, limits, spoolRoot,
                RunSignals.NONE);
    }

    /** With the signals told when a run ends (metrics, events, webhooks). */
    public RestoreExecutor(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                           LocationRepository locations, ClusterSessions sessions, ObjectStoreFactory stores, Clock clock,
                           Duration crdTimeout, ArchiveLimits limits, Path spoolRoot, RunSignals signals) {
        super(clock, signals);
        this.restores = restores;
        this.backups = backups;
        this.clusters = clusters;
        this.locations = locations;
        this.sessions = sessions;
        this.stores = stores;
        this.crdTimeout = crdTimeout;
        this.limits = limits;
        this.spoolRoot = spoolRoot;
    }

    @Override
    protected Optional<Restore> find(String project, String name) {
        return restores.find(project, name);
    }

    @Override
    protected boolean isNew(Restore restore) {
        return restore.phase() == Restore.Phase.New;
    }

    @Override
    protected boolean claim(String project, String name, Instant startedAt) {
        return restores.claim(project, name, startedAt);
    }

    @Override
    protected Run start(Restore requested, Instant startedAt, RunLog log, Results results) {
        return new Run(requested.started(startedAt), log, results);
    }

    @Override
    protected Restore.Outcome execute(Run run) {
        ExecutorService pool = daemons(STEP_IN_FLIGHT, "lifeboat-restore-apply");
        ExecutorService types = daemons(TYPES_AT_ONCE, "lifeboat-restore-type");
        try {
            return run.execute(pool, types);
        } finally {
            pool.shutdownNow();
            types.shutdownNow();
        }
    }

    private static ExecutorService daemons(int threads, String name) {
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    protected Restore.Outcome failed(Run run, RunFailure failure) {
        run.log.error(failure.getMessage());
        return run.outcome(Restore.Phase.Failed);
    }

    @Override
    protected void record(String project, String name, Restore.Outcome outcome) {
        restores.finish(project, name, outcome);
    }

    @Override
    protected Restore finished(Run run, Restore.Outcome outcome) {
        return run.restore.finishedWith(outcome);
    }

    @Override
    protected RunEnded ended(Restore finished) {
        return RestoreEnded.of(finished);
    }

    /** The state of one run: counts, progress, what was restored. */
    final class Run {
        private final Restore restore;
        private final RunLog log;
        private final Results results;
        private final ProgressThrottle throttle = new ProgressThrottle(clock);
        private final Map<String, Set<String>> restored = new TreeMap<>();
        private long created;
        private long updated;
        private long skipped;
        private long done;
        private long total;

        Run(Restore restore, RunLog log, Results results) {
            this.restore = restore;
            this.log = log;
            this.results = results;
        }

        synchronized Restore.Outcome outcome(Restore.Phase phase) {
            return new Restore.Outcome(phase, new Restore.Progress(done, total), new Restore.Counts(created, updated, skipped),
                    clock.instant(), results.warningCount(), results.errorCount(), results.summary(Results.ON_RECORD));
        }

        Restore.Outcome execute(ExecutorService pool, ExecutorService types) {
            Backup backup = backups.find(restore.project(), restore.backup())
                    .orElseThrow(() -> new RunFailure("backup " + restore.backup() + " no longer exists"));
            Location location = locations.find(restore.project(), backup.location())
                    .orElseThrow(() -> new RunFailure("location " + backup.location() + " no longer exists"));
            Cluster cluster = clusters.find(restore.project(), restore.targetCluster())
                    .orElseThrow(() -> new RunFailure("cluster " + restore.targetCluster() + " no longer exists"));
            Redactor redactor = new Redactor(location.secretValues());
            log.info("restore " + restore.name() + " of backup " + backup.name() + " into cluster " + cluster.name() + " started");
            RestoreOptions options = restore.request().options(backup.name(), restore.name());
            VolumePlan volumes = new VolumePlan(options, backup.volumeSnapshots());
            try (ClusterSession target = sessions.open(cluster.kubeconfig(), cluster.context());
                 ObjectStore store = stores.open(location)) {
                target.type("namespaces"); // reach the cluster before reading the archive: an unreachable one fails fast
                checkStorageClasses(target, options);
                try (InputStream in = store.download(Layout.backupObject(location.prefix(), backup.name(), Layout.BackupFile.TARBALL));
                     ArchiveSpool spool = ArchiveSpool.read(in, backup.archiveSha256(), limits, spoolRoot)) {
                    spool.forEach(RestorePlan.PERSISTENT_VOLUMES, volumes::add); // a claim's fate follows its volume's
                    NeededClusterObjects needed = new NeededClusterObjects();
                    ItemRules rules = new ItemRules(options, volumes, needed);
                    Map<String, Boolean> scopes = scopes(target, spool);
                    RestorePlan plan = RestorePlan.judge(spool, scopes, rules, needed, log, results);
                    synchronized (this) {
                        total = plan.total();
                    }
                    log.info("the archive is intact: " + spool.total() + " items, " + plan.total() + " to restore");
                    ItemApplier applier = new ItemApplier(target, results, restore.request().update(),
                            restore.request().includeClusterResources());
                    SnapshotRestorer snapshots = new SnapshotRestorer(target, restore.targetCluster(),
                            Map.of(ItemRules.RESTORE_LABEL, restore.name()), log, results);
                    for (List<String> step : RestoreOrder.steps(spool.resourceFolders())) {
                        if (step.contains(CLAIMS)) {
                            volumes.snapshotsToRestore().forEach(v -> snapshots.restore(v,
                                    options.targetNamespace(v.namespace()), volumes.restoredSnapshotName(v)));
                        }
                        restoreStep(target, spool, step, plan, applier, pool, types);
                    }
                } catch (IOException e) {
                    throw new RunFailure("the archive could not be read: " + e.getMessage(), e);
                }
                Restore.Phase phase = results.errorCount() > 0 ? Restore.Phase.PartiallyFailed : Restore.Phase.Completed;
                log.info("restore " + restore.name() + " " + phase + ": " + created + " created, " + updated + " updated, "
                        + skipped + " skipped, " + results.errorCount() + " errors");
                writeResults(store, location);
                return outcome(phase);
            } catch (ArchiveReader.ArchiveException e) {
                throw new RunFailure("the archive was refused, and nothing was applied: " + e.getMessage(), e);
            } catch (StoreException e) {
                throw new RunFailure("the location failed: " + e.reason() + ": " + redactor.scrub(e.getMessage()), e);
            } catch (ClusterSession.Rejected e) {
                throw new RunFailure("the target cluster refused: " + e.getMessage(), e);
            } catch (RunFailure e) {
                throw e;
            } catch (RuntimeException e) {
                throw new RunFailure("the restore failed: " + redactor.scrub(String.valueOf(e.getMessage())), e);
            }
        }

        /**
         * The scope of each type of the archive on the target: served (namespaced or not), or, for a custom type not
         * served yet, as the archive's CRD for it declares ({@code spec.scope}); absent when neither says.
         */
        private Map<String, Boolean> scopes(ClusterSession target, ArchiveSpool spool) {
            Map<String, Boolean> scopes = new TreeMap<>();
            spool.forEach(RestoreOrder.CRDS, crd -> {
                JsonNode spec = crd.path("spec");
                scopes.put(spec.path("names").path("plural").asText("") + "." + spec.path("group").asText(""),
                        "Namespaced".equals(spec.path("scope").asText()));
            });
            for (String folder : spool.resourceFolders()) {
                target.type(folder).ifPresent(type -> scopes.put(folder, type.namespaced()));
            }
            return scopes;
        }

        /** A mapped storage class that the target lacks is an error before anything is created. */
        private void checkStorageClasses(ClusterSession target, RestoreOptions options) {
            for (Map.Entry<String, String> mapping : options.storageClassMapping().entrySet()) {
                if (!target.storageClassExists(mapping.getValue())) {
                    throw new RunFailure("storage class " + mapping.getValue() + " (mapped from " + mapping.getKey()
                            + ") does not exist on cluster " + restore.targetCluster());
                }
            }
        }

        /**
         * Applies the judged items of the step's types, at most {@value #TYPE_IN_FLIGHT} of one type and
         * {@value #STEP_IN_FLIGHT} of them all at once (the types fed {@value #TYPES_AT_ONCE} at once); returns when
         * every one is applied.
         */
        private void restoreStep(ClusterSession target, ArchiveSpool spool, List<String> step, RestorePlan plan,
                                 ItemApplier applier, ExecutorService pool, ExecutorService types) {
            Semaphore inFlight = new Semaphore(STEP_IN_FLIGHT);
            if (step.size() == 1) {
                restoreType(target, spool, step.get(0), plan, applier, pool, inFlight);
                return;
            }
            List<Future<?>> fed = new ArrayList<>();
            for (String folder : step) {
                fed.add(types.submit(() -> restoreType(target, spool, folder, plan, applier, pool, inFlight)));
            }
            awaitAll(fed);
        }

        /**
         * Lists what the target holds of one type, then applies the type's judged items, each once one of the type's
         * places and one of the step's ({@code inFlight}) are free; returns when every one is applied.
         */
        private void restoreType(ClusterSession target, ArchiveSpool spool, String folder, RestorePlan plan,
                                 ItemApplier applier, ExecutorService pool, Semaphore inFlight) {
            if (plan.toApply(folder) == 0) {
                return;
            }
            Optional<ResourceType> type = target.type(folder);
            if (type.isEmpty() && target.awaitType(folder, crdTimeout)) {
                type = target.type(folder);
            }
            if (type.isEmpty()) {
                long lost = plan.toApply(folder);
                results.errorOfRun("cluster " + restore.targetCluster() + " does not serve " + folder + ": "
                        + lost + " items not restored");
                count(() -> done += lost);
                return;
            }
            ResourceType resourceType = type.get();
            LiveObjects listed = LiveObjects.read(target, resourceType, plan.namespaces(folder),
                    Math.min(MOST_LISTED, 2L * plan.toApply(folder) + 1000), log::info);
            Semaphore ofType = new Semaphore(TYPE_IN_FLIGHT);
            List<Future<?>> applied = new ArrayList<>();
            spool.forEachItem(folder, judged -> {
                ObjectNode item = judged.object();
                if (resourceType.namespaced() != item.path("metadata").has("namespace")) {
                    String refused = folder + " " + ItemRules.shown(judged.name()) + " is not restored: the target cluster "
                            + "serves " + folder + (resourceType.namespaced() ? " in namespaces" : " as cluster-scoped")
                            + ", unlike the scope it was judged with";
                    results.error(null, refused);
                    log.error(refused);
                    progressed();
                    return;
                }
                ofType.acquireUninterruptibly();
                inFlight.acquireUninterruptibly();
                applied.add(pool.submit(() -> {
                    try {
                        tally(resourceType, item, applier.apply(resourceType, item, listed));
                        progressed();
                    } finally {
                        inFlight.release();
                        ofType.release();
                    }
                }));
                List<Future<?>> finished = applied.stream().filter(Future::isDone).toList();
                awaitAll(finished); // a task that failed fails the run now, never goes unnoticed
                applied.removeAll(finished);
            });
            awaitAll(applied);
        }

        private void awaitAll(List<Future<?>> futures) {
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RunFailure("the restore was interrupted", e);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException runtime ? runtime
                            : new RunFailure("applying an item failed: " + e.getCause(), e.getCause());
                }
            }
        }

        private synchronized void tally(ResourceType type, ObjectNode item, ItemApplier.Applied applied) {
            switch (applied) {
                case CREATED -> {
                    created++;
                    String name = item.path("metadata").path("name").asText();
                    String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
                    restored.computeIfAbsent(type.resourceListKey(), k -> new TreeSet<>())
                            .add(namespace == null ? name : namespace + "/" + name);
                }
                case UPDATED -> updated++;
                case SKIPPED -> skipped++;
                case FAILED -> {
                }
            }
        }

        private synchronized void progressed() {
            done++;
            if (throttle.due()) {
                restores.updateProgress(restore.project(), restore.name(), new Restore.Progress(done, total));
            }
        }

        private synchronized void count(Runnable increment) {
            increment.run();
        }

        /**
         * Velero's files under restores/<name>/: results (every message; the record keeps the first), logs, and the
         * resource list of what was created.
         */
        private void writeResults(ObjectStore store, Location location) {
            String prefix = location.prefix();
            store.put(Layout.restoreObject(prefix, restore.name(), Layout.RestoreFile.RESULTS), Gzip.json(JSON, results.toVelero()));
            store.put(Layout.restoreObject(prefix, restore.name(), Layout.RestoreFile.RESOURCE_LIST), Gzip.json(JSON, restored));
            store.put(Layout.restoreObject(prefix, restore.name(), Layout.RestoreFile.LOGS), Gzip.text(log.text()));
        }
    }
}
