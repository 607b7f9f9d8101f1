package io.lifeboat.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.archive.ArchiveWriter;
import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.discovery.ClusterSource;
import io.lifeboat.discovery.ClusterSource.SourceException;
import io.lifeboat.discovery.ClusterSources;
import io.lifeboat.discovery.Discovery;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.ObjectStoreFactory;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.Upload;
import io.lifeboat.secret.Redactor;
import io.lifeboat.signal.RunSignals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * Runs one backup: claims it (so a second delivery of the same request does nothing), reads the cluster, streams the
 * archive and its companion files into the location in Velero's layout, verifies the archive, and records the
 * outcome. On failure it aborts the uploads and removes what it wrote, so a failed backup leaves nothing behind.
 */
public final class BackupExecutor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    private static final int FIRST_ERRORS = 10;

    private final BackupRepository backups;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    private final ClusterSources sources;
    private final ObjectStoreFactory stores;
    private final Clock clock;
    private final Settings settings;
    private final RunSignals signals;

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
                          ClusterSources sources, ObjectStoreFactory stores, Clock clock, Settings settings) {
        this(backups, clusters, locations, sources, stores, clock, settings, RunSignals.NONE);
    }

    /** With the signals told when a run ends (metrics, events, webhooks). */
    public BackupExecutor(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                          ClusterSources sources, ObjectStoreFactory stores, Clock clock, Settings settings,
                          RunSignals signals) {
        this.signals = signals;
        this.backups = backups;
        this.clusters = clusters;
        this.locations = locations;
        this.sources = sources;
        this.stores = stores;
        this.clock = clock;
        this.settings = settings;
    }

    /** Runs the backup if it is still New; returns its record afterwards (null if it no longer exists). */
    public Backup run(String project, String name) {
        Backup requested = backups.find(project, name).orElse(null);
        if (requested == null || requested.phase() != Backup.Phase.New) {
            return requested;
        }
        Instant started = clock.instant();
        if (!backups.claim(project, name, started)) {
            return backups.find(project, name).orElse(null);
        }
        Backup backup = requested.started(started);
        RunLog log = new RunLog(clock);
        Results results = new Results();
        log.info("backup " + name + " of cluster " + backup.cluster() + " into location " + backup.location() + " started");
        // the VolumeSnapshots this run created, recorded even when it fails, so that they are deleted with the backup
        List<Backup.VolumeSnapshot> created = new ArrayList<>();
        Backup.Outcome outcome;
        try {
            outcome = execute(backup, log, results, created);
        } catch (Failure e) {
            results.errorOfRun(e.getMessage());
            outcome = failed(backup, results, created);
        }
        backups.finish(project, name, outcome);
        signals.ended(BackupEnded.of(backup.finishedWith(outcome)));
        return backup.finishedWith(outcome);
    }

    private Backup.Outcome failed(Backup backup, Results results, List<Backup.VolumeSnapshot> created) {
        return new Backup.Outcome(Backup.Phase.Failed, backup.progress(), clock.instant(), 0, null,
                results.warningCount(), results.errorCount(), results.firstErrors(FIRST_ERRORS),
                created.stream().filter(s -> s.volumeSnapshotName() != null).toList());
    }

    /** A reason that ends the backup as Failed; its message is what the user sees. */
    private static final class Failure extends RuntimeException {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Backup.Outcome execute(Backup backup, RunLog log, Results results, List<Backup.VolumeSnapshot> created) {
        Cluster cluster = clusters.find(backup.project(), backup.cluster())
                .orElseThrow(() -> new Failure("cluster " + backup.cluster() + " no longer exists", null));
        Location location = locations.find(backup.project(), backup.location())
                .orElseThrow(() -> new Failure("location " + backup.location() + " no longer exists", null));
        Redactor redactor = new Redactor(location.secretValues());
        BackupWalker.Retry retry = new BackupWalker.Retry(settings.attempts(), settings.firstRetryDelayMillis());
        try (ClusterSource source = sources.open(cluster.kubeconfig(), cluster.context())) {
            Discovery discovered;
            try {
                discovered = retry.call("discovery", source::discover);
            } catch (SourceException e) {
                throw new Failure("the cluster could not be read: " + e.getMessage(), e);
            }
            ExecutorService prefetch = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "lifeboat-list-prefetch");
                thread.setDaemon(true);
                return thread;
            });
            try (ObjectStore store = stores.open(location)) {
                return write(backup, location, store, new BackupWalker(source, retry, prefetch), discovered, log, results,
                        created);
            } catch (StoreException e) {
                throw new Failure("the location failed: " + e.reason() + ": " + redactor.scrub(e.getMessage()), e);
            } finally {
                prefetch.shutdownNow();
            }
        } catch (RuntimeException e) {
            if (e instanceof Failure) {
                throw e;
            }
            throw new Failure("the backup failed: " + redactor.scrub(String.valueOf(e.getMessage())), e);
        }
    }

    private Backup.Outcome write(Backup backup, Location location, ObjectStore store, BackupWalker walker,
                                 Discovery discovered, RunLog log, Results results,
                                 List<Backup.VolumeSnapshot> created) {
        String prefix = location.prefix();
        String name = backup.name();
        Map<String, Long> committed = new LinkedHashMap<>();
        Upload tarball = store.upload(Layout.backupObject(prefix, name, BackupFile.TARBALL));
        Upload resourceListUpload = store.upload(Layout.backupObject(prefix, name, BackupFile.RESOURCE_LIST));
        Upload manifestUpload = store.upload(Layout.backupObject(prefix, name, BackupFile.LIFEBOAT_MANIFEST));
        try {
            ArchiveWriter archive = new ArchiveWriter(tarball);
            archive.writeVersion();
            GZIPOutputStream resourceListGzip = new GZIPOutputStream(resourceListUpload, 64 * 1024);
            ResourceListWriter resourceList = new ResourceListWriter(resourceListGzip);
            GZIPOutputStream manifestGzip = new GZIPOutputStream(manifestUpload, 64 * 1024);
            JsonGenerator manifest = new JsonFactory().createGenerator(manifestGzip);
            manifest.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            manifest.writeStartObject();
            manifest.writeNumberField("formatVersion", 1);
            manifest.writeStringField("backup", name);
            manifest.writeArrayFieldStart("items");
            MessageDigest itemDigest = sha256();

            ItemSink sink = (type, item) -> {
                String namespace = type.namespaced() ? item.path("metadata").path("namespace").asText(null) : null;
                String itemName = item.path("metadata").path("name").asText();
                byte[] json = bytes(item);
                archive.writeItem(type.groupResource(), type.version(), namespace, itemName, json);
                resourceList.add(type.resourceListKey(), namespace, itemName);
                try {
                    manifest.writeStartObject();
                    manifest.writeStringField("path", Layout.itemEntry(type.groupResource(), namespace, itemName));
                    manifest.writeStringField("sha256", HexFormat.of().formatHex(itemDigest.digest(json)));
                    manifest.writeNumberField("size", json.length);
                    manifest.writeEndObject();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            ProgressReporter progress = new ProgressReporter(backup);
            BackupWalker.Walk walk = walker.walk(discovered, backup.options(settings.pageSize()), sink, results, progress::report);
            logTypes(walk.typeCounts(), log);
            List<Backup.VolumeSnapshot> snapshots = backup.includeDisks()
                    ? snapshotVolumes(backup, walker.source(), walk.claims(), log, results, created) : List.of();

            ArchiveWriter.Summary summary = archive.finish();
            resourceList.finish();
            resourceListGzip.finish();
            manifest.writeEndArray();
            manifest.writeObjectFieldStart("archive");
            manifest.writeNumberField("sizeBytes", summary.sizeBytes());
            manifest.writeStringField("sha256", summary.sha256());
            manifest.writeNumberField("entries", summary.entries());
            manifest.writeEndObject();
            manifest.writeNumberField("itemCount", walk.items());
            manifest.writeObjectFieldStart("itemsPerType");
            for (var entry : walk.itemsPerType().entrySet()) {
                manifest.writeNumberField(entry.getKey(), entry.getValue());
            }
            manifest.writeEndObject();
            manifest.writeEndObject();
            manifest.flush();
            manifestGzip.finish();

            String tarballKey = Layout.backupObject(prefix, name, BackupFile.TARBALL);
            committed.put(tarballKey, tarball.commit());
            verifyChecksum(store, tarballKey, summary);
            log.info("archive verified: " + summary.sizeBytes() + " bytes, sha256 " + summary.sha256());
            committed.put(Layout.backupObject(prefix, name, BackupFile.RESOURCE_LIST), resourceListUpload.commit());
            committed.put(Layout.backupObject(prefix, name, BackupFile.LIFEBOAT_MANIFEST), manifestUpload.commit());

            Backup.Phase phase = results.errorCount() > 0 ? Backup.Phase.PartiallyFailed : Backup.Phase.Completed;
            Instant completed = clock.instant();
            Backup.Progress finalProgress = new Backup.Progress(walk.items(), walk.items());
            Backup.Outcome outcome = new Backup.Outcome(phase, finalProgress, completed, summary.sizeBytes(),
                    summary.sha256(), results.warningCount(), results.errorCount(), results.firstErrors(FIRST_ERRORS),
                    snapshots, walk.typeCounts());
            log.info("backup " + name + " " + phase + ": " + walk.items() + " items, " + results.warningCount()
                    + " warnings, " + results.errorCount() + " errors");
            put(store, committed, Layout.backupObject(prefix, name, BackupFile.VOLUME_SNAPSHOTS), Gzip.json(JSON, snapshots));
            put(store, committed, Layout.backupObject(prefix, name, BackupFile.RESULTS), Gzip.json(JSON, results.toVelero()));
            put(store, committed, Layout.backupObject(prefix, name, BackupFile.LOGS), Gzip.text(log.text()));
            // Last, so that Velero's sync never sees a backup whose files are not all there.
            put(store, committed, Layout.backupObject(prefix, name, BackupFile.BACKUP_JSON),
                    VeleroBackupDocument.of(backup.finishedWith(outcome), location.name(), clock.instant()));
            verifySizes(store, committed);
            return outcome;
        } catch (IOException e) {
            cleanUp(store, committed, tarball, resourceListUpload, manifestUpload);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            cleanUp(store, committed, tarball, resourceListUpload, manifestUpload);
            throw e;
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

    /**
     * One CSI snapshot per bound claim: all are created first, then awaited together until the one deadline
     * ({@code snapshotTimeout}, within the function's), so that the snapshotter works on them side by side. A claim
     * that cannot be snapshotted is an error of its namespace; one not ready in time too, and it stays recorded by
     * name, so that deleting the backup (or its expiry) deletes it.
     */
    private List<Backup.VolumeSnapshot> snapshotVolumes(Backup backup, ClusterSource source,
                                                        List<ClusterSource.Claim> claims, RunLog log, Results results,
                                                        List<Backup.VolumeSnapshot> snapshots) {
        long deadline = System.nanoTime() + settings.snapshotTimeout().toNanos();
        for (ClusterSource.Claim claim : claims) {
            String name = SnapshotNames.of(backup.name(), claim.namespace(), claim.name());
            snapshots.add(source.startSnapshot(backup.project(), backup.name(), claim, name));
        }
        while (snapshots.stream().anyMatch(Backup.VolumeSnapshot::pending) && System.nanoTime() < deadline) {
            for (int i = 0; i < snapshots.size(); i++) {
                if (snapshots.get(i).pending()) {
                    snapshots.set(i, source.checkSnapshot(snapshots.get(i)));
                }
            }
            if (snapshots.stream().anyMatch(Backup.VolumeSnapshot::pending)) {
                pause(Math.min(settings.snapshotPoll().toNanos(), Math.max(0, deadline - System.nanoTime())));
            }
        }
        String late = "the snapshot was not ready within " + settings.snapshotTimeout().toSeconds() + " s";
        snapshots.replaceAll(s -> s.pending() ? s.failed(late) : s);
        for (Backup.VolumeSnapshot snapshot : snapshots) {
            String claim = snapshot.namespace() + "/" + snapshot.persistentVolumeClaim();
            if (snapshot.error() != null) {
                results.error(snapshot.namespace(), "volume of claim " + snapshot.persistentVolumeClaim()
                        + " was not snapshotted: " + snapshot.error());
                log.error("claim " + claim + ": " + snapshot.error());
            } else {
                log.info("claim " + claim + " snapshotted as " + snapshot.volumeSnapshotName() + " (handle "
                        + snapshot.snapshotHandle() + ")");
            }
        }
        return List.copyOf(snapshots);
    }

    private static void pause(long nanos) {
        try {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while waiting for the volume snapshots", e);
        }
    }

    private static void put(ObjectStore store, Map<String, Long> committed, String key, byte[] content) {
        store.put(key, content);
        committed.put(key, (long) content.length);
    }

    /** Every object the backup wrote must be stored whole: its stored size is the size written. */
    private static void verifySizes(ObjectStore store, Map<String, Long> committed) {
        committed.forEach((key, written) -> {
            long stored = store.size(key);
            if (stored != written) {
                throw new StoreException("VerificationFailed", key + " is stored with " + stored + " bytes, "
                        + written + " were written");
            }
        });
    }

    /** Reads the archive back: its size and SHA-256 must be what was written. */
    private static void verifyChecksum(ObjectStore store, String key, ArchiveWriter.Summary summary) {
        verifySizes(store, Map.of(key, summary.sizeBytes()));
        MessageDigest digest = sha256();
        try (InputStream in = store.download(key)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new StoreException("VerificationFailed", "the stored archive could not be read back: " + e.getMessage(), e);
        }
        String stored = HexFormat.of().formatHex(digest.digest());
        if (!stored.equals(summary.sha256())) {
            throw new StoreException("VerificationFailed", "the stored archive's SHA-256 " + stored
                    + " differs from the written " + summary.sha256());
        }
    }

    private static void cleanUp(ObjectStore store, Map<String, Long> committed, Upload... uploads) {
        for (Upload upload : uploads) {
            try {
                upload.abort();
            } catch (RuntimeException ignored) {
                // the store may be gone; aborting is best effort, and incomplete uploads expire
            }
        }
        for (String key : committed.keySet()) {
            try {
                store.delete(key);
            } catch (RuntimeException ignored) {
                // best effort: the expiry sweep removes what is left
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records progress at most once a second. */
    private final class ProgressReporter {
        private final Backup backup;
        private Instant last = Instant.MIN;

        ProgressReporter(Backup backup) {
            this.backup = backup;
        }

        void report(long items, long total) {
            Instant now = clock.instant();
            if (Duration.between(last, now).compareTo(PROGRESS_INTERVAL) >= 0) {
                last = now;
                backups.updateProgress(backup.project(), backup.name(), new Backup.Progress(items, total));
            }
        }
    }
}
