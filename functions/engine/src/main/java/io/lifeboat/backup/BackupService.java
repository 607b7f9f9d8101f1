package io.lifeboat.backup;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.error.ConflictException;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.error.TooLargeException;
import io.lifeboat.input.Expiry;
import io.lifeboat.input.Names;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.LocationStatus;

import io.lifeboat.archive.BoundedGzip;
import io.lifeboat.archive.Layout;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.run.Results;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiConsumer;

/** Accepts backup requests: checks them, and records them as New for the run-backup function to pick up. */
public final class BackupService {
    public static final Duration DEFAULT_TTL = Duration.ofDays(30);

    private final BackupRepository backups;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    private final ObjectStoreFactory stores;
    private final Clock clock;

    public BackupService(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                         ObjectStoreFactory stores, Clock clock) {
        this.backups = backups;
        this.clusters = clusters;
        this.locations = locations;
        this.stores = stores;
        this.clock = clock;
    }

    /** Checks the request field by field, then the names it refers to, then stores it. Nothing is stored on error. */
    public Backup request(String project, BackupRequest r) {
        return request(project, r, null, null);
    }

    /**
     * {@link #request(String, BackupRequest)}, for a caller that starts many backups at once and has read the
     * statuses already (a workspace backup its members', a tick the locations of its slots): {@code cluster} is the
     * status of the request's cluster as the caller just found it, {@code location} its location's status; each one
     * given is one read less per backup, and each null one is read here.
     */
    public Backup request(String project, BackupRequest r, ClusterStatus cluster, LocationStatus location) {
        return request(project, r, cluster, location, null);
    }

    /**
     * {@link #request(String, BackupRequest, ClusterStatus, LocationStatus)} for a backup that {@code schedule} starts
     * (null: none), recorded with it so that the schedule's retention counts it.
     */
    public Backup request(String project, BackupRequest r, ClusterStatus cluster, LocationStatus location,
                          String schedule) {
        Names.requireLabel("project", project);
        String name = Names.requireLabel("name", r.name());
        String clusterName = Names.requireLabel("cluster", r.cluster());
        String locationName = Names.requireLabel("location", r.location());
        Instant now = clock.instant();
        Instant expiresAt = Expiry.require("expiresAt", r.expiresAt() == null ? now.plus(DEFAULT_TTL)
                : r.expiresAt().toInstant(), now);
        List<String> namespaces = Names.requireLabels("namespaces", r.namespaces());
        namespaces = List.copyOf(new LinkedHashSet<>(namespaces));

        // Statuses only: starting a backup opens no secret (tick-schedules has no key to decrypt).
        if (cluster == null) {
            clusters.findStatus(project, clusterName).orElseThrow(() -> new NotFoundException("cluster", project, clusterName));
        }
        LocationStatus where = location != null ? location : locations.findStatus(project, locationName)
                .orElseThrow(() -> new NotFoundException("location", project, locationName));
        if (where.phase() != LocationStatus.Phase.Available) {
            throw new ConflictException("location", "location '" + locationName + "' is " + where.phase()
                    + (where.message() == null ? "" : ": " + where.message()));
        }
        Backup backup = Backup.requested(project, name, clusterName, locationName, namespaces, r.includeClusterResources(),
                Boolean.TRUE.equals(r.includeDisks()), now, expiresAt).asked(schedule, Boolean.TRUE.equals(r.verifyAfter()));
        backups.create(backup);
        return backup;
    }

    /**
     * Starts run-backup for a backup just recorded ({@code start} gets its project and name). When it cannot be
     * started (a Lambda invocation refused, for example), the backup becomes Failed with the reason, so that it never
     * stays New; the record as it is then is returned.
     */
    public Backup start(Backup backup, BiConsumer<String, String> start) {
        try {
            start.accept(backup.project(), backup.name());
            return backup;
        } catch (RuntimeException e) {
            backups.failIfNew(backup.project(), backup.name(), notStarted("run-backup", e), clock.instant());
            return backups.find(backup.project(), backup.name()).orElse(backup);
        }
    }

    /** Why a worker could not be started, as a record shows it. */
    public static String notStarted(String function, RuntimeException e) {
        return Results.capped(function + " could not be started: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    public Backup get(String project, String name) {
        return backups.find(project, name).orElseThrow(() -> new NotFoundException("backup", project, name));
    }

    /**
     * One of the backup's gzip files in its location (logs, resource list...), decompressed, read whole up to
     * {@link BoundedGzip#DEFAULT_FILE_BYTES} (a file that expands past it is a 422). The caller closes it.
     * 409 until the backup has finished and written it.
     */
    public InputStream openFile(String project, String name, Layout.BackupFile file) {
        Backup backup = get(project, name);
        if (!backup.phase().finished() || backup.phase() == Backup.Phase.Failed) {
            throw new ConflictException("name", "backup '" + name + "' is " + backup.phase() + ": it has no "
                    + file.fileName(name) + " yet");
        }
        Location location = locations.find(project, backup.location())
                .orElseThrow(() -> new NotFoundException("location", project, backup.location()));
        String key = Layout.backupObject(location.prefix(), name, file);
        try (ObjectStore store = stores.open(location)) {
            return new ByteArrayInputStream(BoundedGzip.readAll(store.download(key), BoundedGzip.DEFAULT_FILE_BYTES,
                    file.fileName(name)));
        } catch (BoundedGzip.TooLarge e) {
            throw new TooLargeException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The backup's archive (its gzip tarball) as stored in its location, streamed: nothing is read before the caller
     * reads, and closing the stream closes the store. 409 unless the backup is Completed or PartiallyFailed.
     */
    public InputStream openArchive(String project, String name) {
        Backup backup = get(project, name);
        if (backup.phase() != Backup.Phase.Completed && backup.phase() != Backup.Phase.PartiallyFailed) {
            throw new ConflictException("name", "backup '" + name + "' is " + backup.phase() + ": it has no archive"
                    + (backup.phase().finished() ? "" : " yet"));
        }
        Location location = locations.find(project, backup.location())
                .orElseThrow(() -> new NotFoundException("location", project, backup.location()));
        ObjectStore store = stores.open(location);
        try {
            InputStream in = store.download(Layout.backupObject(location.prefix(), name, Layout.BackupFile.TARBALL));
            return new FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        store.close();
                    }
                }
            };
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** One page of the project's backups in name order; of one cluster when {@code cluster} is not null. */
    public Page<Backup> list(String project, String cluster, PageRequest page) {
        Names.requireLabel("project", project);
        if (cluster != null) {
            Names.requireLabel("cluster", cluster);
        }
        return backups.list(project, cluster, page);
    }
}
