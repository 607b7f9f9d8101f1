package io.lifeboat.workspace;

import io.lifeboat.error.ConflictException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A WorkspaceRepository in memory. */
public final class InMemoryWorkspaceRepository implements WorkspaceRepository {
    private final Map<String, Workspace> workspaces = new ConcurrentHashMap<>();
    private final Map<String, WorkspaceRun> runs = new ConcurrentHashMap<>();

    @Override
    public void create(Workspace w) {
        if (workspaces.putIfAbsent(w.project() + "/" + w.name(), w) != null) {
            throw new ConflictException("name", "workspace '" + w.name() + "' already exists");
        }
    }

    @Override
    public Optional<Workspace> find(String project, String name) {
        return Optional.ofNullable(workspaces.get(project + "/" + name));
    }

    @Override
    public List<Workspace> list(String project) {
        return workspaces.values().stream().filter(w -> w.project().equals(project))
                .sorted(Comparator.comparing(Workspace::name)).toList();
    }

    @Override
    public void setClusters(String project, String name, List<String> clusters) {
        workspaces.computeIfPresent(project + "/" + name, (k, w) -> new Workspace(project, name, clusters, w.namespaces(), w.createdAt()));
    }

    @Override
    public boolean delete(String project, String name) {
        return workspaces.remove(project + "/" + name) != null;
    }

    @Override
    public void createRun(WorkspaceRun run) {
        if (runs.putIfAbsent(run.project() + "/" + run.kind() + "/" + run.name(), run) != null) {
            throw new ConflictException("name", "workspace " + run.kind() + " '" + run.name() + "' already exists");
        }
    }

    @Override
    public Optional<WorkspaceRun> findRun(String project, String kind, String name) {
        return Optional.ofNullable(runs.get(project + "/" + kind + "/" + name));
    }
}
