package io.lifeboat.backup;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.error.ConflictException;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.error.TooLargeException;
import io.lifeboat.error.DamagedFileException;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.KeyException;
import io.lifeboat.encryption.TamperedObjectException;
import io.lifeboat.location.Immutability;
import io.lifeboat.objectstore.Retention;
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
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiConsumer;

/** Accepts backup requests: checks them, and records them as New for the run-backup function to pick up. */
public final class BackupService {
    public static final Duration DEFAULT_TTL = Duration.ofDays(30);

    private final BackupRepository backups;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    /** How early an asked expiry may be and still be moved to the retain-until date (see {@link #expiry}). */
    static final Duration EXPIRY_SLACK = Duration.ofMinutes(1);

    private final ObjectStoreFactory stores;
    private final Clock clock;
    private final BackupKeys keys;

    public BackupService(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                         ObjectStoreFactory stores, Clock clock) {
        this(backups, clusters, locations, stores, clock, BackupKeys.NONE);
    }

    /** With the key service that opens the data keys of encrypted backups, to serve their files. */
    public BackupService(BackupRepository backups, ClusterRepository clusters, LocationRepository locations,
                         ObjectStoreFactory stores, Clock clock, BackupKeys keys) {
        this.backups = backups;
        this.clusters = clusters;
        this.locations = locations;
        this.stores = stores;
        this.clock = clock;
        this.keys = keys;
    }

    /**
     * When a backup asked for at {@code now} expires: as asked, or {@link #DEFAULT_TTL} from now; never before its
     * objects' lock ends ({@code retention}, null when the location locks nothing). An unasked expiry is moved to the
     * lock's end; an asked one before it is refused (400 naming {@code field}), unless it is at most a minute early (a
     * schedule's tick computes its backups' expiry a moment before they are asked for), when it is moved too.
     */
    public static Instant expiry(String field, OffsetDateTime asked, Instant now, Retention retention) {
        Instant expiresAt = Expiry.require(field, asked == null ? now.plus(DEFAULT_TTL) : asked.toInstant(), now);
        if (retention == null || !expiresAt.isBefore(retention.retainUntil())) {
            return expiresAt;
        }
        if (asked != null && expiresAt.isBefore(retention.retainUntil().minus(EXPIRY_SLACK))) {
            throw new InvalidInputException(field, "is before " + retention.retainUntil() + ", when the location's "
                    + "immutability unlocks the backup's objects: a backup cannot expire while they are locked");
        }
        return Expiry.require(field, retention.retainUntil(), now);
    }

    /** Checks the request field by field, then the names it refers to, then stores it. Nothing is stored on error. */
    public Backup request(String project, BackupRequest r) {
        return request(project, r, null, null);
    }

    /**
     * How a backup into {@code location} asked for at {@code now} is protected: encrypted when the location has a
     * KMS key, locked for the location's immutability days from {@code now}.
     */
    public static Backup protect(Backup backup, Location location, Instant now) {
        Immutability immutability = location.immutability();
        return backup.protectedBy(location.kmsKeyId() == null ? null : Backup.Encryption.asked(location.kmsKeyId()),
                immutability == null ? null : immutability.retentionFrom(now));
    }

    /**
     * {@link #request(String, BackupRequest)}, for a caller that starts many backups at once and has read the
     * statuses already (a workspace backup its members', a tick the locations of its slots): {@code cluster} is the
     * status of the request's cluster as the caller just found it, {@code location} its location without secrets
     * ({@link LocationRepository#findPlain}); each one given is one read less per backup, and each null one is read
     * here.
     */
    public Backup request(String project, BackupRequest r, ClusterStatus cluster, Location location) {
        return request(project, r, cluster, location, null);
    }

    /**
     * {@link #request(String, BackupRequest, ClusterStatus, Location)} for a backup that {@code schedule} starts
     * (null: none), recorded with it so that the schedule's retention counts it.
     */
    public Backup request(String project, BackupRequest r, ClusterStatus cluster, Location location,
                          String schedule) {
        Names.requireLabel("project", project);
        String name = Names.requireLabel("name", r.name());
        String clusterName = Names.requireLabel("cluster", r.cluster());
        String locationName = Names.requireLabel("location", r.location());
        Instant now = clock.instant();
        Expiry.require("expiresAt", r.expiresAt() == null ? now.plus(DEFAULT_TTL) : r.expiresAt().toInstant(), now);
        List<String> namespaces = Names.requireLabels("namespaces", r.namespaces());
        namespaces = List.copyOf(new LinkedHashSet<>(namespaces));

        // Plain settings and statuses only: starting a backup opens no secret (tick-schedules has no key to decrypt).
        if (cluster == null) {
            clusters.findStatus(project, clusterName).orElseThrow(() -> new NotFoundException("cluster", project, clusterName));
        }
        Location plain = location != null ? location : locations.findPlain(project, locationName)
                .orElseThrow(() -> new NotFoundException("location", project, locationName));
        LocationStatus where = plain.status();
        if (where.phase() != LocationStatus.Phase.Available) {
            throw new ConflictException("location", "location '" + locationName + "' is " + where.phase()
                    + (where.message() == null ? "" : ": " + where.message()));
        }
        Immutability immutability = plain.immutability();
        Instant expiresAt = expiry("expiresAt", r.expiresAt(), now,
                immutability == null ? null : immutability.retentionFrom(now));
        Backup backup = protect(Backup.requested(project, name, clusterName, locationName, namespaces,
                r.includeClusterResources(), Boolean.TRUE.equals(r.includeDisks()), now, expiresAt), plain, now)
                .asked(schedule, Boolean.TRUE.equals(r.verifyAfter()));
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
        try (ObjectStore store = stores.open(location);
             BackupObjects objects = new BackupObjects(store, location.prefix(), backup, keys)) {
            return new ByteArrayInputStream(BoundedGzip.readAll(objects.open(file), BoundedGzip.DEFAULT_FILE_BYTES,
                    file.fileName(name)));
        } catch (BoundedGzip.TooLarge e) {
            throw new TooLargeException(e.getMessage());
        } catch (TamperedObjectException e) {
            throw new DamagedFileException(file.fileName(name) + " of backup '" + name + "' is damaged: "
                    + e.getMessage());
        } catch (KeyException e) {
            throw new DamagedFileException("the data key of backup '" + name + "' could not be unwrapped with KMS key "
                    + backup.encryption().kmsKeyId() + ": " + e.reason());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The backup's archive (Velero's gzip tarball), streamed from its location: nothing of it is read before the caller
     * reads, and closing the stream closes the store. An encrypted backup's is decrypted as it streams (its data key is
     * opened first, so a missing or foreign header is a 422 before anything is sent; a damaged chunk ends the stream).
     * 409 unless the backup is Completed or PartiallyFailed.
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
        BackupObjects objects = new BackupObjects(store, location.prefix(), backup, keys);
        try {
            InputStream in = objects.open(Layout.BackupFile.TARBALL);
            return new FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        objects.close();
                        store.close();
                    }
                }
            };
        } catch (TamperedObjectException e) {
            objects.close();
            store.close();
            throw new DamagedFileException("the archive of backup '" + name + "' cannot be opened: " + e.getMessage());
        } catch (KeyException e) {
            objects.close();
            store.close();
            throw new DamagedFileException("the data key of backup '" + name + "' could not be unwrapped with KMS key "
                    + backup.encryption().kmsKeyId() + ": " + e.reason());
        } catch (RuntimeException e) {
            objects.close();
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
