package io.lifeboat.backup;

import io.lifeboat.error.ConflictException;
import io.lifeboat.paging.InMemoryTable;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A BackupRepository in memory; it also remembers every progress update. */
public final class InMemoryBackupRepository implements BackupRepository {
    private final InMemoryTable<Backup> table = new InMemoryTable<>();
    private final List<Backup.Progress> progressUpdates = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, Instant> sweepAt = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void create(Backup backup) {
        if (!table.putNew(backup.project(), backup.name(), backup)) {
            throw new ConflictException("name", "backup '" + backup.name() + "' already exists");
        }
    }

    @Override
    public java.util.Optional<Backup> find(String project, String name) {
        return table.get(project, name);
    }

    @Override
    public Page<Backup> list(String project, String cluster, PageRequest page) {
        return table.page(project, page, b -> cluster == null || cluster.equals(b.cluster()));
    }

    @Override
    public boolean claim(String project, String name, Instant startedAt) {
        return table.updateIf(project, name, b -> b.phase() == Backup.Phase.New, b -> b.started(startedAt));
    }

    @Override
    public void updateProgress(String project, String name, Backup.Progress progress) {
        progressUpdates.add(progress);
        table.update(project, name, b -> b.withProgress(progress));
    }

    @Override
    public void finish(String project, String name, Backup.Outcome outcome) {
        table.update(project, name, b -> b.finishedWith(outcome));
    }

    @Override
    public List<Backup> expired(Instant now) {
        return table.all().stream().filter(b -> {
            Instant due = sweepAt.getOrDefault(b.project() + "/" + b.name(), b.expiresAt());
            return due != null && !due.isAfter(now);
        }).toList();
    }

    /** As the DynamoDB repository: the expiry index's time moves, the expiry asked for stays. */
    @Override
    public void retryDeletionAt(String project, String name, Instant at) {
        sweepAt.put(project + "/" + name, at);
    }

    /** When the sweep looks at a backup again, if a deletion moved it. */
    public Instant sweepAt(String project, String name) {
        return sweepAt.get(project + "/" + name);
    }

    @Override
    public List<Backup> stuck(Instant startedBefore) {
        return table.all().stream().filter(b -> b.phase() == Backup.Phase.InProgress && b.startedAt() != null
                && b.startedAt().isBefore(startedBefore)).toList();
    }

    @Override
    public List<Backup> neverStarted(Instant createdBefore) {
        return table.all().stream().filter(b -> b.phase() == Backup.Phase.New && b.createdAt().isBefore(createdBefore))
                .toList();
    }

    @Override
    public boolean markDeleting(String project, String name, List<String> pending) {
        return table.updateIf(project, name, b -> b.phase().finished() || b.phase() == Backup.Phase.Deleting,
                b -> b.finishedWith(new Backup.Outcome(Backup.Phase.Deleting, b.progress(), b.completedAt(),
                        b.sizeBytes(), b.archiveSha256(), b.warnings(), b.errors(), pending.isEmpty() ? b.firstErrors() : pending,
                        b.volumeSnapshots(), b.typeCounts(), b.diskSnapshots())));
    }

    @Override
    public boolean failIfNew(String project, String name, String reason, Instant at) {
        return table.updateIf(project, name, b -> b.phase() == Backup.Phase.New,
                b -> b.finishedWith(new Backup.Outcome(Backup.Phase.Failed, b.progress(), at, 0, null,
                        0, 1, List.of(reason), List.of())));
    }

    @Override
    public boolean failIfRunning(String project, String name, String reason, Instant at) {
        return table.updateIf(project, name, b -> b.phase() == Backup.Phase.InProgress,
                b -> b.finishedWith(new Backup.Outcome(Backup.Phase.Failed, b.progress(), at, 0, null,
                        b.warnings(), b.errors() + 1, List.of(reason), b.volumeSnapshots())));
    }

    @Override
    public boolean delete(String project, String name) {
        return table.remove(project, name);
    }

    @Override
    public List<Backup> ofSchedule(String project, String schedule) {
        return table.all().stream().filter(b -> b.project().equals(project) && schedule.equals(b.schedule())).toList();
    }

    @Override
    public boolean recordVerification(String project, String name, Backup.Verification verification) {
        return table.updateIf(project, name, Backup::hasArchive, b -> b.withVerification(verification));
    }

    public List<Backup.Progress> progressUpdates() {
        return progressUpdates;
    }
}
