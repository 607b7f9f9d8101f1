package io.lifeboat.restore;

import io.lifeboat.error.ConflictException;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A RestoreRepository in memory. */
public final class InMemoryRestoreRepository implements RestoreRepository {
    private final Map<String, Restore> byKey = new ConcurrentHashMap<>();

    private static String key(String project, String name) {
        return project + "/" + name;
    }

    @Override
    public void create(Restore restore) {
        if (byKey.putIfAbsent(key(restore.project(), restore.name()), restore) != null) {
            throw new ConflictException("name", "restore '" + restore.name() + "' already exists");
        }
    }

    @Override
    public Optional<Restore> find(String project, String name) {
        return Optional.ofNullable(byKey.get(key(project, name)));
    }

    @Override
    public List<Restore> listByTarget(String project, String targetCluster) {
        return byKey.values().stream().filter(r -> r.project().equals(project) && r.targetCluster().equals(targetCluster))
                .sorted(Comparator.comparing(Restore::createdAt).reversed()).toList();
    }

    @Override
    public synchronized boolean claim(String project, String name, Instant startedAt) {
        Restore r = byKey.get(key(project, name));
        if (r == null || r.phase() != Restore.Phase.New) {
            return false;
        }
        byKey.put(key(project, name), r.started(startedAt));
        return true;
    }

    @Override
    public void updateProgress(String project, String name, Restore.Progress progress) {
        byKey.computeIfPresent(key(project, name), (k, r) -> new Restore(r.project(), r.name(), r.backup(), r.targetCluster(),
                r.request(), r.phase(), progress, r.counts(), r.createdAt(), r.startedAt(), r.completedAt(), r.warnings(),
                r.errors(), r.results()));
    }

    @Override
    public void finish(String project, String name, Restore.Outcome outcome) {
        byKey.computeIfPresent(key(project, name), (k, r) -> r.finishedWith(outcome));
    }

    @Override
    public synchronized boolean failIfNew(String project, String name, Restore.Outcome outcome) {
        Restore r = byKey.get(key(project, name));
        if (r == null || r.phase() != Restore.Phase.New) {
            return false;
        }
        byKey.put(key(project, name), r.finishedWith(outcome));
        return true;
    }

    @Override
    public List<Restore> neverStarted(Instant createdBefore) {
        return byKey.values().stream().filter(r -> r.phase() == Restore.Phase.New && r.createdAt().isBefore(createdBefore))
                .toList();
    }

    @Override
    public List<Restore> stuck(Instant startedBefore) {
        return byKey.values().stream().filter(r -> r.phase() == Restore.Phase.InProgress && r.startedAt() != null
                && r.startedAt().isBefore(startedBefore)).toList();
    }
}
