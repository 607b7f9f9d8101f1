package io.lifeboat.api;

import io.lifeboat.api.view.ListView;
import io.lifeboat.api.view.RestoreView;
import io.lifeboat.app.worker.Workers;
import io.lifeboat.input.JsonInput;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreRequest;
import io.lifeboat.restore.RestoreService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Restores of a project's backups into its clusters. The work runs in the run-restore function. */
@Path("/v1/projects/{project}/restores")
@Produces(MediaType.APPLICATION_JSON)
public class RestoreResource {
    @Inject
    RestoreService restores;
    @Inject
    Workers workers;

    /** 202 with the record; 503 WorkerNotStarted with the record, Failed, when run-restore could not be started. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("project") String project, String body) {
        Restore restore = restores.start(restores.request(project, JsonInput.read(body, RestoreRequest.class)),
                workers::runRestore);
        if (restore.phase() == Restore.Phase.Failed) {
            return NotStarted.of("restore", RestoreView.of(restore), restore.firstRunError().orElse("run-restore could not be started"));
        }
        return Response.accepted(RestoreView.of(restore)).build();
    }

    /** In name order; into one cluster with {@code ?cluster=} (its progress shows there); paged ({@link Paging}). */
    @GET
    public ListView<RestoreView> list(@PathParam("project") String project, @QueryParam("cluster") String cluster,
                                      @QueryParam("limit") String limit, @QueryParam("nextToken") String nextToken) {
        String list = cluster == null ? "restores" : "restores?cluster=" + cluster;
        return Paging.view(project, list, restores.list(project, cluster, Paging.request(project, list, limit, nextToken)),
                RestoreView::of);
    }

    @GET
    @Path("{name}")
    public RestoreView get(@PathParam("project") String project, @PathParam("name") String name) {
        return RestoreView.of(restores.get(project, name));
    }

    @GET
    @Path("{name}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    public Response logs(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(restores.openLog(project, name), MediaType.TEXT_PLAIN);
    }

    /** Every warning and error (Velero's results file); the record keeps the counts and the first messages. */
    @GET
    @Path("{name}/results")
    public Response results(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(restores.openResults(project, name), MediaType.APPLICATION_JSON);
    }
}
