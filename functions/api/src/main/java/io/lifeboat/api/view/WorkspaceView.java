package io.lifeboat.api.view;


import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.workspace.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A workspace: its member clusters and the namespaces its backups take. It has no status of its own. */
@Schema(name = "Workspace")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkspaceView(String name, String project, Instant createdAt, Spec spec, Map<String, Object> status) {

    @Schema(name = "WorkspaceSpec")
    public record Spec(List<String> clusters, List<String> namespaces) {
    }

    public static WorkspaceView of(Workspace w) {
        return new WorkspaceView(w.name(), w.project(), w.createdAt(), new Spec(w.clusters(), w.namespaces()),
                Map.of()); // empty: a workspace is only a grouping, its runs have their own status
    }
}
