package io.lifeboat.api;

import io.lifeboat.api.view.ListView;
import io.lifeboat.api.view.LocationView;
import io.lifeboat.app.worker.Workers;
import io.lifeboat.backup.VeleroBackupSync;
import io.lifeboat.input.JsonInput;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRequest;
import io.lifeboat.location.LocationService;
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

/** Backup locations of a project. Bodies are read strictly by the engine, so every error names its field. */
@Path("/v1/projects/{project}/locations")
@Produces(MediaType.APPLICATION_JSON)
public class LocationResource {
    @Inject
    LocationService locations;
    @Inject
    Workers workers;
    @Inject
    VeleroBackupSync veleroSync;

    /** Stores the location, then validates it at once: the answer shows Available or Unavailable. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("project") String project, String body) {
        Location created = locations.create(project, JsonInput.read(body, LocationRequest.class));
        return Response.status(201).entity(LocationView.of(workers.validateLocation(project, created.name()))).build();
    }

    /** In name order, paged ({@link Paging}). */
    @GET
    public ListView<LocationView> list(@PathParam("project") String project, @QueryParam("limit") String limit,
                                       @QueryParam("nextToken") String nextToken) {
        return Paging.view(project, "locations", locations.list(project, Paging.request(project, "locations", limit, nextToken)),
                LocationView::of);
    }

    @GET
    @Path("{name}")
    public LocationView get(@PathParam("project") String project, @PathParam("name") String name) {
        return LocationView.of(locations.get(project, name));
    }

    /** Validates again; an Available location is then synced too (its report: {@code …/sync}, and the log). */
    @POST
    @Path("{name}/validate")
    public LocationView validate(@PathParam("project") String project, @PathParam("name") String name) {
        locations.get(project, name);
        return LocationView.of(workers.validateLocation(project, name));
    }

    /** Imports the backups Velero wrote into the location that Lifeboat does not know yet; says what it skipped, and why. */
    @POST
    @Path("{name}/sync")
    public VeleroBackupSync.Report sync(@PathParam("project") String project, @PathParam("name") String name) {
        return veleroSync.sync(project, name);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        locations.delete(project, name);
        return Response.noContent().build();
    }
}
