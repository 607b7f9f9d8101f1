package io.lifeboat.restore;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of restore records. */
public interface RestoreRepository {
    /** Stores a new restore in phase New; ConflictException when the name is taken in the project. */
    void create(Restore restore);

    Optional<Restore> find(String project, String name);

    /** One page of the project's restores, in name order; into one cluster when {@code targetCluster} is not null. */
    Page<Restore> list(String project, String targetCluster, PageRequest page);

    /** New to InProgress; false when another delivery took it. */
    boolean claim(String project, String name, Instant startedAt);

    void updateProgress(String project, String name, Restore.Progress progress);

    void finish(String project, String name, Restore.Outcome outcome);

    /**
     * Records the outcome of a restore still New (its run could not be started: Failed, with the reason); false when
     * a run took it meanwhile.
     */
    boolean failIfNew(String project, String name, Restore.Outcome outcome);

    /** Restores still New that were created before {@code createdBefore}: no run ever took them. */
    List<Restore> neverStarted(Instant createdBefore);

    /** Restores still InProgress that started before {@code startedBefore}: their run died. */
    List<Restore> stuck(Instant startedBefore);
}
