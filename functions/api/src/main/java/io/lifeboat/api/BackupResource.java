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
import io.lifeboat.diff.BackupDiffs;
import io.lifeboat.verification.BackupVerifications;
import io.lifeboat.api.view.BackupDiffView;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

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
    @Inject
    BackupVerifications verifications;
    @Inject
    BackupDiffs diffs;

    /** 202 with the record; 503 WorkerNotStarted with the record, Failed, when run-backup could not be started. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a backup",
            description = "Records the backup as New and starts run-backup; the answer comes at once.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BackupRequest.class)))
    @APIResponse(responseCode = "202", description = "The backup, New",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BackupView.class)))
    @APIResponse(responseCode = "409", description = "The name is taken, or the location is not Available",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    @APIResponse(responseCode = "503", description = "WorkerNotStarted: the worker could not be started;"
                    + " the record, Failed with the reason, is beside the error",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response create(@PathParam("project") String project, String body) {
        Backup backup = backups.start(backups.request(project, JsonInput.read(body, BackupRequest.class)), workers::runBackup);
        if (backup.phase() == Backup.Phase.Failed) {
            return NotStarted.of("backup", BackupView.of(backup), backup.firstErrors().get(0));
        }
        return Response.accepted(BackupView.of(backup)).build();
    }

    /** In name order; of one cluster with {@code ?cluster=}; paged ({@link Paging}). */
    @GET
    @Operation(summary = "List the project's backups (of one cluster with ?cluster=)")
    @APIResponse(responseCode = "200", description = "{\"items\": [...]}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "BackupList")))
    public ListView<BackupView> list(@PathParam("project") String project, @QueryParam("cluster") String cluster,
                                     @QueryParam("limit") String limit, @QueryParam("nextToken") String nextToken) {
        String list = cluster == null ? "backups" : "backups?cluster=" + cluster;
        return Paging.view(project, list, backups.list(project, cluster, Paging.request(project, list, limit, nextToken)),
                BackupView::of);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Show a backup: phase, progress, counts, size, checksum")
    @APIResponse(responseCode = "200", description = "The backup",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BackupView.class)))
    public BackupView get(@PathParam("project") String project, @PathParam("name") String name) {
        return BackupView.of(backups.get(project, name));
    }

    /**
     * Deletes the backup at once, by the path expiry takes: 204 when everything is gone, 202 when it is left
     * Deleting (its store or cluster failed; the next sweep finishes).
     */
    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a backup, its files and its volume snapshots")
    @APIResponse(responseCode = "204", description = "Everything is gone")
    @APIResponse(responseCode = "202", description = "Left Deleting: the next sweep finishes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BackupView.class)))
    public Response delete(@PathParam("project") String project, @PathParam("name") String name) {
        return sweeper.deleteNow(project, name) ? Response.noContent().build()
                : Response.accepted(BackupView.of(backups.get(project, name))).build();
    }

    /**
     * Verifies the backup's files without restoring them (in run-backup's worker): 202 with the backup, its
     * {@code status.verification} Pending until the outcome is kept there.
     */
    @POST
    @Path("{name}/verify")
    @Operation(summary = "Verify a backup's files without restoring it",
            description = "Streams the archive and checks its SHA-256, each item's digest against Lifeboat's manifest, "
                    + "that every entry parses as a Kubernetes object, and the per-type counts against the resource "
                    + "list; a backup Velero wrote is checked by what it has. The outcome is kept in "
                    + "status.verification.")
    @APIResponse(responseCode = "202", description = "The backup, its verification Pending",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BackupView.class)))
    @APIResponse(responseCode = "409", description = "The backup is not Completed or PartiallyFailed, or a verification"
                    + " of it is under way",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    @APIResponse(responseCode = "503", description = "WorkerNotStarted: the verification could not be started; the"
                    + " backup, its verification Failed with the reason, is beside the error",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response verify(@PathParam("project") String project, @PathParam("name") String name) {
        Backup backup = verifications.start(verifications.request(project, name), workers::verifyBackup);
        if (!backup.verification().pending()) {
            return NotStarted.of("backup", BackupView.of(backup), backup.verification().problems().get(0));
        }
        return Response.accepted(BackupView.of(backup)).build();
    }

    /**
     * What changed from this backup to another of the project, computed by streaming both archives (see
     * {@link BackupDiffs}); the answer is the whole comparison.
     */
    @GET
    @Path("{name}/diff/{other}")
    @Operation(summary = "What changed from this backup to another",
            description = "Objects added, removed and changed per type, each change as a JSON Patch after removing "
                    + "what servers own (as a restore compares objects); both archives are streamed, in bounded memory.")
    @APIResponse(responseCode = "200", description = "The comparison",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BackupDiffView.class)))
    @APIResponse(responseCode = "409", description = "One of the backups is not Completed or PartiallyFailed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    @APIResponse(responseCode = "422", description = "UnreadableArchive: an archive was refused by the safe reader, "
                    + "is not the one its backup recorded, or holds an item that is not a JSON object",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public BackupDiffView diff(@PathParam("project") String project, @PathParam("name") String name,
                               @PathParam("other") String other) {
        return BackupDiffView.of(diffs.diff(project, name, other));
    }

    /** The backup's log, as plain text, streamed from its location. */
    @GET
    @Path("{name}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The backup's log, as plain text")
    @APIResponse(responseCode = "200", description = "The log",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "422", description = "TooLarge: the file in the bucket decompresses past the limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response logs(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(backups.openFile(project, name, BackupFile.LOGS), MediaType.TEXT_PLAIN);
    }

    /**
     * The archive itself (Velero's gzip tarball), streamed from the location as it is read, never held whole; the
     * record's {@code status.archiveSha256} is its SHA-256. 409 until the backup is Completed or PartiallyFailed.
     */
    @GET
    @Path("{name}/archive")
    @Produces("application/gzip")
    @Operation(summary = "The backup's archive (Velero's gzip tarball), streamed",
            description = "Its SHA-256 is the record's status.archiveSha256.")
    @APIResponse(responseCode = "200", description = "The tarball",
            content = @Content(mediaType = "application/gzip", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "409", description = "The backup is not Completed or PartiallyFailed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response archive(@PathParam("project") String project, @PathParam("name") String name) {
        return Response.fromResponse(Streams.of(backups.openArchive(project, name), "application/gzip"))
                .header("Content-Disposition", "attachment; filename=\"" + name + ".tar.gz\"").build();
    }

    /** The resource list: "group/version/Kind" to the names backed up. */
    @GET
    @Path("{name}/resources")
    @Operation(summary = "The backup's resource list: group/version/Kind to the names backed up")
    @APIResponse(responseCode = "200", description = "The resource list",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "422", description = "TooLarge: the file in the bucket decompresses past the limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response resources(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(backups.openFile(project, name, BackupFile.RESOURCE_LIST), MediaType.APPLICATION_JSON);
    }

    /** Every warning and error (Velero's results file); the record shows the counts and the first errors. */
    @GET
    @Path("{name}/results")
    @Operation(summary = "Every warning and error of the backup (Velero's results file)")
    @APIResponse(responseCode = "200", description = "The results",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "422", description = "TooLarge: the file in the bucket decompresses past the limit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ErrorBody")))
    public Response results(@PathParam("project") String project, @PathParam("name") String name) {
        return Streams.of(backups.openFile(project, name, BackupFile.RESULTS), MediaType.APPLICATION_JSON);
    }
}
