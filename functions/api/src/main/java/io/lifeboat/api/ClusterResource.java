package io.lifeboat.api;

import io.lifeboat.api.view.ClusterView;
import io.lifeboat.api.view.ListView;
import io.lifeboat.api.view.StorageClassView;
import io.lifeboat.cluster.ClusterRequest;
import io.lifeboat.cluster.ClusterService;
import io.lifeboat.input.JsonInput;
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

/** Clusters of a project, registered with their kubeconfigs (stored sealed, never returned). */
@Path("/v1/projects/{project}/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {
    @Inject
    ClusterService clusters;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a cluster by its kubeconfig",
            description = "The kubeconfig is checked, stored sealed, and never returned; the cluster's health"
                    + " is checked at once.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ClusterRequest.class)))
    @APIResponse(responseCode = "201", description = "The cluster and its health",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClusterView.class)))
    @APIResponse(responseCode = "409", description = "The name is taken",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response register(@PathParam("project") String project, String body) {
        return Response.status(201)
                .entity(ClusterView.of(clusters.register(project, JsonInput.read(body, ClusterRequest.class)))).build();
    }

    /** In name order, paged ({@link Paging}). */
    @GET
    @Operation(summary = "List the project's clusters")
    @APIResponse(responseCode = "200", description = "{\"items\": [...]}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ClusterList")))
    public ListView<ClusterView> list(@PathParam("project") String project, @QueryParam("limit") String limit,
                                      @QueryParam("nextToken") String nextToken) {
        return Paging.view(project, "clusters", clusters.list(project, Paging.request(project, "clusters", limit, nextToken)),
                ClusterView::of);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Show a cluster and its health")
    @APIResponse(responseCode = "200", description = "The cluster",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClusterView.class)))
    public ClusterView get(@PathParam("project") String project, @PathParam("name") String name) {
        return ClusterView.of(clusters.get(project, name));
    }

    @POST
    @Path("{name}/check")
    @Operation(summary = "Check a cluster's health now")
    @APIResponse(responseCode = "200", description = "The cluster, Healthy or Unreachable",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClusterView.class)))
    public ClusterView check(@PathParam("project") String project, @PathParam("name") String name) {
        return ClusterView.of(clusters.check(clusters.get(project, name)));
    }

    /** Read from the cluster at each call; one page, since a cluster has few classes. */
    @GET
    @Path("{name}/storageclasses")
    @Operation(summary = "List the storage classes a cluster offers now",
            description = "What a restore into this cluster may name in storageClassMapping. 409 when the cluster"
                    + " cannot be read.")
    @APIResponse(responseCode = "200", description = "{\"items\": [...]}, in name order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "StorageClassList")))
    @APIResponse(responseCode = "409", description = "The cluster could not be read",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public ListView<StorageClassView> storageClasses(@PathParam("project") String project, @PathParam("name") String name) {
        return new ListView<>(clusters.storageClasses(project, name).stream().map(StorageClassView::of).toList(), null);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a cluster")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        clusters.delete(project, name);
        return Response.noContent().build();
    }
}
