package io.lifeboat.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveWriter;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterSession;
import io.lifeboat.cluster.ClusterSession.SourceException;
import io.lifeboat.cluster.ClusterSessions;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.discovery.Discovery;
import io.lifeboat.encryption.BackupKey;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.KeyException;
import io.lifeboat.disk.DiskException;
import io.lifeboat.disk.DiskSnapshot;
import io.lifeboat.disk.DiskSnapshotTaker;
import io.lifeboat.disk.DiskSnapshots;
import io.lifeboat.disk.VeleroVolumeSnapshots;
import io.lifeboat.location.DiskSnapshotsFactory;
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
import io.lifeboat.signal.RunEnded;
import io.lifeboat.signal.RunSignals;
import io.lifeboat.snapshot.SnapshotTaker;
import io.lifeboat.work.Pause;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one backup ({@link RunSkeleton}: claimed, executed, finished): opens the cluster's session and discovers its
 * types, streams the archive and its companion files into the location ({@link BackupFiles}; each item to the
 * archive, the resource list and the {@link ManifestWriter}), snapshots the claims' volumes ({@link SnapshotTaker}),
 * then commits and verifies the files and writes {@code velero-backup.json} last. On failure the files are cleaned
 * up, so a failed backup leaves nothing behind.
 */
public final class BackupExecutor extends RunSkeleton<Backup, BackupExecutor.Run, Backup.Outcome> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIRST_ERRORS = 10;
    private static final String PERSISTENT_VOLUMES = "persistentvolumes";

    private final BackupRepository backups;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    private final ClusterSessions sessions;
    private final ObjectStoreFactory stores;
    private final Pause pause;
    private final Settings settings;
    private final BackupKeys keys;
    private final DiskSnapshotsFactory disks;

    /**
     * Page size of lists, how list failures are retried, how long the volume snapshots of a backup may take to be
     * ready (all together), and how often they are looked at meanwhile.
     */
    public record Settings(int pageSize, int attempts, long firstRetryDelayMillis, Duration snapshotTimeout,
                           Duration snapshotPoll) {
        public Settings(int pageSize, int attempts, long firstRetryDelayMillis, Duration snapshotTimeout) {
            this(pageSize, attempts, firstRetryDelayMillis, snapshotTimeout, Duration.ofMillis(200));
        }

        public static Settings defaults() {
            return new Settings(500, 4, 250, Duration.ofMinutes(10));
        }
    }

    public BackupExecutor(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                          ClusterSessions sessions, ObjectStoreFactory stores, Clock clock, Settings settings) {
        this(backups, clusters, locations, sessions, stores, clock, Pause.SLEEP, settings, RunSignals.NONE);
    }

    /** With the signals told when a run ends (metrics, events, webhooks). */
    public BackupExecutor(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                          ClusterSessions sessions, ObjectStoreFactory stores, Clock clock, Settings settings,
                          RunSignals signals) {
        this(backups, clusters, locations, sessions, stores, clock, Pause.SLEEP, settings, signals);
    }

    /** With how the run waits between looks at snapshots and between retries (the clock's own pause in tests). */
    public BackupExecutor(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                          ClusterSessions sessions, ObjectStoreFactory stores, Clock clock, Pause pause,
                          Settings settings) {
        this(backups, clusters, locations, sessions, stores, clock, pause, settings, RunSignals.NONE);
    }

    public BackupExecutor(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                          ClusterSessions sessions, ObjectStoreFactory stores, Clock clock, Pause pause,
                          Settings settings, RunSignals signals) {
        this(backups, clusters, locations, sessions, stores, clock, pause, settings, signals, BackupKeys.NONE,
                DiskSnapshotsFactory.NONE);
    }

    /** With the key service that makes the data keys of backups into encrypted locations. */
    public BackupExecutor(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                          ClusterSessions sessions, ObjectStoreFactory stores, Clock clock, Pause pause,
                          Settings settings, RunSignals signals, BackupKeys keys) {
        this(backups, clusters, locations, sessions, stores, clock, pause, settings, signals, keys,
                DiskSnapshotsFactory.NONE);
    }

    /** With how native snapshots reach the clouds' disks ("include all disks" with a location in native or auto mode). */
    public BackupExecutor(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                          ClusterSessions sessions, ObjectStoreFactory stores, Clock clock, Pause pause,
                          Settings settings, RunSignals signals, DiskSnapshotsFactory disks) {
        this(backups, clusters, locations, sessions, stores, clock, pause, settings, signals, BackupKeys.NONE, disks);
    }

    /** With the key service of encrypted backups and how native snapshots reach the clouds' disks. */
    public BackupExecutor(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                          ClusterSessions sessions, ObjectStoreFactory stores, Clock clock, Pause pause,
                          Settings settings, RunSignals signals, BackupKeys keys, DiskSnapshotsFactory disks) {
        super(clock, signals);
        this.keys = keys;
        this.disks = disks;
        this.backups = backups;
        this.clusters = clusters;
        this.locations = locations;
        this.sessions = sessions;
        this.stores = stores;
        this.pause = pause;
        this.settings = settings;
    }

    /**
     * One run: the backup as started, its log and results, and the VolumeSnapshots it created, recorded even when
     * it fails, so that they are deleted with the backup.
     */
    record Run(Backup backup, RunLog log, Results results, List<VolumeSnapshot> created,
               List<DiskSnapshot> createdDisks) {
    }

    @Override
    protected Optional<Backup> find(String project, String name) {
        return backups.find(project, name);
    }

    @Override
    protected boolean isNew(Backup backup) {
        return backup.phase() == Backup.Phase.New;
    }

    @Override
    protected boolean claim(String project, String name, Instant startedAt) {
        return backups.claim(project, name, startedAt);
    }

    @Override
    protected Run start(Backup requested, Instant startedAt, RunLog log, Results results) {
        Backup backup = requested.started(startedAt);
        log.info("backup " + backup.name() + " of cluster " + backup.cluster() + " into location " + backup.location()
                + " started");
        return new Run(backup, log, results, new ArrayList<>(), new ArrayList<>());
    }

    @Override
    protected Backup.Outcome failed(Run run, RunFailure failure) {
        Results results = run.results();
        return new Backup.Outcome(Backup.Phase.Failed, run.backup().progress(), clock.instant(), 0, null,
                results.warningCount(), results.errorCount(), results.firstErrors(FIRST_ERRORS),
                run.created().stream().filter(s -> s.volumeSnapshotName() != null).toList(), List.of(),
                run.createdDisks().stream().filter(s -> s.snapshotId() != null).toList());
    }

    @Override
    protected void record(String project, String name, Backup.Outcome outcome) {
        backups.finish(project, name, outcome);
    }

    @Override
    protected Backup finished(Run run, Backup.Outcome outcome) {
        return run.backup().finishedWith(outcome);
    }

    @Override
    protected RunEnded ended(Backup finished) {
        return BackupEnded.of(finished);
    }

    @Override
    protected Backup.Outcome execute(Run run) {
        Backup backup = run.backup();
        Cluster cluster = clusters.find(backup.project(), backup.cluster())
                .orElseThrow(() -> new RunFailure("cluster " + backup.cluster() + " no longer exists"));
        Location location = locations.find(backup.project(), backup.location())
                .orElseThrow(() -> new RunFailure("location " + backup.location() + " no longer exists"));
        Redactor redactor = new Redactor(location.secretValues());
        BackupWalker.Retry retry = new BackupWalker.Retry(settings.attempts(), settings.firstRetryDelayMillis(), pause);
        try (ClusterSession session = sessions.open(cluster.kubeconfig(), cluster.context())) {
            Discovery discovered;
            try {
                discovered = retry.call("discovery", session::discover);
            } catch (SourceException e) {
                throw new RunFailure("the cluster could not be read: " + e.getMessage(), e);
            }
            ExecutorService prefetch = Executors.newFixedThreadPool(BackupWalker.LOOKAHEAD + 1, runnable -> {
                Thread thread = new Thread(runnable, "lifeboat-list-prefetch");
                thread.setDaemon(true);
                return thread;
            });
            try (ObjectStore store = stores.open(location);
                 BackupKey key = dataKey(backup)) {
                return write(run, location, store, key, new BackupWalker(session, retry, prefetch), discovered);
            } catch (StoreException e) {
                throw new RunFailure("the location failed: " + e.reason() + ": " + redactor.scrub(e.getMessage()), e);
            } catch (KeyException e) {
                throw new RunFailure("the backup's data key could not be made with KMS key "
                        + backup.encryption().kmsKeyId() + ": " + e.reason() + ": " + redactor.scrub(e.getMessage()), e);
            } finally {
                prefetch.shutdownNow();
            }
        } catch (RuntimeException e) {
            if (e instanceof RunFailure) {
                throw e;
            }
            throw new RunFailure("the backup failed: " + redactor.scrub(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * A fresh data key for a backup into an encrypted location (null for one that is not), wrapped by the KMS key its
     * record names.
     */
    private BackupKey dataKey(Backup backup) {
        return backup.encrypted() ? keys.create(backup.encryption().kmsKeyId(),
                BackupKeys.backupContext(backup.project(), backup.name())) : null;
    }

    /** Walks the cluster into the files, snapshots the claims, then commits, verifies and completes the files. */
    private Backup.Outcome write(Run run, Location location, ObjectStore store, BackupKey key, BackupWalker walker,
                                 Discovery discovered) {
        Backup backup = run.backup();
        RunLog log = run.log();
        Results results = run.results();
        if (key != null) {
            log.info("encrypting every file with a data key of this backup's own, wrapped by KMS key "
                    + backup.encryption().kmsKeyId() + " (" + key.header().chunkBytes() + "-byte chunks)");
        }
        if (backup.retention() != null) {
            log.info("locking every file until " + backup.retention().retainUntil() + " ("
                    + backup.retention().mode().wireName() + " mode)");
        }
        BackupFiles files = new BackupFiles(store, location.prefix(), backup.name(), key, backup.retention());
        try (ArchiveWriter archive = new ArchiveWriter(files.tarball())) {
            archive.writeVersion();
            ResourceListWriter resourceList = new ResourceListWriter(files.resourceList());
            ManifestWriter manifest = new ManifestWriter(files.manifest(), backup.name());
            Map<String, ObjectNode> volumes = new HashMap<>();
            ItemSink sink = (type, item) -> {
                if (type.groupResource().equals(PERSISTENT_VOLUMES)) {
                    volumes.put(item.path("metadata").path("name").asText(), item);
                }
                String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
                String itemName = item.path("metadata").path("name").asText();
                byte[] json = bytes(item);
                archive.writeItem(type.groupResource(), type.version(), namespace, itemName, json);
                resourceList.add(type.resourceListKey(), namespace, itemName);
                manifest.add(type.groupResource(), namespace, itemName, json);
            };
            ProgressThrottle throttle = new ProgressThrottle(clock);
            BackupWalker.Walk walk = walker.walk(discovered, backup.options(settings.pageSize()), sink, results,
                    (items, total) -> {
                        if (throttle.due()) {
                            backups.updateProgress(backup.project(), backup.name(), new Backup.Progress(items, total));
                        }
                    });
            logTypes(walk.typeCounts(), log);
            List<VolumeSnapshot> snapshots = List.of();
            List<DiskSnapshot> diskSnapshots = List.of();
            if (backup.includeDisks()) {
                DiskChoice choice = DiskChoice.of(location.snapshotMode(), walker.source(), walk.claims(), volumes, log);
                Instant snapshotsStarted = clock.instant();
                diskSnapshots = takeDiskSnapshots(run, location, choice.natively());
                // both kinds share the one deadline: CSI snapshots get what the native ones left
                Duration left = choice.natively().isEmpty() ? settings.snapshotTimeout()
                        : settings.snapshotTimeout().minus(Duration.between(snapshotsStarted, clock.instant()));
                snapshots = new SnapshotTaker(clock, pause, left.isNegative() ? Duration.ZERO : left,
                        settings.snapshotPoll())
                        .take(walker.source(), backup.project(), backup.name(), choice.byCsi(), run.created(), log, results);
            }

            ArchiveWriter.Summary summary = archive.finish();
            resourceList.finish();
            manifest.finish(summary, walk.items(), walk.itemsPerType());
            files.commitUploads();
            log.info("archive verified: " + files.storedTarballBytes() + " bytes stored, sha256 "
                    + files.storedTarballSha256()
                    + (key != null ? " (encrypted; the tarball inside: " + summary.sizeBytes() + " bytes, sha256 "
                    + summary.sha256() + ")" : "")
                    + (files.tarballVerifiedByStore() ? " (the store proved it holds the bytes sent; not read back)"
                    : " (read back)"));

            Backup.Phase phase = results.errorCount() > 0 ? Backup.Phase.PartiallyFailed : Backup.Phase.Completed;
            Backup.Progress finalProgress = new Backup.Progress(walk.items(), walk.items());
            Backup.Outcome outcome = new Backup.Outcome(phase, finalProgress, clock.instant(),
                    files.storedTarballBytes(), files.storedTarballSha256(), results.warningCount(),
                    results.errorCount(), results.firstErrors(FIRST_ERRORS), snapshots, walk.typeCounts(), diskSnapshots,
                    key == null ? null : backup.encryption().withPlaintext(summary.sizeBytes(), summary.sha256()));
            log.info("backup " + backup.name() + " " + phase + ": " + walk.items() + " items, " + results.warningCount()
                    + " warnings, " + results.errorCount() + " errors");
            files.putAll(Map.of(BackupFile.VOLUME_SNAPSHOTS, Gzip.json(JSON, VeleroVolumeSnapshots.of(diskSnapshots,
                            backup.name(), null, location.name())),
                    BackupFile.LIFEBOAT_CSI_SNAPSHOTS, Gzip.json(JSON, snapshots),
                    BackupFile.RESULTS, Gzip.json(JSON, results.toVelero()),
                    BackupFile.LOGS, Gzip.text(log.text())));
            // Last, so that Velero's sync never sees a backup whose files are not all there.
            files.put(BackupFile.BACKUP_JSON, VeleroBackupDocument.of(backup.finishedWith(outcome), location.name(),
                    clock.instant()));
            files.verifySizes();
            return outcome;
        } catch (RuntimeException e) {
            List<String> locked = files.cleanUp();
            if (!locked.isEmpty()) {
                results.errorOfRun(locked.size() + " files written before the failure are locked until "
                        + backup.retention().retainUntil() + " and were left: deleting the backup removes them then");
            }
            throw e;
        }
    }

    /**
     * The native snapshots of the claims chosen for them, through the location's cloud; when the cloud cannot be
     * reached at all, each of those claims is an error of its namespace with the reason.
     */
    private List<DiskSnapshot> takeDiskSnapshots(Run run, Location location, List<DiskSnapshotTaker.ClaimDisk> claims) {
        if (claims.isEmpty()) {
            return List.of();
        }
        Backup backup = run.backup();
        DiskSnapshotTaker taker = new DiskSnapshotTaker(clock, pause, settings.snapshotTimeout(), settings.snapshotPoll());
        try (DiskSnapshots cloud = disks.open(location)) {
            return taker.take(cloud, backup.project(), backup.name(), claims, run.createdDisks(), run.log(), run.results());
        } catch (DiskException e) {
            String reason = "the disks of location " + location.name() + "'s cloud cannot be reached: " + e.code() + ": "
                    + new Redactor(location.secretValues()).scrub(e.getMessage());
            for (DiskSnapshotTaker.ClaimDisk claim : claims) {
                run.results().error(claim.namespace(), "disk of claim " + claim.claim() + " was not snapshotted: " + reason);
            }
            run.log().error(reason);
            return claims.stream().map(c -> DiskSnapshot.refused(c.namespace(), c.claim(), c.volumeName(), reason)).toList();
        }
    }

    /** One line per type the server serves: what the backup holds of it, or why nothing. */
    private static void logTypes(List<Backup.TypeCount> counts, RunLog log) {
        for (Backup.TypeCount count : counts) {
            String type = count.kind() == null ? count.resource() : count.resource() + " (" + count.apiVersion() + " " + count.kind() + ")";
            if (count.error() != null) {
                log.error(type + ": " + count.items() + " items backed up; " + count.error());
            } else if (count.skipped() != null) {
                log.info(type + ": not backed up: " + count.skipped());
            } else {
                log.info(type + ": " + count.items() + " items backed up");
            }
        }
    }

    private static byte[] bytes(ObjectNode item) {
        try {
            return JSON.writeValueAsBytes(item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
