package io.lifeboat.verification;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.backup.BackupService;
import io.lifeboat.error.ConflictException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.input.Names;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.secret.Redactor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Verifications of backups' files ({@link BackupVerifier}), asked for through the API ({@code POST …/verify}: the
 * record shows it pending, and a worker runs it) or by the backup itself ({@code verifyAfter}: run-backup verifies it
 * once it has finished). The outcome is kept on the backup's record ({@code status.verification}); the backup's phase
 * never changes with it.
 */
public final class BackupVerifications {
    private final BackupRepository backups;
    private final LocationRepository locations;
    private final ObjectStoreFactory stores;
    private final BackupVerifier verifier;
    private final Clock clock;
    private final Duration runDeadline;

    /**
     * {@code runDeadline}: the longest a worker runs; a verification pending longer than that died with its worker, and
     * may be asked for again.
     */
    public BackupVerifications(BackupRepository backups, LocationRepository locations, ObjectStoreFactory stores,
                               BackupVerifier verifier, Clock clock, Duration runDeadline) {
        this.backups = backups;
        this.locations = locations;
        this.stores = stores;
        this.verifier = verifier;
        this.clock = clock;
        this.runDeadline = runDeadline;
    }

    /**
     * Records a verification of the backup as pending: 404 for an unknown backup, 409 for one without files to verify
     * (not Completed nor PartiallyFailed) or with a verification under way.
     */
    public Backup request(String project, String name) {
        Names.requireLabel("project", project);
        Names.requireLabel("name", name);
        Backup backup = backups.find(project, name).orElseThrow(() -> new NotFoundException("backup", project, name));
        if (!backup.hasArchive()) {
            throw new ConflictException("name", "backup '" + name + "' is " + backup.phase()
                    + ": only a Completed or PartiallyFailed backup can be verified");
        }
        Instant now = clock.instant();
        Backup.Verification last = backup.verification();
        if (last != null && last.pending() && last.requestedAt().isAfter(now.minus(runDeadline))) {
            throw new ConflictException("name", "a verification of backup '" + name + "' is under way since "
                    + last.requestedAt());
        }
        Backup.Verification pending = Backup.Verification.pending(now);
        if (!backups.recordVerification(project, name, pending)) {
            throw new ConflictException("name", "backup '" + name + "' changed meanwhile: it is no longer Completed or "
                    + "PartiallyFailed");
        }
        return backup.withVerification(pending);
    }

    /**
     * Starts the worker that verifies a backup just marked pending. When it cannot be started, the verification is
     * recorded as failed with the reason, so that it never stays pending; the record as it then is is returned.
     */
    public Backup start(Backup pending, BiConsumer<String, String> start) {
        try {
            start.accept(pending.project(), pending.name());
            return pending;
        } catch (RuntimeException e) {
            Backup.Verification failed = failed(pending.verification().requestedAt(),
                    BackupService.notStarted("the verification", e));
            backups.recordVerification(pending.project(), pending.name(), failed);
            return pending.withVerification(failed);
        }
    }

    /** The worker's part: verifies the backup and records the outcome; the record as it then is (null when gone). */
    public Backup run(String project, String name) {
        Optional<Backup> found = backups.find(project, name);
        if (found.isEmpty() || !found.get().hasArchive()) {
            return found.orElse(null);
        }
        Backup backup = found.get();
        Instant requestedAt = backup.verification() != null && backup.verification().pending()
                ? backup.verification().requestedAt() : clock.instant();
        Backup.Verification outcome = verify(backup, requestedAt);
        backups.recordVerification(project, name, outcome);
        return backup.withVerification(outcome);
    }

    /**
     * After a backup's run: verifies it when it asked to be ({@code verifyAfter}), finished with its files, and has no
     * verification recorded yet (so that a second delivery of run-backup verifies only a backup whose first one died
     * before it could); returns the record as it then is.
     */
    public Backup afterBackup(Backup finished) {
        if (finished == null || !finished.verifyAfter() || !finished.hasArchive() || finished.verification() != null) {
            return finished;
        }
        Backup.Verification outcome = verify(finished, clock.instant());
        backups.recordVerification(finished.project(), finished.name(), outcome);
        return finished.withVerification(outcome);
    }

    private Backup.Verification verify(Backup backup, Instant requestedAt) {
        Location location = locations.find(backup.project(), backup.location()).orElse(null);
        if (location == null) {
            return failed(requestedAt, "location " + backup.location() + " no longer exists: the files cannot be read");
        }
        Redactor redactor = new Redactor(location.secretValues());
        try (ObjectStore store = stores.open(location)) {
            return verifier.verify(backup, store, location.prefix(), requestedAt);
        } catch (RuntimeException e) {
            return failed(requestedAt, "the verification failed: " + redactor.scrub(String.valueOf(e.getMessage())));
        }
    }

    private Backup.Verification failed(Instant requestedAt, String problem) {
        return new Backup.Verification(requestedAt, clock.instant(), false, 0, List.of(problem), 1);
    }
}
