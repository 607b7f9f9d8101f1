package io.lifeboat.workspace;

import io.lifeboat.error.ConflictException;
import io.lifeboat.paging.InMemoryTable;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A WorkspaceRepository in memory: one table of workspaces, and one of runs per kind. */
public final class InMemoryWorkspaceRepository implements WorkspaceRepository {
    private final InMemoryTable<Workspace> workspaces = new InMemoryTable<>();
    private final Map<WorkspaceRun.Kind, InMemoryTable<WorkspaceRun>> runs = new EnumMap<>(WorkspaceRun.Kind.class);

    public InMemoryWorkspaceRepository() {
        for (WorkspaceRun.Kind kind : WorkspaceRun.Kind.values()) {
            runs.put(kind, new InMemoryTable<>());
        }
    }

    @Override
    public void create(Workspace w) {
        if (!workspaces.putNew(w.project(), w.name(), w)) {
            throw new ConflictException("name", "workspace '" + w.name() + "' already exists");
        }
    }

    @Override
    public Optional<Workspace> find(String project, String name) {
        return workspaces.get(project, name);
    }

    @Override
    public Page<Workspace> list(String project, PageRequest page) {
        return workspaces.page(project, page);
    }

    @Override
    public void setClusters(String project, String name, List<String> clusters) {
        workspaces.update(project, name, w -> new Workspace(project, name, clusters, w.namespaces(), w.createdAt()));
    }

    @Override
    public boolean delete(String project, String name) {
        return workspaces.remove(project, name);
    }

    @Override
    public void createRun(WorkspaceRun run) {
        if (!runs.get(run.kind()).putNew(run.project(), run.name(), run)) {
            throw new ConflictException("name", "workspace " + run.kind() + " '" + run.name() + "' already exists");
        }
    }

    @Override
    public Optional<WorkspaceRun> findRun(String project, WorkspaceRun.Kind kind, String name) {
        return runs.get(kind).get(project, name);
    }

    @Override
    public boolean markEnded(String project, WorkspaceRun.Kind kind, String name, Instant at) {
        return runs.get(kind).updateIf(project, name, run -> run.endedAt() == null, run -> run.ended(at));
    }

    @Override
    public Page<WorkspaceRun> listRuns(String project, String workspace, WorkspaceRun.Kind kind, PageRequest page) {
        return runs.get(kind).page(project, page, run -> run.workspace().equals(workspace));
    }
}
