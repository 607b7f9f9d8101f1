package io.lifeboat.restore;

import io.lifeboat.signal.RunSignals;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveLimits;
import io.lifeboat.archive.ArchiveReader;
import io.lifeboat.archive.Layout;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.RunLog;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.backup.Gzip;
import io.lifeboat.backup.Results;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.discovery.ResourceType;
import io.lifeboat.input.Names;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.ObjectStoreFactory;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.secret.Redactor;

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
 * Runs one restore: claims it, checks the target (storage classes the mapping names must exist), reads the archive
 * once into a local spool (refusing a tampered or unsafe one before anything is applied), then creates the items in
 * Velero's order, waiting for CRDs' types to be served before their custom resources. One object the API server
 * refuses is an error of that object; the rest goes on.
 */
public final class RestoreExecutor {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Items of one type applied at once. */
    private static final int IN_FLIGHT = 8;
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    private static final String PERSISTENT_VOLUMES = "persistentvolumes";
    private static final List<String> COMPARED_AWAY = List.of("generateName", "selfLink", "uid", "resourceVersion",
            "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences",
            "managedFields");

    private final RestoreRepository restores;
    private final BackupRepository backups;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    private final RestoreTargets targets;
    private final ObjectStoreFactory stores;
    private final Clock clock;
    private final Duration crdTimeout;
    private final ArchiveLimits limits;
    private final Path spoolRoot;
    private final RunSignals signals;

    public RestoreExecutor(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                           LocationRepository locations, RestoreTargets targets, ObjectStoreFactory stores, Clock clock,
                           Duration crdTimeout) {
        this(restores, backups, clusters, locations, targets, stores, clock, crdTimeout, ArchiveLimits.DEFAULTS,
                ArchiveSpool.DEFAULT_ROOT);
    }

    /** With the limits an archive must keep to, and the folder that holds the (encrypted) spools of restores. */
    public RestoreExecutor(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                           LocationRepository locations, RestoreTargets targets, ObjectStoreFactory stores, Clock clock,
                           Duration crdTimeout, ArchiveLimits limits, Path spoolRoot) {
        this(restores, backups, clusters, locations, targets, stores, clock, crdTimeout, limits, spoolRoot,
                RunSignals.NONE);
    }

    /** With the signals told when a run ends (metrics, events, webhooks). */
    public RestoreExecutor(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                           LocationRepository locations, RestoreTargets targets, ObjectStoreFactory stores, Clock clock,
                           Duration crdTimeout, ArchiveLimits limits, Path spoolRoot, RunSignals signals) {
        this.signals = signals;
        this.limits = limits;
        this.spoolRoot = spoolRoot;
        this.restores = restores;
        this.backups = backups;
        this.clusters = clusters;
        this.locations = locations;
        this.targets = targets;
        this.stores = stores;
        this.clock = clock;
        this.crdTimeout = crdTimeout;
    }

    private static final class Failure extends RuntimeException {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs the restore if it is still New; returns its record afterwards. */
    public Restore run(String project, String name) {
        Restore requested = restores.find(project, name).orElse(null);
        if (requested == null || requested.phase() != Restore.Phase.New) {
            return requested;
        }
        if (!restores.claim(project, name, clock.instant())) {
            return restores.find(project, name).orElse(null);
        }
        Restore restore = requested.started(clock.instant());
        RunLog log = new RunLog(clock);
        Results results = new Results();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT, runnable -> {
            Thread thread = new Thread(runnable, "lifeboat-restore-apply");
            thread.setDaemon(true);
            return thread;
        });
        Run run = new Run(restore, log, results, pool);
        Restore.Outcome outcome;
        try {
            outcome = run.execute();
        } catch (Failure e) {
            results.errorOfRun(e.getMessage());
            log.error(e.getMessage());
            outcome = run.outcome(Restore.Phase.Failed);
        } finally {
            pool.shutdownNow();
        }
        restores.finish(project, name, outcome);
        signals.ended(RestoreEnded.of(restore.finishedWith(outcome)));
        return restore.finishedWith(outcome);
    }

    /** The state of one run: counts, progress, what was restored. */
    private final class Run {
        private final Restore restore;
        private final RunLog log;
        private final Results results;
        private final Map<String, Set<String>> restored = new TreeMap<>();
        private long created;
        private long updated;
        private long skipped;
        private long done;
        private long total;
        private Instant lastProgress = Instant.EPOCH;
        private final ExecutorService pool;

        Run(Restore restore, RunLog log, Results results, ExecutorService pool) {
            this.restore = restore;
            this.log = log;
            this.results = results;
            this.pool = pool;
        }

        synchronized Restore.Outcome outcome(Restore.Phase phase) {
            return new Restore.Outcome(phase, new Restore.Progress(done, total), new Restore.Counts(created, updated, skipped),
                    clock.instant(), results.warningCount(), results.errorCount(), results.summary(Results.ON_RECORD));
        }

        Restore.Outcome execute() {
            Backup backup = backups.find(restore.project(), restore.backup())
                    .orElseThrow(() -> new Failure("backup " + restore.backup() + " no longer exists", null));
            Location location = locations.find(restore.project(), backup.location())
                    .orElseThrow(() -> new Failure("location " + backup.location() + " no longer exists", null));
            Cluster cluster = clusters.find(restore.project(), restore.targetCluster())
                    .orElseThrow(() -> new Failure("cluster " + restore.targetCluster() + " no longer exists", null));
            Redactor redactor = new Redactor(location.secretValues());
            log.info("restore " + restore.name() + " of backup " + backup.name() + " into cluster " + cluster.name() + " started");
            RestoreOptions options = restore.request().options(backup.name(), restore.name());
            VolumePlan volumes = new VolumePlan(options, backup.volumeSnapshots());
            try (RestoreTarget target = targets.open(cluster.kubeconfig(), cluster.context());
                 ObjectStore store = stores.open(location)) {
                target.type("namespaces"); // reach the cluster before reading the archive: an unreachable one fails fast
                checkStorageClasses(target, options);
                try (InputStream in = store.download(Layout.backupObject(location.prefix(), backup.name(), Layout.BackupFile.TARBALL));
                     ArchiveSpool spool = ArchiveSpool.read(in, backup.archiveSha256(), limits, spoolRoot)) {
                    spool.forEach(PERSISTENT_VOLUMES, volumes::add); // a claim's fate follows its volume's
                    NeededClusterObjects needed = new NeededClusterObjects();
                    ItemRules rules = new ItemRules(options, volumes, needed);
                    Map<String, Boolean> scopes = scopes(target, spool);
                    // namespaced items first: what they need decides which CRDs and volumes are taken
                    for (String folder : spool.resourceFolders()) {
                        if (!folder.equals(RestoreOrder.CRDS) && !folder.equals(PERSISTENT_VOLUMES)) {
                            plan(spool, folder, scopes.get(folder), rules, needed);
                        }
                    }
                    plan(spool, RestoreOrder.CRDS, scopes.get(RestoreOrder.CRDS), rules, needed);
                    plan(spool, PERSISTENT_VOLUMES, scopes.get(PERSISTENT_VOLUMES), rules, needed);
                    log.info("the archive is intact: " + spool.total() + " items, " + total + " to restore");
                    for (String folder : spool.resourceFolders()) {
                        if (folder.equals("persistentvolumeclaims")) {
                            volumes.snapshotsToRestore().forEach(v -> restoreSnapshot(target, options, v,
                                    volumes.restoredSnapshotName(v)));
                        }
                        restoreType(target, spool, folder, rules);
                    }
                } catch (IOException e) {
                    throw new Failure("the archive could not be read: " + e.getMessage(), e);
                }
                Restore.Phase phase = results.errorCount() > 0 ? Restore.Phase.PartiallyFailed : Restore.Phase.Completed;
                log.info("restore " + restore.name() + " " + phase + ": " + created + " created, " + updated + " updated, "
                        + skipped + " skipped, " + results.errorCount() + " errors");
                writeResults(store, location);
                return outcome(phase);
            } catch (ArchiveReader.ArchiveException e) {
                throw new Failure("the archive was refused, and nothing was applied: " + e.getMessage(), e);
            } catch (StoreException e) {
                throw new Failure("the location failed: " + e.reason() + ": " + redactor.scrub(e.getMessage()), e);
            } catch (RestoreTarget.Rejected e) {
                throw new Failure("the target cluster refused: " + e.getMessage(), e);
            } catch (Failure e) {
                throw e;
            } catch (RuntimeException e) {
                throw new Failure("the restore failed: " + redactor.scrub(String.valueOf(e.getMessage())), e);
            }
        }

        /**
         * The scope of each type of the archive on the target: served (namespaced or not), or, for a custom type not
         * served yet, as the archive's CRD for it declares ({@code spec.scope}); absent when neither says.
         */
        private Map<String, Boolean> scopes(RestoreTarget target, ArchiveSpool spool) {
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

        /**
         * Counts the items of a type the restore will apply, and notes what the included namespaced ones need: their
         * custom type's CRD, and the volume a claim is bound to again. {@code namespaced} is the type's scope on the
         * target, null when unknown (its items are counted as they are archived; they will not be applied).
         */
        private void plan(ArchiveSpool spool, String folder, Boolean namespaced, ItemRules rules, NeededClusterObjects needed) {
            spool.forEachItem(folder, archived -> {
                boolean scope = namespaced != null ? namespaced : archived.namespace() != null;
                ItemRules.Decision decision = rules.decide(folder, scope, archived);
                if (!decision.applies()) {
                    return;
                }
                total++;
                if (namespaced != null && namespaced) {
                    needed.typeWithItems(folder);
                    String volume = decision.item().path("spec").path("volumeName").asText("");
                    if (folder.equals("persistentvolumeclaims") && !volume.isEmpty()) {
                        needed.volumeOfClaim(volume, archived.namespace(), archived.name());
                    }
                }
            });
        }

        /** A mapped storage class that the target lacks is an error before anything is created. */
        private void checkStorageClasses(RestoreTarget target, RestoreOptions options) {
            for (Map.Entry<String, String> mapping : options.storageClassMapping().entrySet()) {
                if (!target.storageClassExists(mapping.getValue())) {
                    throw new Failure("storage class " + mapping.getValue() + " (mapped from " + mapping.getKey()
                            + ") does not exist on cluster " + restore.targetCluster(), null);
                }
            }
        }

        /**
         * A VolumeSnapshotContent pre-bound to the recorded snapshot handle, and the VolumeSnapshot its claim is
         * provisioned from (Velero's CSI restore). Retain: deleting the restored objects never deletes the snapshot.
         */
        private void restoreSnapshot(RestoreTarget target, RestoreOptions options, Backup.VolumeSnapshot snapshot,
                                     String name) {
            String namespace = options.targetNamespace(snapshot.namespace());
            Optional<ResourceType> contents = target.type("volumesnapshotcontents.snapshot.storage.k8s.io");
            Optional<ResourceType> volumeSnapshots = target.type("volumesnapshots.snapshot.storage.k8s.io");
            if (contents.isEmpty() || volumeSnapshots.isEmpty()) {
                results.error(namespace, "claim " + snapshot.persistentVolumeClaim() + " cannot be restored from its snapshot: "
                        + "cluster " + restore.targetCluster() + " does not serve snapshot.storage.k8s.io");
                return;
            }
            ObjectNode content = JSON.createObjectNode();
            content.put("apiVersion", contents.get().groupVersion()).put("kind", "VolumeSnapshotContent");
            content.putObject("metadata").put("name", name).putObject("labels").put(ItemRules.RESTORE_LABEL, restore.name());
            ObjectNode contentSpec = content.putObject("spec");
            contentSpec.put("deletionPolicy", "Retain").put("driver", snapshot.driver());
            contentSpec.putObject("source").put("snapshotHandle", snapshot.snapshotHandle());
            contentSpec.putObject("volumeSnapshotRef").put("name", name).put("namespace", namespace);
            ObjectNode volumeSnapshot = JSON.createObjectNode();
            volumeSnapshot.put("apiVersion", volumeSnapshots.get().groupVersion()).put("kind", "VolumeSnapshot");
            volumeSnapshot.putObject("metadata").put("name", name).put("namespace", namespace)
                    .putObject("labels").put(ItemRules.RESTORE_LABEL, restore.name());
            volumeSnapshot.putObject("spec").putObject("source").put("volumeSnapshotContentName", name);
            try {
                target.create(contents.get(), content);
                target.create(volumeSnapshots.get(), volumeSnapshot);
                log.info("VolumeSnapshot " + namespace + "/" + name + " and its VolumeSnapshotContent are restored from "
                        + "snapshot " + snapshot.snapshotHandle() + ", for claim " + snapshot.persistentVolumeClaim());
            } catch (RestoreTarget.Rejected e) {
                results.error(namespace, "the snapshot of claim " + snapshot.persistentVolumeClaim()
                        + " could not be restored: " + e.getMessage());
            }
        }

        private void restoreType(RestoreTarget target, ArchiveSpool spool, String folder, ItemRules rules) {
            Optional<ResourceType> type = target.type(folder);
            if (type.isEmpty() && target.awaitType(folder, crdTimeout)) {
                type = target.type(folder);
            }
            if (type.isEmpty()) {
                long[] lost = {0};
                spool.forEachItem(folder, item -> lost[0] += rules.decide(folder, item.namespace() != null, item).applies() ? 1 : 0);
                if (lost[0] > 0) {
                    results.errorOfRun("cluster " + restore.targetCluster() + " does not serve " + folder + ": "
                            + lost[0] + " items not restored");
                    count(() -> done += lost[0]);
                }
                return;
            }
            ResourceType resourceType = type.get();
            // items of one type do not depend on each other: a few are applied at once, and the next type waits
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            List<Future<?>> applied = new ArrayList<>();
            spool.forEachItem(folder, archived -> {
                ItemRules.Decision decision = rules.decide(folder, resourceType.namespaced(), archived);
                if (decision.note() != null) {
                    log.info(decision.note());
                }
                if (decision.refused() != null) {
                    boolean inNamespace = resourceType.namespaced() && Names.isDns1123Label(archived.namespace());
                    results.error(inNamespace ? rules.targetNamespace(archived.namespace()) : null, decision.refused());
                    log.error(decision.refused());
                }
                if (decision.applies()) {
                    inFlight.acquireUninterruptibly();
                    applied.add(pool.submit(() -> {
                        try {
                            apply(target, resourceType, decision.item());
                            progressed();
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
                applied.removeIf(Future::isDone);
            });
            for (Future<?> future : applied) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Failure("the restore was interrupted", e);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException runtime ? runtime
                            : new Failure("applying an item failed: " + e.getCause(), e.getCause());
                }
            }
        }

        private synchronized void progressed() {
            done++;
            reportProgress();
        }

        private void apply(RestoreTarget target, ResourceType type, ObjectNode item) {
            String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
            String name = item.path("metadata").path("name").asText();
            String id = type.groupResource() + " " + (namespace == null ? "" : namespace + "/") + name;
            item.put("apiVersion", type.groupVersion());
            try {
                target.create(type, item);
                synchronized (this) {
                    created++;
                    restored.computeIfAbsent(type.resourceListKey(), k -> new TreeSet<>())
                            .add(namespace == null ? name : namespace + "/" + name);
                }
            } catch (RestoreTarget.Rejected e) {
                if (e.status() != 409) {
                    results.error(namespace, id + " was refused by the API server: " + e.getMessage());
                    return;
                }
                ObjectNode live = target.get(type, namespace, name).orElse(null);
                if (live != null && comparable(live).equals(comparable(item))) {
                    count(() -> skipped++);
                } else if (live != null && !type.namespaced() && !restore.request().includeClusterResources()) {
                    count(() -> skipped++);
                    results.warn(null, id + " already exists and differs from the backup; kept as it is (a restore "
                            + "without includeClusterResources never changes an existing cluster-scoped object)");
                } else if (restore.request().update() && live != null) {
                    try {
                        target.update(type, item, live);
                        count(() -> updated++);
                    } catch (RestoreTarget.Rejected refused) {
                        results.error(namespace, id + " could not be updated: " + refused.getMessage());
                    }
                } else {
                    count(() -> skipped++);
                    results.warn(namespace, id + " already exists and differs from the backup; kept as it is "
                            + "(existingResourcePolicy none)");
                }
            }
        }

        private synchronized void count(Runnable increment) {
            increment.run();
        }

        /** An object without what servers own and without the labels naming a backup and a restore. */
        private ObjectNode comparable(ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            copy.remove("status");
            if (copy.get("metadata") instanceof ObjectNode metadata) {
                COMPARED_AWAY.forEach(metadata::remove);
                if (metadata.get("labels") instanceof ObjectNode labels) {
                    labels.remove(ItemRules.BACKUP_LABEL);
                    labels.remove(ItemRules.RESTORE_LABEL);
                    if (labels.isEmpty()) {
                        metadata.remove("labels");
                    }
                }
            }
            return copy;
        }

        private void reportProgress() {
            Instant now = clock.instant();
            if (Duration.between(lastProgress, now).compareTo(PROGRESS_INTERVAL) >= 0) {
                lastProgress = now;
                restores.updateProgress(restore.project(), restore.name(), new Restore.Progress(done, total));
            }
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
