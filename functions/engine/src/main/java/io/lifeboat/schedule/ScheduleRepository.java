package io.lifeboat.schedule;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of schedules, with an index of the active ones by next run time. */
public interface ScheduleRepository {
    /** ConflictException when the name is taken in the project. */
    void create(Schedule schedule);

    Optional<Schedule> find(String project, String name);

    /** One page of the project's schedules, in name order. */
    Page<Schedule> list(String project, PageRequest page);

    /** Active schedules whose next run is at or before {@code now} (an index query, never a scan). */
    List<Schedule> due(Instant now);

    /**
     * Takes a slot: moves the next run from {@code slot} to {@code next}, only if it is still {@code slot}, and in the
     * same write names {@code backup} the last backup and clears the last error, so that a slot that starts well costs
     * one write. Of two ticks that race, one wins the slot. Returns whether this one did.
     */
    boolean advance(String project, String name, Instant slot, Instant next, String backup);

    /**
     * Records a slot taken by {@link #advance} that did not start well: the last backup as given (null: none, when
     * the slot's backup could not even be recorded), and why.
     */
    void recordRun(String project, String name, String lastBackup, String lastError);

    /** Pauses (next run removed from the index) or resumes with the given next run. */
    void setPaused(String project, String name, boolean paused, Instant nextRunAt);

    boolean delete(String project, String name);
}
