package io.lifeboat.backup;

import io.lifeboat.error.ConflictException;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A BackupRepository in memory; it also remembers every progress update. */
public final class InMemoryBackupRepository implements BackupRepository {
    private final Map<String, Backup> byKey = new ConcurrentHashMap<>();
    private final List<Backup.Progress> progressUpdates = new CopyOnWriteArrayList<>();

    private static String key(String project, String name) {
        return project + "/" + name;
    }

    @Override
    public void create(Backup backup) {
        if (byKey.putIfAbsent(key(backup.project(), backup.name()), backup) != null) {
            throw new ConflictException("name", "backup '" + backup.name() + "' already exists");
        }
    }

    @Override
    public Optional<Backup> find(String project, String name) {
        return Optional.ofNullable(byKey.get(key(project, name)));
    }

    @Override
    public List<Backup> list(String project, String cluster) {
        return byKey.values().stream().filter(b -> b.project().equals(project))
                .filter(b -> cluster == null || cluster.equals(b.cluster()))
                .sorted(Comparator.comparing(Backup::createdAt).reversed()).toList();
    }

    @Override
    public synchronized boolean claim(String project, String name, Instant startedAt) {
        Backup b = byKey.get(key(project, name));
        if (b == null || b.phase() != Backup.Phase.New) {
            return false;
        }
        byKey.put(key(project, name), b.started(startedAt));
        return true;
    }

    @Override
    public void updateProgress(String project, String name, Backup.Progress progress) {
        progressUpdates.add(progress);
        byKey.computeIfPresent(key(project, name), (k, b) -> new Backup(b.project(), b.name(), b.cluster(), b.location(),
                b.namespaces(), b.includeClusterResources(), b.includeDisks(), b.createdAt(), b.expiresAt(), b.phase(),
                progress, b.startedAt(), b.completedAt(), b.sizeBytes(), b.archiveSha256(), b.warnings(), b.errors(),
                b.firstErrors(), b.volumeSnapshots(), b.origin()));
    }

    @Override
    public void finish(String project, String name, Backup.Outcome outcome) {
        byKey.computeIfPresent(key(project, name), (k, b) -> b.finishedWith(outcome));
    }

    @Override
    public List<Backup> expired(Instant now) {
        return byKey.values().stream().filter(b -> b.expiresAt() != null && !b.expiresAt().isAfter(now)).toList();
    }

    @Override
    public List<Backup> stuck(Instant startedBefore) {
        return byKey.values().stream().filter(b -> b.phase() == Backup.Phase.InProgress && b.startedAt() != null
                && b.startedAt().isBefore(startedBefore)).toList();
    }

    @Override
    public List<Backup> neverStarted(Instant createdBefore) {
        return byKey.values().stream().filter(b -> b.phase() == Backup.Phase.New && b.createdAt().isBefore(createdBefore))
                .toList();
    }

    @Override
    public synchronized boolean markDeleting(String project, String name, List<String> pending) {
        Backup b = byKey.get(key(project, name));
        if (b == null || !(b.phase().finished() || b.phase() == Backup.Phase.Deleting)) {
            return false;
        }
        byKey.put(key(project, name), b.finishedWith(new Backup.Outcome(Backup.Phase.Deleting, b.progress(), b.completedAt(),
                b.sizeBytes(), b.archiveSha256(), b.warnings(), b.errors(), pending.isEmpty() ? b.firstErrors() : pending,
                b.volumeSnapshots(), b.typeCounts())));
        return true;
    }

    @Override
    public synchronized boolean failIfNew(String project, String name, String reason, Instant at) {
        Backup b = byKey.get(key(project, name));
        if (b == null || b.phase() != Backup.Phase.New) {
            return false;
        }
        byKey.put(key(project, name), b.finishedWith(new Backup.Outcome(Backup.Phase.Failed, b.progress(), at, 0, null,
                0, 1, List.of(reason), List.of())));
        return true;
    }

    @Override
    public synchronized boolean failIfRunning(String project, String name, String reason, Instant at) {
        Backup b = byKey.get(key(project, name));
        if (b == null || b.phase() != Backup.Phase.InProgress) {
            return false;
        }
        byKey.put(key(project, name), b.finishedWith(new Backup.Outcome(Backup.Phase.Failed, b.progress(), at, 0, null,
                b.warnings(), b.errors() + 1, List.of(reason), b.volumeSnapshots())));
        return true;
    }

    @Override
    public boolean delete(String project, String name) {
        return byKey.remove(key(project, name)) != null;
    }

    public List<Backup.Progress> progressUpdates() {
        return progressUpdates;
    }
}
