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
     * Moves the next run from {@code slot} to {@code next}, only if it is still {@code slot}: of two ticks that race,
     * one wins the slot. Returns whether this one did.
     */
    boolean advance(String project, String name, Instant slot, Instant next);

    /** Records the outcome of a slot: the backup started, or why none could be. */
    void recordRun(String project, String name, String lastBackup, String lastError);

    /** Pauses (next run removed from the index) or resumes with the given next run. */
    void setPaused(String project, String name, boolean paused, Instant nextRunAt);

    boolean delete(String project, String name);
}
