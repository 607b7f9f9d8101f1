package io.lifeboat.api;

import io.lifeboat.app.worker.Workers;
import io.lifeboat.input.JsonInput;
import io.lifeboat.workspace.Workspace;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

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
        return Response.status(201).entity(workspaces.create(project, JsonInput.read(body, WorkspaceRequests.Create.class))).build();
    }

    @GET
    public Map<String, Object> list(@PathParam("project") String project) {
        return Map.of("items", workspaces.list(project));
    }

    @GET
    @Path("{name}")
    public Workspace get(@PathParam("project") String project, @PathParam("name") String name) {
        return workspaces.get(project, name);
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
    public Workspace addCluster(@PathParam("project") String project, @PathParam("name") String name, String body) {
        return workspaces.addCluster(project, name, JsonInput.read(body, WorkspaceRequests.Member.class).cluster());
    }

    @DELETE
    @Path("{name}/clusters/{cluster}")
    public Workspace removeCluster(@PathParam("project") String project, @PathParam("name") String name,
                                   @PathParam("cluster") String cluster) {
        return workspaces.removeCluster(project, name, cluster);
    }

    @POST
    @Path("{name}/backups")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response backup(@PathParam("project") String project, @PathParam("name") String name, String body) {
        WorkspaceRun run = workspaces.backup(project, name, JsonInput.read(body, WorkspaceRequests.Backup.class), workers::runBackup);
        return Response.accepted(workspaces.view(run)).build();
    }

    @GET
    @Path("{name}/backups/{backup}")
    public Map<String, Object> getBackup(@PathParam("project") String project, @PathParam("name") String name,
                                         @PathParam("backup") String backup) {
        return workspaces.view(workspaces.getRun(project, name, WorkspaceRun.BACKUP, backup));
    }

    @POST
    @Path("{name}/restores")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response restore(@PathParam("project") String project, @PathParam("name") String name, String body) {
        WorkspaceRun run = workspaces.restore(project, name, JsonInput.read(body, WorkspaceRequests.Restore.class),
                workers::runRestore);
        return Response.accepted(workspaces.view(run)).build();
    }

    @GET
    @Path("{name}/restores/{restore}")
    public Map<String, Object> getRestore(@PathParam("project") String project, @PathParam("name") String name,
                                          @PathParam("restore") String restore) {
        return workspaces.view(workspaces.getRun(project, name, WorkspaceRun.RESTORE, restore));
    }
}
