package io.lifeboat.backup;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of backup records. */
public interface BackupRepository {
    /** Stores a new backup in phase New; ConflictException when the name is taken in the project. */
    void create(Backup backup);

    Optional<Backup> find(String project, String name);

    /** One page of the project's backups, in name order; of one cluster when {@code cluster} is not null. */
    Page<Backup> list(String project, String cluster, PageRequest page);

    /**
     * Moves a backup from New to InProgress. Returns false when it is not New any more: another delivery of the same
     * request took it, so this one must do nothing.
     */
    boolean claim(String project, String name, Instant startedAt);

    void updateProgress(String project, String name, Backup.Progress progress);

    void finish(String project, String name, Backup.Outcome outcome);

    /** Backups whose expiry has passed, in any phase but InProgress (an index query on the expiry). */
    List<Backup> expired(Instant now);

    /** Backups still InProgress that started before {@code startedBefore}: their run died. */
    List<Backup> stuck(Instant startedBefore);

    /** Backups still New that were created before {@code createdBefore}: no run ever took them. */
    List<Backup> neverStarted(Instant createdBefore);

    /** Marks a finished (or already Deleting) backup Deleting, with why it is not gone yet; false if it is running. */
    boolean markDeleting(String project, String name, List<String> pending);

    /**
     * When the sweep looks at a Deleting backup again (its time in the expiry index): a backup whose objects are
     * locked is retried when the lock ends, not at its expiry. The expiry asked for is kept as it was.
     */
    void retryDeletionAt(String project, String name, Instant at);

    /**
     * Marks a backup still New as Failed with the reason (its run could not be started); false when a run took it
     * meanwhile.
     */
    boolean failIfNew(String project, String name, String reason, Instant at);

    /** Marks a backup still InProgress as Failed with the reason; false when it finished meanwhile. */
    boolean failIfRunning(String project, String name, String reason, Instant at);

    boolean delete(String project, String name);

    /**
     * Every backup of the project that {@code schedule} started (its {@code schedule} field), in any phase: what the
     * schedule's retention counts.
     */
    List<Backup> ofSchedule(String project, String schedule);

    /**
     * Records a verification asked for (pending) or its outcome, on a backup still Completed or PartiallyFailed; false
     * when it is not (deleted, or being deleted, meanwhile).
     */
    boolean recordVerification(String project, String name, Backup.Verification verification);
}
