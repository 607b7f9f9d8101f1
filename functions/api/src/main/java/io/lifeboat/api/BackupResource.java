package io.lifeboat.api;

import io.lifeboat.api.view.BackupView;
import io.lifeboat.api.view.ListView;
import io.lifeboat.app.worker.Workers;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRequest;
import io.lifeboat.backup.BackupService;
import io.lifeboat.expiry.ExpirySweeper;
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

/** Backups of a project's clusters. The work runs in the run-backup function; this answers 202 at once. */
@Path("/v1/projects/{project}/backups")
@Produces(MediaType.APPLICATION_JSON)
public class BackupResource {
    @Inject
    BackupService backups;
    @Inject
    Workers workers;
    @Inject
    ExpirySweeper sweeper;

    /** 202 with the record; 503 WorkerNotStarted with the record, Failed, when run-backup could not be started. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("project") String project, String body) {
        Backup backup = backups.start(backups.request(project, JsonInput.read(body, BackupRequest.class)), workers::runBackup);
        if (backup.phase() == Backup.Phase.Failed) {
            return NotStarted.of("backup", BackupView.of(backup), backup.firstErrors().get(0));
        }
        return Response.accepted(BackupView.of(backup)).build();
    }

    /** In name order; of one cluster with {@code ?cluster=}; paged ({@link Paging}). */
    @GET
    public ListView<BackupView> list(@PathParam("project") String project, @QueryParam("cluster") String cluster,
                                     @QueryParam("limit") String limit, @QueryParam("nextToken") String nextToken) {
        String list = cluster == null ? "backups" : "backups?cluster=" + cluster;
        return Paging.view(project, list, backups.list(project, cluster, Paging.request(project, list, limit, nextToken)),
                BackupView::of);
    }

    @GET
    @Path("{name}")
    public BackupView get(@PathParam("project") String project, @PathParam("name") String name) {
        return BackupView.of(backups.get(project, name));
    }

    /**
     * Deletes the backup at once, by the path expiry takes: 204 when everything is gone, 202 when it is left
     * Deleting (its store or cluster failed; the next sweep finishes).
     */
    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        return sweeper.deleteNow(project, name) ? Response.noContent().build()
                : Response.accepted(BackupView.of(backups.get(project, name))).build();
    }

    /** The backup's log, as plain text, streamed from its location. */
    @GET
    @Path("{name}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    public Response logs(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(backups.openFile(project, name, BackupFile.LOGS), MediaType.TEXT_PLAIN);
    }

    /** The resource list: "group/version/Kind" to the names backed up. */
    @GET
    @Path("{name}/resources")
    public Response resources(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(backups.openFile(project, name, BackupFile.RESOURCE_LIST), MediaType.APPLICATION_JSON);
    }

    /** Every warning and error (Velero's results file); the record shows the counts and the first errors. */
    @GET
    @Path("{name}/results")
    public Response results(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(backups.openFile(project, name, BackupFile.RESULTS), MediaType.APPLICATION_JSON);
    }
}
