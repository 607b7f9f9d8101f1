package io.lifeboat.backup;

import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.disk.DiskSnapshot;

import java.time.Instant;
import java.util.List;

/**
 * A backup of one cluster into one location: what was asked, and how it went. {@code origin} says who wrote it: Lifeboat,
 * or Velero (found in a location by its sync, with no Lifeboat cluster: {@code cluster} is null, and Lifeboat never
 * expires it). {@code schedule} names the schedule that started it (null for one asked for by hand, or imported): the
 * schedule's retention by count counts it. {@code verifyAfter} asks for its files to be verified as soon as it has
 * finished; {@code verification} is the last verification's outcome (null until one is asked for).
 * {@code encryption} is set when its location encrypts what it stores (null otherwise), {@code retention}
 * when its location locks what it stores (null otherwise); both are decided when the backup is asked for, from its
 * location, and never change. {@code sizeBytes} and {@code archiveSha256} are those of the tarball as stored in the
 * bucket: for an encrypted backup, of its ciphertext (the Velero tarball inside is {@link Encryption}'s).
 * {@code diskSnapshots} are the native snapshots of its claims' disks, taken through the location's cloud.
 */
public record Backup(String project, String name, String cluster, String location, List<String> namespaces,
                     Boolean includeClusterResources, boolean includeDisks, Instant createdAt, Instant expiresAt,
                     Phase phase, Progress progress, Instant startedAt, Instant completedAt, long sizeBytes,
                     String archiveSha256, int warnings, int errors, List<String> firstErrors,
                     List<VolumeSnapshot> volumeSnapshots, List<TypeCount> typeCounts, Origin origin, String schedule,
                     boolean verifyAfter, Verification verification, Encryption encryption, Retention retention,
                     List<DiskSnapshot> diskSnapshots) {

    /** Who wrote the backup; the API shows it as is. */
    public enum Origin { lifeboat, velero }

    public enum Phase { New, InProgress, Completed, PartiallyFailed, Failed, Deleting;

        public boolean finished() {
            return this == Completed || this == PartiallyFailed || this == Failed;
        }
    }

    public record Progress(long itemsBackedUp, long totalItems) {
    }

    /**
     * One type the server serves: how many of its items the backup holds, or why it holds none ({@code skipped}), or
     * what went wrong reading it ({@code error}, which makes the backup PartiallyFailed). {@code resource} is Velero's
     * name for the type ({@code deployments.apps}); for a group version discovery could not read, it is that group
     * version, and {@code kind} is null.
     */
    public record TypeCount(String resource, String apiVersion, String kind, long items, String skipped, String error) {
    }

    /**
     * How an encrypted backup's objects are encrypted: with a data key of its own wrapped by the KMS key
     * {@code kmsKeyId} (kept in the header object of its folder), and, once it has finished, the size and SHA-256 of
     * the Velero tarball inside its encrypted tarball (0 and null until then).
     */
    public record Encryption(String kmsKeyId, long plaintextSizeBytes, String plaintextSha256) {
        public static Encryption asked(String kmsKeyId) {
            return new Encryption(kmsKeyId, 0, null);
        }

        public Encryption withPlaintext(long sizeBytes, String sha256) {
            return new Encryption(kmsKeyId, sizeBytes, sha256);
        }
    }

    /**
     * A verification of the backup's files without restoring them (see {@code verification.BackupVerifier}): asked for
     * at {@code requestedAt}; done at {@code at}, when it found the files sound ({@code ok}) or not, with the items it
     * read and the first of its problems (each one a sentence; {@code problemCount} counts them all). Pending while
     * {@code at} is null.
     */
    public record Verification(Instant requestedAt, Instant at, Boolean ok, long items, List<String> problems,
                               int problemCount) {
        /** At most this many problems are kept on the record. */
        public static final int PROBLEMS_KEPT = 20;

        public Verification {
            problems = problems == null ? List.of() : List.copyOf(problems);
        }

        public static Verification pending(Instant requestedAt) {
            return new Verification(requestedAt, null, null, 0, List.of(), 0);
        }

        public boolean pending() {
            return at == null;
        }
    }

    /**
     * A record as written before schedules, verifications, encryption and locks were recorded, and without native
     * snapshots.
     */
    public Backup(String project, String name, String cluster, String location, List<String> namespaces,
                  Boolean includeClusterResources, boolean includeDisks, Instant createdAt, Instant expiresAt,
                  Phase phase, Progress progress, Instant startedAt, Instant completedAt, long sizeBytes,
                  String archiveSha256, int warnings, int errors, List<String> firstErrors,
                  List<VolumeSnapshot> volumeSnapshots, List<TypeCount> typeCounts, Origin origin) {
        this(project, name, cluster, location, namespaces, includeClusterResources, includeDisks, createdAt, expiresAt,
                phase, progress, startedAt, completedAt, sizeBytes, archiveSha256, warnings, errors, firstErrors,
                volumeSnapshots, typeCounts, origin, null, false, null, null, null, List.of());
    }

    /** A record without type counts (one that never ran, or one imported from Velero), of the given origin. */
    public Backup(String project, String name, String cluster, String location, List<String> namespaces,
                  Boolean includeClusterResources, boolean includeDisks, Instant createdAt, Instant expiresAt,
                  Phase phase, Progress progress, Instant startedAt, Instant completedAt, long sizeBytes,
                  String archiveSha256, int warnings, int errors, List<String> firstErrors,
                  List<VolumeSnapshot> volumeSnapshots, Origin origin) {
        this(project, name, cluster, location, namespaces, includeClusterResources, includeDisks, createdAt, expiresAt,
                phase, progress, startedAt, completedAt, sizeBytes, archiveSha256, warnings, errors, firstErrors,
                volumeSnapshots, List.of(), origin);
    }

    public Backup {
        diskSnapshots = diskSnapshots == null ? List.of() : List.copyOf(diskSnapshots);
        typeCounts = typeCounts == null ? List.of() : List.copyOf(typeCounts);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        firstErrors = firstErrors == null ? List.of() : List.copyOf(firstErrors);
        volumeSnapshots = volumeSnapshots == null ? List.of() : List.copyOf(volumeSnapshots);
        progress = progress == null ? new Progress(0, 0) : progress;
        origin = origin == null ? Origin.lifeboat : origin;
    }

    /** A backup Lifeboat writes, without type counts yet. */
    public Backup(String project, String name, String cluster, String location, List<String> namespaces,
                  Boolean includeClusterResources, boolean includeDisks, Instant createdAt, Instant expiresAt,
                  Phase phase, Progress progress, Instant startedAt, Instant completedAt, long sizeBytes,
                  String archiveSha256, int warnings, int errors, List<String> firstErrors,
                  List<VolumeSnapshot> volumeSnapshots) {
        this(project, name, cluster, location, namespaces, includeClusterResources, includeDisks, createdAt, expiresAt,
                phase, progress, startedAt, completedAt, sizeBytes, archiveSha256, warnings, errors, firstErrors,
                volumeSnapshots, Origin.lifeboat);
    }

    /** Whether its objects are encrypted (Velero cannot read them). */
    public boolean encrypted() {
        return encryption != null;
    }

    /** The same request, encrypted as {@code encryption} says and locked as {@code retention} says (each may be null). */
    public Backup protectedBy(Encryption encryption, Retention retention) {
        return new Backup(project, name, cluster, location, namespaces, includeClusterResources, includeDisks, createdAt,
                expiresAt, phase, progress, startedAt, completedAt, sizeBytes, archiveSha256, warnings, errors,
                firstErrors, volumeSnapshots, typeCounts, origin, schedule, verifyAfter, verification, encryption, retention,
                diskSnapshots);
    }

    /** Velero wrote it; Lifeboat only restores it, and never expires it. */
    public boolean importedFromVelero() {
        return origin == Origin.velero;
    }

    public static Backup requested(String project, String name, String cluster, String location, List<String> namespaces,
                                   Boolean includeClusterResources, boolean includeDisks, Instant now, Instant expiresAt) {
        return new Backup(project, name, cluster, location, namespaces, includeClusterResources, includeDisks, now,
                expiresAt, Phase.New, new Progress(0, 0), null, null, 0, null, 0, 0, List.of(), List.of());
    }

    /** The same request, started by {@code schedule} (null: by hand), and verified once finished when asked. */
    public Backup asked(String schedule, boolean verifyAfter) {
        return new Backup(project, name, cluster, location, namespaces, includeClusterResources, includeDisks, createdAt,
                expiresAt, phase, progress, startedAt, completedAt, sizeBytes, archiveSha256, warnings, errors,
                firstErrors, volumeSnapshots, typeCounts, origin, schedule, verifyAfter, verification, encryption, retention,
                diskSnapshots);
    }

    /** The record with its progress as reported. */
    public Backup withProgress(Progress progress) {
        return new Backup(project, name, cluster, location, namespaces, includeClusterResources, includeDisks, createdAt,
                expiresAt, phase, progress, startedAt, completedAt, sizeBytes, archiveSha256, warnings, errors,
                firstErrors, volumeSnapshots, typeCounts, origin, schedule, verifyAfter, verification, encryption, retention,
                diskSnapshots);
    }

    /** The record with a verification asked for, or its outcome. */
    public Backup withVerification(Verification verification) {
        return new Backup(project, name, cluster, location, namespaces, includeClusterResources, includeDisks, createdAt,
                expiresAt, phase, progress, startedAt, completedAt, sizeBytes, archiveSha256, warnings, errors,
                firstErrors, volumeSnapshots, typeCounts, origin, schedule, verifyAfter, verification, encryption, retention,
                diskSnapshots);
    }

    /** Whether its files were written whole: a Completed or PartiallyFailed backup, which can be restored or verified. */
    public boolean hasArchive() {
        return phase == Phase.Completed || phase == Phase.PartiallyFailed;
    }

    public BackupOptions options(int pageSize) {
        return new BackupOptions(namespaces, includeClusterResources, pageSize);
    }

    /**
     * The outcome of a run, recorded at once with the final phase; {@code encryption}, when not null, is the record's
     * with the plaintext tarball's size and SHA-256.
     */
    public record Outcome(Phase phase, Progress progress, Instant completedAt, long sizeBytes, String archiveSha256,
                          int warnings, int errors, List<String> firstErrors, List<VolumeSnapshot> volumeSnapshots,
                          List<TypeCount> typeCounts, List<DiskSnapshot> diskSnapshots, Encryption encryption) {
        public Outcome {
            typeCounts = typeCounts == null ? List.of() : List.copyOf(typeCounts);
            diskSnapshots = diskSnapshots == null ? List.of() : List.copyOf(diskSnapshots);
        }

        /** An outcome without native snapshots, that leaves the record's encryption as it is. */
        public Outcome(Phase phase, Progress progress, Instant completedAt, long sizeBytes, String archiveSha256,
                       int warnings, int errors, List<String> firstErrors, List<VolumeSnapshot> volumeSnapshots,
                       List<TypeCount> typeCounts) {
            this(phase, progress, completedAt, sizeBytes, archiveSha256, warnings, errors, firstErrors, volumeSnapshots,
                    typeCounts, List.of(), null);
        }

        /** An outcome with native snapshots, that leaves the record's encryption as it is. */
        public Outcome(Phase phase, Progress progress, Instant completedAt, long sizeBytes, String archiveSha256,
                       int warnings, int errors, List<String> firstErrors, List<VolumeSnapshot> volumeSnapshots,
                       List<TypeCount> typeCounts, List<DiskSnapshot> diskSnapshots) {
            this(phase, progress, completedAt, sizeBytes, archiveSha256, warnings, errors, firstErrors, volumeSnapshots,
                    typeCounts, diskSnapshots, null);
        }

        /** An outcome without native snapshots. */
        public Outcome(Phase phase, Progress progress, Instant completedAt, long sizeBytes, String archiveSha256,
                       int warnings, int errors, List<String> firstErrors, List<VolumeSnapshot> volumeSnapshots,
                       List<TypeCount> typeCounts, Encryption encryption) {
            this(phase, progress, completedAt, sizeBytes, archiveSha256, warnings, errors, firstErrors, volumeSnapshots,
                    typeCounts, List.of(), encryption);
        }

        /** An outcome without type counts: a run that failed before it read any type. */
        public Outcome(Phase phase, Progress progress, Instant completedAt, long sizeBytes, String archiveSha256,
                       int warnings, int errors, List<String> firstErrors, List<VolumeSnapshot> volumeSnapshots) {
            this(phase, progress, completedAt, sizeBytes, archiveSha256, warnings, errors, firstErrors, volumeSnapshots,
                    List.of());
        }
    }

    public Backup finishedWith(Outcome o) {
        return new Backup(project, name, cluster, location, namespaces, includeClusterResources, includeDisks, createdAt,
                expiresAt, o.phase(), o.progress(), startedAt, o.completedAt(), o.sizeBytes(), o.archiveSha256(),
                o.warnings(), o.errors(), o.firstErrors(), o.volumeSnapshots(), o.typeCounts(), origin, schedule,
                verifyAfter, verification, o.encryption() != null ? o.encryption() : encryption, retention, o.diskSnapshots());
    }

    public Backup started(Instant at) {
        return new Backup(project, name, cluster, location, namespaces, includeClusterResources, includeDisks, createdAt,
                expiresAt, Phase.InProgress, progress, at, null, 0, null, 0, 0, List.of(), List.of(), List.of(), origin,
                schedule, verifyAfter, verification, encryption, retention, List.of());
    }
}
