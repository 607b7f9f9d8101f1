package io.lifeboat.api;

import io.lifeboat.api.view.ListView;
import io.lifeboat.api.view.ScheduleView;
import io.lifeboat.input.JsonInput;
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

/** Backup schedules of a project's clusters. */
@Path("/v1/projects/{project}/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {
    @Inject
    ScheduleService schedules;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("project") String project, String body) {
        return Response.status(201).entity(ScheduleView.of(schedules.create(project, JsonInput.read(body, ScheduleRequest.class))))
                .build();
    }

    /** In name order, paged ({@link Paging}). */
    @GET
    public ListView<ScheduleView> list(@PathParam("project") String project, @QueryParam("limit") String limit,
                                       @QueryParam("nextToken") String nextToken) {
        return Paging.view(project, "schedules", schedules.list(project, Paging.request(project, "schedules", limit, nextToken)),
                ScheduleView::of);
    }

    @GET
    @Path("{name}")
    public ScheduleView get(@PathParam("project") String project, @PathParam("name") String name) {
        return ScheduleView.of(schedules.get(project, name));
    }

    @POST
    @Path("{name}/pause")
    public ScheduleView pause(@PathParam("project") String project, @PathParam("name") String name) {
        return ScheduleView.of(schedules.pause(project, name));
    }

    @POST
    @Path("{name}/resume")
    public ScheduleView resume(@PathParam("project") String project, @PathParam("name") String name) {
        return ScheduleView.of(schedules.resume(project, name));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        schedules.delete(project, name);
        return Response.noContent().build();
    }
}
