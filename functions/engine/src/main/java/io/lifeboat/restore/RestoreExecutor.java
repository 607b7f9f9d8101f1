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
import io.lifeboat.backup.BackupObjects;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.KeyException;
import io.lifeboat.encryption.TamperedObjectException;
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
import io.lifeboat.objectstore.Upload;
import io.lifeboat.run.Gzip;
import io.lifeboat.run.ProgressThrottle;
import io.lifeboat.run.Results;
import io.lifeboat.run.RunFailure;
import io.lifeboat.run.RunLog;
import io.lifeboat.run.RunSkeleton;
import io.lifeboat.secret.Redactor;
import io.lifeboat.snapshot.SnapshotRestorer;
import io.lifeboat.disk.Cloud;
import io.lifeboat.disk.DiskException;
import io.lifeboat.disk.DiskRestorer;
import io.lifeboat.disk.DiskSnapshotNames;
import io.lifeboat.disk.DiskSnapshot;
import io.lifeboat.disk.DiskSnapshots;
import io.lifeboat.disk.TargetNode;
import io.lifeboat.location.DiskSnapshotsFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * Runs one restore ({@link RunSkeleton}: claimed, executed, finished): opens the target's session and checks it
 * (storage classes the mapping names must exist), reads the archive once into a local spool (refusing a tampered or
 * unsafe one before anything is applied), judges every item once ({@link RestorePlan}), then applies the judged items
 * in Velero's order ({@link ItemApplier}, {@link RestoreOrder#steps}), waiting for CRDs' types to be served before
 * their custom resources, and re-creating the snapshots claims are provisioned from ({@link SnapshotRestorer}) just
 * before the claims. Before a type is applied, the target's objects of it are listed ({@link LiveObjects}), so that an
 * object that exists costs no refused create. A step holds one type, or all the types whose order is free; its items
 * are applied pipelined: one thread reads the spool and starts each item's apply as soon as the step's window
 * ({@link ApplyWindow}) has a place, the requests hold no thread while they are under way, and the next step waits
 * for them all. One object the API server refuses is an error of that object; the rest goes on.
 *
 * <p>A dry run ({@code dryRun}) goes the same way up to the judgement, then decides each judged item with reads only
 * ({@link DryRun}) and writes its plan ({@link DryRunPlan}) beside its results, in place of applying anything.
 */
public final class RestoreExecutor extends RunSkeleton<Restore, RestoreExecutor.Run, Restore.Outcome> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Applies under way at once across all the types of one step. A restore is one client of the API server: API
     * Priority and Fairness puts its requests in one flow of one priority level, gives that flow a fair share of the
     * level's seats (all of them while no other flow wants any), queues what goes beyond its share, and answers 429
     * when its queues are full, which the cluster adapter waits out (Retry-After) without an error. So the window need
     * not guess the server's capacity, which paces the restore by itself; it bounds what one restore holds instead:
     * 64 requests (each with its item in memory and, over HTTP/1.1, a connection of the client's pool). That is enough
     * to hide a round trip of tens of milliseconds (64 in flight at 50 ms is about 1,300 items a second) and little
     * beside the hundreds of requests a priority level's queues take before they refuse.
     */
    static final int STEP_IN_FLIGHT = 64;
    /**
     * Applies of one type under way at once when its step has other types to apply: half the step's window, so that
     * a type the server is slow with (an admission webhook, big objects) leaves the other half to the other types of
     * its step. A type alone in its step (Secrets, ConfigMaps: each a priority of its own) takes the whole window.
     */
    static final int TYPE_IN_FLIGHT = 32;
    /** Types of one step open at once: listed (a custom type's CRD awaited first) on threads of their own, then fed. */
    static final int TYPES_AT_ONCE = 4;
    /** Threads that go on after each answer (decide, count, record progress); no thread waits on a request. */
    static final int DECIDING_THREADS = 2;
    /** The most objects of one type listed from the target: past it, existing objects are found by refused creates. */
    static final long MOST_LISTED = 300_000;
    private static final String CLAIMS = "persistentvolumeclaims";
    /** A dry run plans the native disks it would make under this resource (no Kubernetes type: the cloud's disks). */
    static final String DISKS = "disks";

    private final RestoreRepository restores;
    private final BackupRepository backups;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    private final ClusterSessions sessions;
    private final ObjectStoreFactory stores;
    private final Duration crdTimeout;
    private final ArchiveLimits limits;
    private final Path spoolRoot;
    private final BackupKeys keys;
    private final DiskSnapshotsFactory disks;

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
        this(restores, backups, clusters, locations, sessions, stores, clock, crdTimeout, limits, spoolRoot, signals,
                BackupKeys.NONE, DiskSnapshotsFactory.NONE);
    }

    /** With the key service that opens the data keys of encrypted backups. */
    public RestoreExecutor(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                           LocationRepository locations, ClusterSessions sessions, ObjectStoreFactory stores, Clock clock,
                           Duration crdTimeout, ArchiveLimits limits, Path spoolRoot, RunSignals signals,
                           BackupKeys keys) {
        this(restores, backups, clusters, locations, sessions, stores, clock, crdTimeout, limits, spoolRoot, signals,
                keys, DiskSnapshotsFactory.NONE);
    }

    /** With how disks are made from the backups' native snapshots (restorePVs). */
    public RestoreExecutor(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                           LocationRepository locations, ClusterSessions sessions, ObjectStoreFactory stores, Clock clock,
                           Duration crdTimeout, ArchiveLimits limits, Path spoolRoot, RunSignals signals,
                           DiskSnapshotsFactory disks) {
        this(restores, backups, clusters, locations, sessions, stores, clock, crdTimeout, limits, spoolRoot, signals,
                BackupKeys.NONE, disks);
    }

    /** With the key service of encrypted backups and how disks are made from their native snapshots. */
    public RestoreExecutor(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                           LocationRepository locations, ClusterSessions sessions, ObjectStoreFactory stores, Clock clock,
                           Duration crdTimeout, ArchiveLimits limits, Path spoolRoot, RunSignals signals,
                           BackupKeys keys, DiskSnapshotsFactory disks) {
        super(clock, signals);
        this.keys = keys;
        this.disks = disks;
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
        ExecutorService decisions = daemons(DECIDING_THREADS, "lifeboat-restore-apply");
        ExecutorService lists = daemons(TYPES_AT_ONCE, "lifeboat-restore-list");
        try {
            return run.execute(decisions, lists);
        } finally {
            decisions.shutdownNow();
            lists.shutdownNow();
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
        /** A dry run's account of the items, once its plan is written. */
        private Restore.PlanCounts plan;

        Run(Restore restore, RunLog log, Results results) {
            this.restore = restore;
            this.log = log;
            this.results = results;
        }

        synchronized Restore.Outcome outcome(Restore.Phase phase) {
            return new Restore.Outcome(phase, new Restore.Progress(done, total), new Restore.Counts(created, updated, skipped),
                    clock.instant(), results.warningCount(), results.errorCount(), results.summary(Results.ON_RECORD),
                    plan);
        }

        Restore.Outcome execute(ExecutorService decisions, ExecutorService lists) {
            Backup backup = backups.find(restore.project(), restore.backup())
                    .orElseThrow(() -> new RunFailure("backup " + restore.backup() + " no longer exists"));
            Location location = locations.find(restore.project(), backup.location())
                    .orElseThrow(() -> new RunFailure("location " + backup.location() + " no longer exists"));
            Cluster cluster = clusters.find(restore.project(), restore.targetCluster())
                    .orElseThrow(() -> new RunFailure("cluster " + restore.targetCluster() + " no longer exists"));
            Redactor redactor = new Redactor(location.secretValues());
            log.info("restore " + restore.name() + " of backup " + backup.name() + " into cluster " + cluster.name() + " started");
            boolean dryRun = restore.request().dryRun();
            if (dryRun) {
                log.info("a dry run: nothing is written to cluster " + cluster.name() + "; the plan goes to "
                        + Layout.RestoreFile.DRY_RUN_PLAN.fileName(restore.name()));
            }
            RestoreOptions options = restore.request().options(backup.name(), restore.name());
            VolumePlan volumes = new VolumePlan(options, backup.volumeSnapshots(), backup.diskSnapshots());
            try (ClusterSession target = sessions.open(cluster.kubeconfig(), cluster.context());
                 ObjectStore store = stores.open(location)) {
                target.type("namespaces"); // reach the cluster before reading the archive: an unreachable one fails fast
                checkStorageClasses(target, options);
                Upload planUpload = dryRun ? store.upload(Layout.restoreObject(location.prefix(), restore.name(),
                        Layout.RestoreFile.DRY_RUN_PLAN)) : null;
                try (BackupObjects objects = new BackupObjects(store, location.prefix(), backup, keys);
                     BackupObjects.Read in = open(objects);
                     ArchiveSpool spool = ArchiveSpool.read(in, objects.tarballSha256(), limits, spoolRoot)) {
                    String changed = objects.storedMismatch(in);
                    if (changed != null) {
                        throw new ArchiveReader.ArchiveException(changed);
                    }
                    spool.forEach(RestorePlan.PERSISTENT_VOLUMES, volumes::add); // a claim's fate follows its volume's
                    GZIPOutputStream planGzip = dryRun ? new GZIPOutputStream(planUpload, 64 * 1024) : null;
                    DryRunPlan dryRunPlan = dryRun ? new DryRunPlan(planGzip, restore) : null;
                    if (dryRun) {
                        planDisks(target, options, volumes, dryRunPlan); // a dry run makes no disk: it plans them
                    } else {
                        makeDisks(target, location, options, volumes, redactor);
                    }
                    NeededClusterObjects needed = new NeededClusterObjects();
                    ItemRules rules = new ItemRules(options, volumes, needed);
                    Map<String, Boolean> scopes = scopes(target, spool);
                    RestorePlan plan = RestorePlan.judge(spool, scopes, rules,
                            dryRun ? recorded(rules, dryRunPlan) : rules::decide, needed, log, results);
                    synchronized (this) {
                        total = plan.total();
                    }
                    log.info("the archive is intact: " + spool.total() + " items, " + plan.total() + " to restore");
                    if (dryRun) {
                        dryRun(new DryRun(target, restore, results, log, dryRunPlan), spool, plan, options, volumes);
                        Restore.PlanCounts counts = dryRunPlan.finish();
                        planGzip.finish();
                        planUpload.commit();
                        synchronized (this) {
                            this.plan = counts;
                        }
                        return finishDryRun(store, location);
                    }
                    ItemApplier applier = new ItemApplier(target, results, restore.request().update(),
                            restore.request().includeClusterResources(), decisions);
                    SnapshotRestorer snapshots = new SnapshotRestorer(target, restore.targetCluster(),
                            Map.of(ItemRules.RESTORE_LABEL, restore.name()), log, results);
                    for (List<String> step : RestoreOrder.steps(spool.resourceFolders())) {
                        if (step.contains(CLAIMS)) {
                            volumes.snapshotsToRestore().forEach(v -> snapshots.restore(v,
                                    options.targetNamespace(v.namespace()), volumes.restoredSnapshotName(v)));
                        }
                        restoreStep(target, spool, step, plan, applier, lists);
                    }
                } catch (IOException e) {
                    throw new RunFailure("the archive could not be read: " + e.getMessage(), e);
                } finally {
                    if (planUpload != null) {
                        planUpload.abort(); // nothing when it was committed
                    }
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
         * The tarball, through {@link BackupObjects}: decrypted as it streams when the backup is encrypted, its data key
         * opened first. A header that is missing or not the record's refuses the archive; a key service that fails
         * fails the restore.
         */
        private BackupObjects.Read open(BackupObjects objects) {
            try {
                BackupObjects.Read in = objects.open(Layout.BackupFile.TARBALL);
                if (objects.backup().encrypted()) {
                    log.info("the backup is encrypted: its files are decrypted as they stream, each chunk checked");
                }
                return in;
            } catch (TamperedObjectException e) {
                throw new ArchiveReader.ArchiveException(e.getMessage(), e);
            } catch (KeyException e) {
                throw new RunFailure("the backup's data key could not be unwrapped with KMS key "
                        + objects.backup().encryption().kmsKeyId() + ": " + e.reason() + ": " + e.getMessage(), e);
            }
        }

        /**
         * The restore's own judgement of each item, with what it leaves out or refuses written into the dry run's
         * plan as well.
         */
        private RestorePlan.Decider recorded(ItemRules rules, DryRunPlan dryRunPlan) {
            return (folder, namespaced, archived) -> {
                ItemRules.Decision decision = rules.decide(folder, namespaced, archived);
                if (decision.refused() != null) {
                    dryRunPlan.item(folder, archived.namespace(), archived.name(), DryRunPlan.Action.refused,
                            decision.refused(), null);
                } else if (!decision.applies()) {
                    dryRunPlan.item(folder, archived.namespace(), archived.name(), DryRunPlan.Action.excluded,
                            decision.skipped(), null);
                }
                return decision;
            };
        }

        /** Every judged item decided in restore order, with reads only; counted as the restore would count it. */
        private void dryRun(DryRun dry, ArchiveSpool spool, RestorePlan plan, RestoreOptions options, VolumePlan volumes) {
            for (List<String> step : RestoreOrder.steps(spool.resourceFolders())) {
                if (step.contains(CLAIMS)) {
                    dry.snapshots(volumes.snapshotsToRestore(), options, volumes);
                }
                for (String folder : step) {
                    if (plan.toApply(folder) > 0) {
                        dry.type(spool, folder, plan, action -> {
                            switch (action) {
                                case create -> count(() -> created++);
                                case update -> count(() -> updated++);
                                case identical, conflict -> count(() -> skipped++);
                                default -> {
                                }
                            }
                            progressed();
                        });
                    }
                }
            }
        }

        /** A dry run's end: its log and results beside its plan (no resource list: it restored nothing). */
        private Restore.Outcome finishDryRun(ObjectStore store, Location location) {
            Restore.Phase phase = results.errorCount() > 0 ? Restore.Phase.PartiallyFailed : Restore.Phase.Completed;
            Restore.PlanCounts counts = plan;
            log.info("dry run " + restore.name() + " " + phase + ": " + counts.create() + " to create, "
                    + counts.identical() + " identical, " + counts.update() + " to update, " + counts.conflict()
                    + " conflicts, " + counts.refused() + " refused, " + counts.excluded() + " excluded; nothing was "
                    + "written to the cluster");
            String prefix = location.prefix();
            store.put(Layout.restoreObject(prefix, restore.name(), Layout.RestoreFile.RESULTS), Gzip.json(JSON, results.toVelero()));
            store.put(Layout.restoreObject(prefix, restore.name(), Layout.RestoreFile.LOGS), Gzip.text(log.text()));
            return outcome(phase);
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

        /**
         * The disks made from the backup's native snapshots (restorePVs), once the archive is known to be intact and
         * before any item is judged, so that their volumes are restored pointing at them.
         */
        private void makeDisks(ClusterSession target, Location location, RestoreOptions options, VolumePlan volumes,
                               Redactor redactor) {
            List<DiskSnapshot> snapshots = disksToMake(target, volumes);
            if (snapshots.isEmpty()) {
                return;
            }
            Map<Cloud, TargetNode> nodes = targetNodes(target);
            try (DiskSnapshots cloud = disks.open(location)) {
                volumes.disksMade(new DiskRestorer(cloud, log, results).restore(restore.project(), restore.name(),
                        snapshots, options.zoneMapping(), options::targetNamespace, nodes.get(cloud.cloud())));
            } catch (DiskException e) {
                String reason = "the disks of location " + location.name() + "'s cloud cannot be reached: " + e.code()
                        + ": " + redactor.scrub(String.valueOf(e.getMessage()));
                for (DiskSnapshot snapshot : snapshots) {
                    results.error(options.targetNamespace(snapshot.namespace()), "claim "
                            + snapshot.persistentVolumeClaim() + " cannot be restored from its snapshot: " + reason);
                }
            }
        }

        /**
         * The native snapshots of the included claims (restorePVs) that a disk is made from: not those whose volume
         * exists on the target, which is kept (Velero's rule): a disk made for it would be left unused.
         */
        private List<DiskSnapshot> disksToMake(ClusterSession target, VolumePlan volumes) {
            List<DiskSnapshot> wanted = volumes.diskSnapshotsToRestore();
            if (wanted.isEmpty()) {
                return List.of();
            }
            Optional<ResourceType> pvs = target.type(RestorePlan.PERSISTENT_VOLUMES);
            List<String> existing = pvs.isEmpty() ? List.of() : wanted.stream().map(DiskSnapshot::persistentVolume)
                    .filter(v -> target.get(pvs.get(), null, v).isPresent()).toList();
            volumes.disksKept(existing);
            existing.forEach(v -> log.info("persistentvolume " + v + " exists on the target: no disk is made from its "
                    + "snapshot"));
            return wanted.stream().filter(s -> !existing.contains(s.persistentVolume())).toList();
        }

        /**
         * A dry run's disks: what {@link #makeDisks} would make, written into the plan (resource {@code disks}, named
         * as the disk would be), with no cloud asked and nothing made. A zone mapping into another region is refused
         * as the restore refuses it; what only the cloud can refuse (credentials, quotas, a snapshot it lost) is not
         * known to a dry run. The volumes of the planned disks take the fate they would have once their disk is made.
         */
        private void planDisks(ClusterSession target, RestoreOptions options, VolumePlan volumes, DryRunPlan dryRunPlan) {
            List<String> planned = new ArrayList<>();
            List<DiskSnapshot> toMake = disksToMake(target, volumes);
            Map<Cloud, TargetNode> nodes = toMake.isEmpty() ? Map.of() : targetNodes(target);
            for (DiskSnapshot snapshot : toMake) {
                String namespace = options.targetNamespace(snapshot.namespace());
                String claim = snapshot.persistentVolumeClaim();
                String name = DiskSnapshotNames.of(restore.project(), restore.name(), namespace, claim);
                String zone = DiskRestorer.zoneOf(snapshot, options.zoneMapping());
                String refused = DiskRestorer.placeRefusal(snapshot, zone, nodes.get(snapshot.cloud()));
                if (refused != null) {
                    String why = "claim " + claim + " cannot be restored from snapshot " + snapshot.snapshotId() + ": "
                            + refused;
                    results.error(namespace, why);
                    dryRunPlan.item(DISKS, namespace, name, DryRunPlan.Action.refused, why, null);
                    continue;
                }
                dryRunPlan.item(DISKS, namespace, name, DryRunPlan.Action.create, "a " + snapshot.cloud() + " disk from "
                        + "snapshot " + snapshot.snapshotId() + " of disk " + snapshot.volumeId()
                        + (zone == null ? "" : ", in zone " + zone) + ", for claim " + claim + "; volume "
                        + snapshot.persistentVolume() + " is restored pointing at it", null);
                planned.add(snapshot.persistentVolume());
            }
            volumes.disksPlanned(planned);
        }

        /**
         * For each cloud, the first node of the target cluster (of the first page of nodes) that says where it runs
         * there ({@code spec.providerID}); empty when none does, or the nodes cannot be read (said in the log). A
         * cloud's disks are made where its node runs.
         */
        private Map<Cloud, TargetNode> targetNodes(ClusterSession target) {
            Map<Cloud, TargetNode> found = new EnumMap<>(Cloud.class);
            Optional<ResourceType> nodes = target.type("nodes");
            if (nodes.isPresent()) {
                try {
                    for (ObjectNode item : target.list(nodes.get(), null, null, 100).items()) {
                        TargetNode node = TargetNode.of(item);
                        if (node != null && !found.containsKey(node.cloud())) {
                            found.put(node.cloud(), node);
                            log.info(node.cloud() + " disks are made where the target cluster's " + node.describe()
                                    + " runs");
                        }
                    }
                } catch (ClusterSession.Rejected | ClusterSession.SourceException e) {
                    // RBAC may let a restore write namespaces without reading nodes: the disks are still made
                    log.warn("the target cluster's nodes could not be read (" + e.getMessage() + "): disks are made "
                            + "where their snapshots' disks were");
                    return Map.of();
                }
            }
            if (found.isEmpty()) {
                log.info("no node of the target cluster says where it runs (spec.providerID): disks are made where "
                        + "their snapshots' disks were");
            }
            return found;
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
         * Applies the judged items of the step's types, and returns when every one has been applied. This thread reads
         * the spool and starts each item's apply as soon as the step's window has a place for it (at most
         * {@value #STEP_IN_FLIGHT} of the step and {@value #TYPE_IN_FLIGHT} of one type, unless it is the step's only
         * type to apply), and waits only when no
         * place is free. Up to {@value #TYPES_AT_ONCE} types are open at once, each prepared on {@code lists} (its CRD
         * awaited, the target's objects of it listed) and then fed in turn with the others, so that a type that is slow
         * to prepare or to apply does not hold back the rest of its step.
         */
        private void restoreStep(ClusterSession target, ArchiveSpool spool, List<String> step, RestorePlan plan,
                                 ItemApplier applier, ExecutorService lists) {
            Deque<String> waiting = new ArrayDeque<>();
            step.stream().filter(folder -> plan.toApply(folder) > 0).forEach(waiting::add);
            ApplyWindow window = new ApplyWindow(STEP_IN_FLIGHT, waiting.size() > 1 ? TYPE_IN_FLIGHT : STEP_IN_FLIGHT);
            List<TypeFeed> open = new ArrayList<>();
            try {
                while (!waiting.isEmpty() || !open.isEmpty()) {
                    long seen = window.changes();
                    while (open.size() < TYPES_AT_ONCE && !waiting.isEmpty()) {
                        String folder = waiting.poll();
                        CompletableFuture<TypeFeed.Served> served = CompletableFuture.supplyAsync(
                                () -> serve(target, folder, plan), lists);
                        served.whenComplete((ready, failure) -> window.changed());
                        open.add(new TypeFeed(folder, served, spool));
                    }
                    boolean moved = false;
                    for (Iterator<TypeFeed> feeds = open.iterator(); feeds.hasNext(); ) {
                        throwIfFailed(window);
                        TypeFeed feed = feeds.next();
                        if (!feed.prepared()) {
                            continue;
                        }
                        TypeFeed.Served served = feed.served();
                        if (served == null) {
                            notServed(feed.folder(), plan);
                        } else {
                            moved |= feed(feed, served, applier, window);
                        }
                        if (served == null || feed.finished()) {
                            feed.close();
                            feeds.remove();
                            moved = true;
                        }
                    }
                    if (!moved) {
                        window.awaitChangeSince(seen);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunFailure("the restore was interrupted", e);
            } finally {
                open.forEach(TypeFeed::close);
                drain(window);
            }
            throwIfFailed(window);
        }

        /**
         * The type as the target serves it (for a custom type, once its CRD is served: awaited up to the CRD timeout),
         * and what the target holds of it; null when the target does not serve it.
         */
        private TypeFeed.Served serve(ClusterSession target, String folder, RestorePlan plan) {
            Optional<ResourceType> type = target.type(folder);
            if (type.isEmpty() && target.awaitType(folder, crdTimeout)) {
                type = target.type(folder);
            }
            if (type.isEmpty()) {
                return null;
            }
            LiveObjects listed = LiveObjects.read(target, type.get(), plan.namespaces(folder),
                    Math.min(MOST_LISTED, 2L * plan.toApply(folder) + 1000), log::info);
            return new TypeFeed.Served(type.get(), listed);
        }

        private void notServed(String folder, RestorePlan plan) {
            long lost = plan.toApply(folder);
            results.errorOfRun("cluster " + restore.targetCluster() + " does not serve " + folder + ": "
                    + lost + " items not restored");
            count(() -> done += lost);
        }

        /** Starts the type's next items while the window has places for them; whether any item was taken. */
        private boolean feed(TypeFeed feed, TypeFeed.Served served, ItemApplier applier, ApplyWindow window) {
            ResourceType type = served.type();
            boolean moved = false;
            for (ArchiveSpool.Item judged = feed.peek(); judged != null; judged = feed.peek()) {
                ObjectNode item = judged.object();
                if (type.namespaced() != item.path("metadata").has("namespace")) {
                    feed.take();
                    moved = true;
                    String refused = feed.folder() + " " + ItemRules.shown(judged.name()) + " is not restored: the "
                            + "target cluster serves " + feed.folder() + (type.namespaced() ? " in namespaces"
                            : " as cluster-scoped") + ", unlike the scope it was judged with";
                    results.error(null, refused);
                    log.error(refused);
                    progressed();
                    continue;
                }
                if (!window.tryEnter(feed.folder())) {
                    return moved;
                }
                feed.take();
                moved = true;
                start(type, item, served.listed(), feed.folder(), applier, window);
            }
            return moved;
        }

        /** Starts one apply; when it ends, it is counted and its place given back, or its failure kept. */
        private void start(ResourceType type, ObjectNode item, LiveObjects listed, String folder, ItemApplier applier,
                           ApplyWindow window) {
            CompletableFuture<ItemApplier.Applied> applied;
            try {
                applied = applier.apply(type, item, listed);
            } catch (RuntimeException e) {
                applied = CompletableFuture.failedFuture(e);
            }
            applied.whenComplete((result, failure) -> {
                try {
                    if (failure != null) {
                        window.failed(failure);
                    } else {
                        tally(type, item, result);
                        progressed();
                    }
                } catch (RuntimeException | Error e) {
                    window.failed(e);
                } finally {
                    window.leave(folder);
                }
            });
        }

        /** A failed apply fails the run as soon as the feeder sees it, never goes unnoticed. */
        private void throwIfFailed(ApplyWindow window) {
            Throwable failure = window.failure();
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new RunFailure("applying an item failed: " + failure, failure);
            }
        }

        /**
         * Waits until every apply started has ended, whatever ended the step, so that none counts or records progress
         * after the run's outcome; each one ends within its requests' timeouts. An interruption stops the wait.
         */
        private void drain(ApplyWindow window) {
            try {
                window.awaitEmpty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
