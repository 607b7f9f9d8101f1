package io.lifeboat.api;

import io.lifeboat.api.view.ListView;
import io.lifeboat.api.view.NotificationView;
import io.lifeboat.input.JsonInput;
import io.lifeboat.notification.NotificationRequest;
import io.lifeboat.notification.NotificationService;
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

/**
 * Webhooks of a project: each event of its runs (see README, Operations) is POSTed to them, signed with the secret
 * given or generated at creation, which is answered then and never again.
 */
@Path("/v1/projects/{project}/notifications")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {
    @Inject
    NotificationService notifications;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a webhook", description = "The URL is checked like every endpoint (no private, "
            + "link-local or metadata address). The answer carries spec.secret, the only time it is shown.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NotificationRequest.class)))
    @APIResponse(responseCode = "201", description = "The webhook, with its signing secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NotificationView.class)))
    @APIResponse(responseCode = "409", description = "The name is taken",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response create(@PathParam("project") String project, String body) {
        return Response.status(201).entity(NotificationView.created(
                notifications.create(project, JsonInput.read(body, NotificationRequest.class)))).build();
    }

    @GET
    @Operation(summary = "List the project's webhooks")
    @APIResponse(responseCode = "200", description = "{\"items\": [...], \"nextToken\"?}, without secrets",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "NotificationList")))
    public ListView<NotificationView> list(@PathParam("project") String project, @QueryParam("limit") String limit,
                                           @QueryParam("nextToken") String nextToken) {
        return Paging.view(project, "notifications",
                notifications.list(project, Paging.request(project, "notifications", limit, nextToken)),
                NotificationView::of);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Show a webhook and its last delivery")
    @APIResponse(responseCode = "200", description = "The webhook, without its secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NotificationView.class)))
    public NotificationView get(@PathParam("project") String project, @PathParam("name") String name) {
        return NotificationView.of(notifications.get(project, name));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a webhook")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        notifications.delete(project, name);
        return Response.noContent().build();
    }
}
