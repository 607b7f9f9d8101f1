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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

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
    @Operation(summary = "Start a restore",
            description = "Records the restore as New and starts run-restore; the answer comes at once.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RestoreRequest.class)))
    @APIResponse(responseCode = "202", description = "The restore, New",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RestoreView.class)))
    @APIResponse(responseCode = "409", description = "The name is taken, or the backup is not Completed or"
                    + " PartiallyFailed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    @APIResponse(responseCode = "503", description = "WorkerNotStarted: the worker could not be started;"
                    + " the record, Failed with the reason, is beside the error",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
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
    @Operation(summary = "List the project's restores (into one cluster with ?cluster=)")
    @APIResponse(responseCode = "200", description = "{\"items\": [...], \"nextToken\"?}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RestoreList")))
    public ListView<RestoreView> list(@PathParam("project") String project, @QueryParam("cluster") String cluster,
                                      @QueryParam("limit") String limit, @QueryParam("nextToken") String nextToken) {
        String list = cluster == null ? "restores" : "restores?cluster=" + cluster;
        return Paging.view(project, list, restores.list(project, cluster, Paging.request(project, list, limit, nextToken)),
                RestoreView::of);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Show a restore: phase, progress, counts, first messages")
    @APIResponse(responseCode = "200", description = "The restore",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RestoreView.class)))
    public RestoreView get(@PathParam("project") String project, @PathParam("name") String name) {
        return RestoreView.of(restores.get(project, name));
    }

    @GET
    @Path("{name}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The restore's log, as plain text")
    @APIResponse(responseCode = "200", description = "The log",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "422", description = "TooLarge: the file in the bucket decompresses past the limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response logs(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(restores.openLog(project, name), MediaType.TEXT_PLAIN);
    }

    /**
     * A dry run's plan, streamed from the location: what the restore would do with each item, and why, with a JSON
     * Patch against the live object where one exists.
     */
    @GET
    @Path("{name}/plan")
    @Operation(summary = "A dry run's plan: what the restore would do with each item",
            description = "{restore, backup, targetCluster, existingResourcePolicy, items: [{resource, namespace?, name, "
                    + "action: create|identical|update|conflict|refused|excluded, reason?, patch?}], summary}; the patch "
                    + "(RFC 6902) goes from the live object to what the restore would make of it, both without what "
                    + "servers own")
    @APIResponse(responseCode = "200", description = "The plan",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "409", description = "The restore is not a dry run, or has not written its plan",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response plan(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(restores.openPlan(project, name), MediaType.APPLICATION_JSON);
    }

    /** Every warning and error (Velero's results file); the record keeps the counts and the first messages. */
    @GET
    @Path("{name}/results")
    @Operation(summary = "Every warning and error of the restore (Velero's results file)")
    @APIResponse(responseCode = "200", description = "The results",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "422", description = "TooLarge: the file in the bucket decompresses past the limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response results(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(restores.openResults(project, name), MediaType.APPLICATION_JSON);
    }
}
