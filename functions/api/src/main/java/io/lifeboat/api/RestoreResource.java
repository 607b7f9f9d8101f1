package io.lifeboat.api;

import io.lifeboat.app.worker.Workers;
import io.lifeboat.input.JsonInput;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreRequest;
import io.lifeboat.restore.RestoreService;
import io.lifeboat.restore.RestoreView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.util.Map;

/** Restores of a project's backups into its clusters. The work runs in the run-restore function. */
@Path("/v1/projects/{project}")
@Produces(MediaType.APPLICATION_JSON)
public class RestoreResource {
    @Inject
    RestoreService restores;
    @Inject
    Workers workers;

    @POST
    @Path("restores")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("project") String project, String body) {
        Restore restore = restores.request(project, JsonInput.read(body, RestoreRequest.class));
        workers.runRestore(project, restore.name());
        return Response.accepted(RestoreView.of(restore)).build();
    }

    @GET
    @Path("restores/{name}")
    public Map<String, Object> get(@PathParam("project") String project, @PathParam("name") String name) {
        return RestoreView.of(restores.get(project, name));
    }

    @GET
    @Path("restores/{name}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    public Response logs(@PathParam("project") String project, @PathParam("name") String name) {
        InputStream log = restores.openLog(project, name);
        return Response.ok(log, MediaType.TEXT_PLAIN).build();
    }

    /**
     * The restores into one cluster, newest first: their progress shows there. The cluster is {@code {name}}, as in
     * every other cluster path, because API Gateway wants one variable name per path segment.
     */
    @GET
    @Path("clusters/{name}/restores")
    public Map<String, Object> byCluster(@PathParam("project") String project, @PathParam("name") String cluster) {
        return Map.of("items", restores.listByTarget(project, cluster).stream().map(RestoreView::of).toList());
    }
}
