package io.lifeboat.api;

import io.lifeboat.api.view.ListView;
import io.lifeboat.api.view.SchedulePreviewView;
import io.lifeboat.api.view.ScheduleView;
import io.lifeboat.input.JsonInput;
import io.lifeboat.schedule.SchedulePreviewRequest;
import io.lifeboat.schedule.ScheduleRequest;
import io.lifeboat.schedule.ScheduleService;
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

import java.time.Instant;
import java.util.List;

/** Backup schedules of a project's clusters. */
@Path("/v1/projects/{project}/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {
    @Inject
    ScheduleService schedules;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a schedule of backups")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ScheduleRequest.class)))
    @APIResponse(responseCode = "201", description = "The schedule and its next run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "409", description = "The name is taken",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response create(@PathParam("project") String project, String body) {
        return Response.status(201).entity(ScheduleView.of(schedules.create(project, JsonInput.read(body, ScheduleRequest.class))))
                .build();
    }

    /**
     * The next runs, by the server's own schedule rules, before a schedule is saved: the console shows them under the
     * form. Nothing is stored; a field at fault is named as in create.
     */
    @POST
    @Path("preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Preview a schedule's next runs before creating it")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SchedulePreviewRequest.class)))
    @APIResponse(responseCode = "200", description = "The next runs, as instants (UTC), in the schedule's order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SchedulePreviewView.class)))
    public SchedulePreviewView preview(@PathParam("project") String project, String body) {
        SchedulePreviewRequest request = JsonInput.read(body, SchedulePreviewRequest.class);
        List<Instant> runs = schedules.preview(project, request);
        return new SchedulePreviewView(request.timeZone() == null ? "UTC" : request.timeZone(), runs);
    }

    /** In name order, paged ({@link Paging}). */
    @GET
    @Operation(summary = "List the project's schedules")
    @APIResponse(responseCode = "200", description = "{\"items\": [...]}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ScheduleList")))
    public ListView<ScheduleView> list(@PathParam("project") String project, @QueryParam("limit") String limit,
                                       @QueryParam("nextToken") String nextToken) {
        return Paging.view(project, "schedules", schedules.list(project, Paging.request(project, "schedules", limit, nextToken)),
                ScheduleView::of);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Show a schedule")
    @APIResponse(responseCode = "200", description = "The schedule",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    public ScheduleView get(@PathParam("project") String project, @PathParam("name") String name) {
        return ScheduleView.of(schedules.get(project, name));
    }

    @POST
    @Path("{name}/pause")
    @Operation(summary = "Pause a schedule")
    @APIResponse(responseCode = "200", description = "The schedule, paused",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    public ScheduleView pause(@PathParam("project") String project, @PathParam("name") String name) {
        return ScheduleView.of(schedules.pause(project, name));
    }

    @POST
    @Path("{name}/resume")
    @Operation(summary = "Resume a schedule")
    @APIResponse(responseCode = "200", description = "The schedule, active",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    public ScheduleView resume(@PathParam("project") String project, @PathParam("name") String name) {
        return ScheduleView.of(schedules.resume(project, name));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a schedule")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        schedules.delete(project, name);
        return Response.noContent().build();
    }
}
