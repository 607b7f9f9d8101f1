package io.lifeboat.workspace;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of workspaces and of their backup and restore runs. */
public interface WorkspaceRepository {
    void create(Workspace workspace);

    Optional<Workspace> find(String project, String name);

    /** One page of the project's workspaces, in name order. */
    Page<Workspace> list(String project, PageRequest page);

    /** Replaces the member clusters. */
    void setClusters(String project, String name, List<String> clusters);

    boolean delete(String project, String name);

    void createRun(WorkspaceRun run);

    Optional<WorkspaceRun> findRun(String project, WorkspaceRun.Kind kind, String name);

    /**
     * Records that the run's end was signalled, at {@code at}: true the first time, false when it was already
     * recorded (or the run is gone), so that two children ending at once signal their run's end once.
     */
    boolean markEnded(String project, WorkspaceRun.Kind kind, String name, Instant at);

    /** One page of one workspace's runs of one kind, in name order. */
    Page<WorkspaceRun> listRuns(String project, String workspace, WorkspaceRun.Kind kind, PageRequest page);
}
