package io.lifeboat.restore;

import io.lifeboat.error.ConflictException;
import io.lifeboat.paging.InMemoryTable;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A RestoreRepository in memory. */
public final class InMemoryRestoreRepository implements RestoreRepository {
    private final InMemoryTable<Restore> table = new InMemoryTable<>();

    @Override
    public void create(Restore restore) {
        if (!table.putNew(restore.project(), restore.name(), restore)) {
            throw new ConflictException("name", "restore '" + restore.name() + "' already exists");
        }
    }

    @Override
    public Optional<Restore> find(String project, String name) {
        return table.get(project, name);
    }

    @Override
    public Page<Restore> list(String project, String targetCluster, PageRequest page) {
        return table.page(project, page, r -> targetCluster == null || targetCluster.equals(r.targetCluster()));
    }

    @Override
    public boolean claim(String project, String name, Instant startedAt) {
        return table.updateIf(project, name, r -> r.phase() == Restore.Phase.New, r -> r.started(startedAt));
    }

    @Override
    public void updateProgress(String project, String name, Restore.Progress progress) {
        table.update(project, name, r -> new Restore(r.project(), r.name(), r.backup(), r.targetCluster(),
                r.request(), r.phase(), progress, r.counts(), r.createdAt(), r.startedAt(), r.completedAt(), r.warnings(),
                r.errors(), r.results()));
    }

    @Override
    public void finish(String project, String name, Restore.Outcome outcome) {
        table.update(project, name, r -> r.finishedWith(outcome));
    }

    @Override
    public boolean failIfNew(String project, String name, Restore.Outcome outcome) {
        return table.updateIf(project, name, r -> r.phase() == Restore.Phase.New, r -> r.finishedWith(outcome));
    }

    @Override
    public List<Restore> neverStarted(Instant createdBefore) {
        return table.all().stream().filter(r -> r.phase() == Restore.Phase.New && r.createdAt().isBefore(createdBefore))
                .toList();
    }

    @Override
    public List<Restore> stuck(Instant startedBefore) {
        return table.all().stream().filter(r -> r.phase() == Restore.Phase.InProgress && r.startedAt() != null
                && r.startedAt().isBefore(startedBefore)).toList();
    }
}
