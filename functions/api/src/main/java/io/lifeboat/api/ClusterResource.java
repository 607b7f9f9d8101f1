package io.lifeboat.api;

import io.lifeboat.api.view.ClusterView;
import io.lifeboat.api.view.ListView;
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

/** Clusters of a project, registered with their kubeconfigs (stored sealed, never returned). */
@Path("/v1/projects/{project}/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {
    @Inject
    ClusterService clusters;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@PathParam("project") String project, String body) {
        return Response.status(201)
                .entity(ClusterView.of(clusters.register(project, JsonInput.read(body, ClusterRequest.class)))).build();
    }

    /** In name order, paged ({@link Paging}). */
    @GET
    public ListView<ClusterView> list(@PathParam("project") String project, @QueryParam("limit") String limit,
                                      @QueryParam("nextToken") String nextToken) {
        return Paging.view(project, "clusters", clusters.list(project, Paging.request(project, "clusters", limit, nextToken)),
                ClusterView::of);
    }

    @GET
    @Path("{name}")
    public ClusterView get(@PathParam("project") String project, @PathParam("name") String name) {
        return ClusterView.of(clusters.get(project, name));
    }

    @POST
    @Path("{name}/check")
    public ClusterView check(@PathParam("project") String project, @PathParam("name") String name) {
        return ClusterView.of(clusters.check(clusters.get(project, name)));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        clusters.delete(project, name);
        return Response.noContent().build();
    }
}
