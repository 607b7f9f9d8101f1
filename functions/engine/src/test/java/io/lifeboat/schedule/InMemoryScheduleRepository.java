package io.lifeboat.schedule;

import io.lifeboat.error.ConflictException;
import io.lifeboat.paging.InMemoryTable;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A ScheduleRepository in memory. */
public final class InMemoryScheduleRepository implements ScheduleRepository {
    private final InMemoryTable<Schedule> table = new InMemoryTable<>();

    @Override
    public void create(Schedule schedule) {
        if (!table.putNew(schedule.project(), schedule.name(), schedule)) {
            throw new ConflictException("name", "schedule '" + schedule.name() + "' already exists");
        }
    }

    @Override
    public Optional<Schedule> find(String project, String name) {
        return table.get(project, name);
    }

    @Override
    public Page<Schedule> list(String project, PageRequest page) {
        return table.page(project, page);
    }

    @Override
    public List<Schedule> due(Instant now) {
        return table.all().stream().filter(s -> !s.paused() && s.nextRunAt() != null && !s.nextRunAt().isAfter(now)).toList();
    }

    @Override
    public boolean advance(String project, String name, Instant slot, Instant next, String backup) {
        return table.updateIf(project, name, s -> slot.equals(s.nextRunAt()),
                s -> s.withState(s.paused(), next, backup, null));
    }

    @Override
    public void recordRun(String project, String name, String lastBackup, String lastError) {
        table.update(project, name, s -> s.withState(s.paused(), s.nextRunAt(), lastBackup, lastError));
    }

    @Override
    public void setPaused(String project, String name, boolean paused, Instant nextRunAt) {
        table.update(project, name, s -> s.withState(paused, nextRunAt, s.lastBackup(), s.lastError()));
    }

    @Override
    public boolean delete(String project, String name) {
        return table.remove(project, name);
    }
}
