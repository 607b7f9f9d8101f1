package io.lifeboat.api;

import io.lifeboat.api.view.ListView;
import io.lifeboat.api.view.WorkspaceRunView;
import io.lifeboat.api.view.WorkspaceView;
import io.lifeboat.app.worker.Workers;
import io.lifeboat.input.JsonInput;
import io.lifeboat.workspace.WorkspaceRequests;
import io.lifeboat.workspace.WorkspaceRun;
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

/** Workspaces (groups of clusters), and their backups and restores, one child per member cluster. */
@Path("/v1/projects/{project}/workspaces")
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceResource {
    @Inject
    WorkspaceService workspaces;
    @Inject
    Workers workers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("project") String project, String body) {
        return Response.status(201).entity(WorkspaceView.of(
                workspaces.create(project, JsonInput.read(body, WorkspaceRequests.Create.class)))).build();
    }

    /** In name order, paged ({@link Paging}). */
    @GET
    public ListView<WorkspaceView> list(@PathParam("project") String project, @QueryParam("limit") String limit,
                                        @QueryParam("nextToken") String nextToken) {
        return Paging.view(project, "workspaces",
                workspaces.list(project, Paging.request(project, "workspaces", limit, nextToken)), WorkspaceView::of);
    }

    @GET
    @Path("{name}")
    public WorkspaceView get(@PathParam("project") String project, @PathParam("name") String name) {
        return WorkspaceView.of(workspaces.get(project, name));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        workspaces.delete(project, name);
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/clusters")
    @Consumes(MediaType.APPLICATION_JSON)
    public WorkspaceView addCluster(@PathParam("project") String project, @PathParam("name") String name, String body) {
        return WorkspaceView.of(workspaces.addCluster(project, name,
                JsonInput.read(body, WorkspaceRequests.Member.class).cluster()));
    }

    @DELETE
    @Path("{name}/clusters/{cluster}")
    public WorkspaceView removeCluster(@PathParam("project") String project, @PathParam("name") String name,
                                       @PathParam("cluster") String cluster) {
        return WorkspaceView.of(workspaces.removeCluster(project, name, cluster));
    }

    @POST
    @Path("{name}/backups")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response backup(@PathParam("project") String project, @PathParam("name") String name, String body) {
        WorkspaceRun run = workspaces.backup(project, name, JsonInput.read(body, WorkspaceRequests.Backup.class), workers::runBackup);
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
    public WorkspaceRunView getBackup(@PathParam("project") String project, @PathParam("name") String name,
                                      @PathParam("backup") String backup) {
        return WorkspaceRunView.of(workspaces.state(workspaces.getRun(project, name, WorkspaceRun.Kind.backup, backup)));
    }

    @POST
    @Path("{name}/restores")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response restore(@PathParam("project") String project, @PathParam("name") String name, String body) {
        WorkspaceRun run = workspaces.restore(project, name, JsonInput.read(body, WorkspaceRequests.Restore.class),
                workers::runRestore);
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
