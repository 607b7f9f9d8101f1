package io.lifeboat.workspace;

import java.util.List;
import java.util.Optional;

/** Persistence of workspaces and of their backup and restore runs. */
public interface WorkspaceRepository {
    void create(Workspace workspace);

    Optional<Workspace> find(String project, String name);

    List<Workspace> list(String project);

    /** Replaces the member clusters. */
    void setClusters(String project, String name, List<String> clusters);

    boolean delete(String project, String name);

    void createRun(WorkspaceRun run);

    Optional<WorkspaceRun> findRun(String project, String kind, String name);
}
