package io.lifeboat.schedule;

import io.lifeboat.error.ConflictException;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A ScheduleRepository in memory. */
public final class InMemoryScheduleRepository implements ScheduleRepository {
    private final Map<String, Schedule> byKey = new ConcurrentHashMap<>();

    private static String key(String project, String name) {
        return project + "/" + name;
    }

    @Override
    public void create(Schedule schedule) {
        if (byKey.putIfAbsent(key(schedule.project(), schedule.name()), schedule) != null) {
            throw new ConflictException("name", "schedule '" + schedule.name() + "' already exists");
        }
    }

    @Override
    public Optional<Schedule> find(String project, String name) {
        return Optional.ofNullable(byKey.get(key(project, name)));
    }

    @Override
    public List<Schedule> list(String project) {
        return byKey.values().stream().filter(s -> s.project().equals(project)).sorted(Comparator.comparing(Schedule::name)).toList();
    }

    @Override
    public List<Schedule> due(Instant now) {
        return byKey.values().stream().filter(s -> !s.paused() && s.nextRunAt() != null && !s.nextRunAt().isAfter(now)).toList();
    }

    @Override
    public synchronized boolean advance(String project, String name, Instant slot, Instant next) {
        Schedule s = byKey.get(key(project, name));
        if (s == null || !slot.equals(s.nextRunAt())) {
            return false;
        }
        byKey.put(key(project, name), s.withState(s.paused(), next, s.lastBackup(), s.lastError()));
        return true;
    }

    @Override
    public void recordRun(String project, String name, String lastBackup, String lastError) {
        byKey.computeIfPresent(key(project, name), (k, s) -> s.withState(s.paused(), s.nextRunAt(),
                lastBackup != null ? lastBackup : s.lastBackup(), lastError));
    }

    @Override
    public void setPaused(String project, String name, boolean paused, Instant nextRunAt) {
        byKey.computeIfPresent(key(project, name), (k, s) -> s.withState(paused, nextRunAt, s.lastBackup(), s.lastError()));
    }

    @Override
    public boolean delete(String project, String name) {
        return byKey.remove(key(project, name)) != null;
    }
}
