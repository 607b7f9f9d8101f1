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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

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
    @Operation(summary = "Create a backup location and validate it",
            description = "Stores the location, then validates it at once: the answer shows Available or"
                    + " Unavailable. Secret settings are sealed and never returned.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LocationRequest.class)))
    @APIResponse(responseCode = "201", description = "The location, validated",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LocationView.class)))
    @APIResponse(responseCode = "409", description = "The name, or a prefix of that bucket, is taken",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response create(@PathParam("project") String project, String body) {
        Location created = locations.create(project, JsonInput.read(body, LocationRequest.class));
        return Response.status(201).entity(LocationView.of(workers.validateLocation(project, created.name()))).build();
    }

    /** In name order, paged ({@link Paging}). */
    @GET
    @Operation(summary = "List the project's locations")
    @APIResponse(responseCode = "200", description = "{\"items\": [...]}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "LocationList")))
    public ListView<LocationView> list(@PathParam("project") String project, @QueryParam("limit") String limit,
                                       @QueryParam("nextToken") String nextToken) {
        return Paging.view(project, "locations", locations.list(project, Paging.request(project, "locations", limit, nextToken)),
                LocationView::of);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Show a location and its validation status")
    @APIResponse(responseCode = "200", description = "The location",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LocationView.class)))
    public LocationView get(@PathParam("project") String project, @PathParam("name") String name) {
        return LocationView.of(locations.get(project, name));
    }

    /** Validates again; an Available location is then synced too (its report: {@code …/sync}, and the log). */
    @POST
    @Path("{name}/validate")
    @Operation(summary = "Validate a location now")
    @APIResponse(responseCode = "200", description = "The location, Available or Unavailable",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LocationView.class)))
    public LocationView validate(@PathParam("project") String project, @PathParam("name") String name) {
        locations.get(project, name);
        return LocationView.of(workers.validateLocation(project, name));
    }

    /** Imports the backups Velero wrote into the location that Lifeboat does not know yet; says what it skipped, and why. */
    @POST
    @Path("{name}/sync")
    @Operation(summary = "Import the backups Velero wrote into the location",
            description = "Records each backup folder Lifeboat does not know yet; says what it skipped, and"
                    + " why. Never writes to the bucket.")
    @APIResponse(responseCode = "200", description = "What was imported and skipped",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = VeleroBackupSync.Report.class)))
    @APIResponse(responseCode = "409", description = "The location is not Available",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public VeleroBackupSync.Report sync(@PathParam("project") String project, @PathParam("name") String name) {
        return veleroSync.sync(project, name);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a location")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        locations.delete(project, name);
        return Response.noContent().build();
    }
}
