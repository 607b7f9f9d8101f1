package io.lifeboat.dynamodb;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.error.ConflictException;
import io.lifeboat.workspace.Workspace;
import io.lifeboat.workspace.WorkspaceRepository;
import io.lifeboat.workspace.WorkspaceRun;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.lifeboat.dynamodb.Attributes.instant;
import static io.lifeboat.dynamodb.Attributes.key;
import static io.lifeboat.dynamodb.Attributes.s;
import static io.lifeboat.dynamodb.Attributes.string;

/** Workspaces, and their backup and restore runs (kept apart: runs outlive their workspace), as JSON documents. */
public final class DynamoWorkspaceRepository implements WorkspaceRepository {

    private final ProjectTable workspaces;
    private final ProjectTable runs;

    public DynamoWorkspaceRepository(DynamoDbClient dynamo, Tables tables) {
        this.workspaces = new ProjectTable(dynamo, tables.workspaces());
        this.runs = new ProjectTable(dynamo, tables.workspaceRuns());
    }

    @Override
    public void create(Workspace w) {
        Map<String, AttributeValue> item = new HashMap<>(key(w.project(), w.name()));
        item.put("document", s(Documents.json(w)));
        workspaces.putNew(item, () -> new ConflictException("name", "workspace '" + w.name() + "' already exists"));
    }

    @Override
    public Optional<Workspace> find(String project, String name) {
        return workspaces.get(project, name).map(item -> Documents.parse(string(item, "document"), Workspace.class));
    }

    @Override
    public Page<Workspace> list(String project, PageRequest page) {
        return workspaces.page(project, page, item -> Documents.parse(string(item, "document"), Workspace.class));
    }

    @Override
    public void setClusters(String project, String name, List<String> clusters) {
        Workspace w = find(project, name).orElseThrow();
        workspaces.set(project, name, ProjectTable.fields("document",
                Documents.json(new Workspace(project, name, clusters, w.namespaces(), w.createdAt()))), ProjectTable.EXISTS, null);
    }

    @Override
    public boolean delete(String project, String name) {
        return workspaces.delete(project, name);
    }

    @Override
    public void createRun(WorkspaceRun run) {
        Map<String, AttributeValue> item = new HashMap<>(key(run.project(), run.kind() + "/" + run.name()));
        item.put("document", s(Documents.json(run)));
        runs.putNew(item, () -> new ConflictException("name", "workspace " + run.kind() + " '" + run.name() + "' already exists"));
    }

    @Override
    public Optional<WorkspaceRun> findRun(String project, WorkspaceRun.Kind kind, String name) {
        return runs.get(project, kind + "/" + name).map(DynamoWorkspaceRepository::toRun);
    }

    /** {@code endedAt} is an attribute beside the document, set once under a condition. */
    @Override
    public boolean markEnded(String project, WorkspaceRun.Kind kind, String name, Instant at) {
        return runs.setOnce(project, kind + "/" + name, "endedAt", s(at.toString()));
    }

    /** The runs of one kind are the sort keys "<kind>/…"; those of other workspaces are passed over while read. */
    @Override
    public Page<WorkspaceRun> listRuns(String project, String workspace, WorkspaceRun.Kind kind, PageRequest page) {
        return runs.page(project, kind + "/", page, DynamoWorkspaceRepository::toRun, run -> run.workspace().equals(workspace));
    }

    private static WorkspaceRun toRun(Map<String, AttributeValue> item) {
        WorkspaceRun run = Documents.parse(string(item, "document"), WorkspaceRun.class);
        Instant endedAt = instant(item, "endedAt");
        return endedAt == null ? run : run.ended(endedAt);
    }

}
