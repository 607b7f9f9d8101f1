package io.lifeboat.api.view;


import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.backup.Backup;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.disk.DiskSnapshot;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A backup: what it takes, and how it went. */
@Schema(name = "Backup")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupView(String name, String project, Instant createdAt, Spec spec, Status status) {

    /**
     * The request's fields; {@code cluster} is absent for a backup Velero wrote. {@code verifyAfter}: its files are
     * verified as soon as it has finished.
     */
    @Schema(name = "BackupSpec")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String cluster, String location, List<String> namespaces, Boolean includeClusterResources,
                       boolean includeDisks, Instant expiresAt, boolean verifyAfter) {
    }

    /**
     * {@code origin}: {@code lifeboat}, or {@code velero} for an imported one. {@code schedule}: the schedule that
     * started it, if one did. {@code types}: one line per type the cluster served, with its count, or why it holds none
     * ({@code skipped}), or what went wrong ({@code error}). {@code volumeSnapshots}: the CSI snapshots;
     * {@code diskSnapshots}: the native ones, taken through the cloud's API. {@code verification}: the last
     * verification of its files.
     * {@code encrypted}: whether its objects are encrypted on the client side (then Velero cannot read it;
     * {@code sizeBytes} and {@code archiveSha256} are the stored ciphertext's, {@code encryption} says what is inside).
     * {@code lock}: how its objects are locked in the bucket, when they are.
     */
    @Schema(name = "BackupStatus")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(Backup.Phase phase, Backup.Origin origin, String schedule, Progress progress, Instant startedAt,
                         Instant completedAt, long sizeBytes, String archiveSha256, int warnings, int errors,
                         List<String> firstErrors, List<VolumeSnapshot> volumeSnapshots, List<Type> types,
                         List<DiskSnapshot> diskSnapshots, Verification verification, boolean encrypted,
                         Encryption encryption, Lock lock) {
    }

    /** The KMS key that wrapped the backup's data key, and the Velero tarball inside the encrypted one. */
    @Schema(name = "BackupEncryption")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Encryption(String kmsKeyId, long plaintextSizeBytes, String plaintextSha256) {
    }

    /** Every object of the backup is locked until {@code retainUntil} in {@code mode} (governance or compliance). */
    @Schema(name = "BackupLock")
    public record Lock(String mode, Instant retainUntil) {
    }

    /**
     * A verification of the backup's files: {@code phase} Pending (asked for at {@code requestedAt}), Passed or Failed
     * (done {@code at}; {@code ok} says the same); {@code items} read; the first {@code problems} found, each a
     * sentence, and {@code problemCount}, all of them.
     */
    @Schema(name = "BackupVerification")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verification(VerificationPhase phase, Instant requestedAt, Instant at, Boolean ok, Long items,
                               List<String> problems, Integer problemCount) {
        static Verification of(Backup.Verification v) {
            if (v == null) {
                return null;
            }
            if (v.pending()) {
                return new Verification(VerificationPhase.Pending, v.requestedAt(), null, null, null, null, null);
            }
            return new Verification(Boolean.TRUE.equals(v.ok()) ? VerificationPhase.Passed : VerificationPhase.Failed,
                    v.requestedAt(), v.at(), v.ok(), v.items(), v.problems(), v.problemCount());
        }
    }

    public enum VerificationPhase { Pending, Passed, Failed }

    @Schema(name = "BackupProgress")
    public record Progress(long itemsBackedUp, long totalItems) {
    }

    @Schema(name = "BackupType")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Type(String resource, String apiVersion, String kind, long items, String skipped, String error) {
    }

    public static BackupView of(Backup b) {
        return new BackupView(b.name(), b.project(), b.createdAt(),
                new Spec(b.cluster(), b.location(), b.namespaces(), b.includeClusterResources(), b.includeDisks(),
                        b.expiresAt(), b.verifyAfter()),
                new Status(b.phase(), b.origin(), b.schedule(),
                        new Progress(b.progress().itemsBackedUp(), b.progress().totalItems()),
                        b.startedAt(), b.completedAt(), b.sizeBytes(), b.archiveSha256(), b.warnings(), b.errors(),
                        b.firstErrors(), b.volumeSnapshots(),
                        b.typeCounts().stream().map(t -> new Type(t.resource(), t.apiVersion(), t.kind(), t.items(),
                                t.skipped(), t.error())).toList(), b.diskSnapshots(),
                        Verification.of(b.verification()),
                        b.encrypted(),
                        b.encrypted() ? new Encryption(b.encryption().kmsKeyId(), b.encryption().plaintextSizeBytes(),
                                b.encryption().plaintextSha256()) : null,
                        b.retention() == null ? null
                                : new Lock(b.retention().mode().wireName(), b.retention().retainUntil())));
    }
}
