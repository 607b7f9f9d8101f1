package io.lifeboat.api;

import io.lifeboat.api.view.ListView;
import io.lifeboat.api.view.WorkspaceRunView;
import io.lifeboat.api.view.WorkspaceView;
import io.lifeboat.app.worker.Workers;
import io.lifeboat.input.JsonInput;
import io.lifeboat.workspace.WorkspaceRequests;
import io.lifeboat.workspace.WorkspaceRun;
import io.lifeboat.workspace.WorkspaceRunEnds;
import io.lifeboat.workspace.WorkspaceService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Workspaces (groups of clusters), and their backups and restores, one child per member cluster. */
@Path("/v1/projects/{project}/workspaces")
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceResource {
    @Inject
    WorkspaceService workspaces;
    @Inject
    Workers workers;
    @Inject
    WorkspaceRunEnds runEnds;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a workspace: member clusters and the namespaces they share")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WorkspaceRequests.Create.class)))
    @APIResponse(responseCode = "201", description = "The workspace",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceView.class)))
    @APIResponse(responseCode = "409", description = "The name is taken",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response create(@PathParam("project") String project, String body) {
        return Response.status(201).entity(WorkspaceView.of(
                workspaces.create(project, JsonInput.read(body, WorkspaceRequests.Create.class)))).build();
    }

    /** In name order, paged ({@link Paging}). */
    @GET
    @Operation(summary = "List the project's workspaces")
    @APIResponse(responseCode = "200", description = "{\"items\": [...]}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "WorkspaceList")))
    public ListView<WorkspaceView> list(@PathParam("project") String project, @QueryParam("limit") String limit,
                                        @QueryParam("nextToken") String nextToken) {
        return Paging.view(project, "workspaces",
                workspaces.list(project, Paging.request(project, "workspaces", limit, nextToken)), WorkspaceView::of);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Show a workspace")
    @APIResponse(responseCode = "200", description = "The workspace",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceView.class)))
    public WorkspaceView get(@PathParam("project") String project, @PathParam("name") String name) {
        return WorkspaceView.of(workspaces.get(project, name));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a workspace (its runs stay)")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        workspaces.delete(project, name);
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/clusters")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a member cluster")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WorkspaceRequests.Member.class)))
    @APIResponse(responseCode = "200", description = "The workspace",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceView.class)))
    @APIResponse(responseCode = "409", description = "The cluster is a member already",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public WorkspaceView addCluster(@PathParam("project") String project, @PathParam("name") String name, String body) {
        return WorkspaceView.of(workspaces.addCluster(project, name,
                JsonInput.read(body, WorkspaceRequests.Member.class).cluster()));
    }

    @DELETE
    @Path("{name}/clusters/{cluster}")
    @Operation(summary = "Remove a member cluster")
    @APIResponse(responseCode = "200", description = "The workspace",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceView.class)))
    public WorkspaceView removeCluster(@PathParam("project") String project, @PathParam("name") String name,
                                       @PathParam("cluster") String cluster) {
        return WorkspaceView.of(workspaces.removeCluster(project, name, cluster));
    }

    @POST
    @Path("{name}/backups")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Back up every member cluster",
            description = "One backup per member, started in parallel; an unreachable member is skipped and reported.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WorkspaceRequests.Backup.class)))
    @APIResponse(responseCode = "202", description = "The workspace backup and its children",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceRunView.class)))
    @APIResponse(responseCode = "409", description = "The name is taken, or the location is not Available",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response backup(@PathParam("project") String project, @PathParam("name") String name, String body) {
        WorkspaceRun run = workspaces.backup(project, name, JsonInput.read(body, WorkspaceRequests.Backup.class), workers::runBackup);
        runEnds.check(run); // children that ended before the run was recorded, or none that started
        return Response.accepted(WorkspaceRunView.of(workspaces.state(run))).build();
    }

    /** This workspace's backups, in name order, paged ({@link Paging}). */
    @GET
    @Path("{name}/backups")
    public ListView<WorkspaceRunView> listBackups(@PathParam("project") String project, @PathParam("name") String name,
                                                  @QueryParam("limit") String limit, @QueryParam("nextToken") String nextToken) {
        return runs(project, name, WorkspaceRun.Kind.backup, limit, nextToken);
    }

    @GET
    @Path("{name}/backups/{backup}")
    @Operation(summary = "Show a workspace backup and each child's phase")
    @APIResponse(responseCode = "200", description = "The workspace backup",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceRunView.class)))
    public WorkspaceRunView getBackup(@PathParam("project") String project, @PathParam("name") String name,
                                      @PathParam("backup") String backup) {
        return WorkspaceRunView.of(workspaces.state(workspaces.getRun(project, name, WorkspaceRun.Kind.backup, backup)));
    }

    @POST
    @Path("{name}/restores")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Restore a workspace backup into the members (or the clusters mapped)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WorkspaceRequests.Restore.class)))
    @APIResponse(responseCode = "202", description = "The workspace restore and its children",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceRunView.class)))
    @APIResponse(responseCode = "409", description = "The name is taken",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response restore(@PathParam("project") String project, @PathParam("name") String name, String body) {
        WorkspaceRun run = workspaces.restore(project, name, JsonInput.read(body, WorkspaceRequests.Restore.class),
                workers::runRestore);
        runEnds.check(run);
        return Response.accepted(WorkspaceRunView.of(workspaces.state(run))).build();
    }

    /** This workspace's restores, in name order, paged ({@link Paging}). */
    @GET
    @Path("{name}/restores")
    public ListView<WorkspaceRunView> listRestores(@PathParam("project") String project, @PathParam("name") String name,
                                                   @QueryParam("limit") String limit, @QueryParam("nextToken") String nextToken) {
        return runs(project, name, WorkspaceRun.Kind.restore, limit, nextToken);
    }

    @GET
    @Path("{name}/restores/{restore}")
    @Operation(summary = "Show a workspace restore and each child's phase")
    @APIResponse(responseCode = "200", description = "The workspace restore",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceRunView.class)))
    public WorkspaceRunView getRestore(@PathParam("project") String project, @PathParam("name") String name,
                                       @PathParam("restore") String restore) {
        return WorkspaceRunView.of(workspaces.state(workspaces.getRun(project, name, WorkspaceRun.Kind.restore, restore)));
    }

    private ListView<WorkspaceRunView> runs(String project, String workspace, WorkspaceRun.Kind kind, String limit,
                                            String nextToken) {
        String list = "workspaces/" + workspace + "/" + kind + "s";
        return Paging.view(project, list, workspaces.listRuns(project, workspace, kind,
                Paging.request(project, list, limit, nextToken)), WorkspaceRunView::of);
    }
}
