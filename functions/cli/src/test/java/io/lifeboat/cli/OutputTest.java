package io.lifeboat.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of table output: column widths, cut cells, times absolute and relative, sizes, aligned details. */
class OutputTest {
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    final Times times = new Times(Clock.fixed(NOW, ZoneOffset.UTC), ZoneId.of("Europe/Paris"));

    /** A backup's native snapshots get their own table in describe: the claim, the disk, the snapshot, or why not. */
    @Test
    void describeShowsDiskSnapshotsWhenThereAreAny() throws Exception {
        com.fasterxml.jackson.databind.JsonNode backup = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"name":"nightly","project":"p","spec":{"cluster":"prod","location":"aws","includeDisks":true},
                 "status":{"phase":"PartiallyFailed","origin":"lifeboat","volumeSnapshots":[],"diskSnapshots":[
                  {"namespace":"shop","persistentVolumeClaim":"data","persistentVolume":"pv-data","cloud":"aws",
                   "volumeId":"vol-0a1b2c3d4e5f60718","volumeAZ":"us-east-1a","snapshotId":"snap-0123","phase":"Completed"},
                  {"namespace":"shop","persistentVolumeClaim":"logs","persistentVolume":"pv-logs","phase":"Failed",
                   "error":"not completed within 600 s"}]}}""");
        StringWriter text = new StringWriter();
        new BackupDescription(times, backup, null, null, false).print(new PrintWriter(text));
        String out = text.toString();
        assertTrue(out.contains("Disk snapshots (2)"), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("shop/data") && l.contains("vol-0a1b2c3d4e5f60718")
                && l.contains("snap-0123") && l.contains("Completed")), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("shop/logs") && l.contains("not completed within 600 s")), out);
    }

    /** Describe says whether a backup is encrypted (and with which key) and until when it is locked. */
    @Test
    void describeSaysHowABackupIsProtected() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode sealed = json.readTree("""
                {"name":"nightly","project":"p","spec":{"cluster":"prod","location":"vault"},
                 "status":{"phase":"Completed","origin":"lifeboat","encrypted":true,
                  "encryption":{"kmsKeyId":"alias/backups","plaintextSizeBytes":2048,"plaintextSha256":"ab12"},
                  "lock":{"mode":"compliance","retainUntil":"2026-11-30T10:00:00Z"}}}""");
        StringWriter text = new StringWriter();
        new BackupDescription(times, sealed, null, null, false).print(new PrintWriter(text));
        String out = text.toString();
        assertTrue(out.lines().anyMatch(l -> l.matches("Encrypted: +yes, data key wrapped by KMS key alias/backups "
                + "\\(Velero cannot read it\\); the tarball inside: 2\\.0 KiB, SHA-256 ab12")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("Locked: +compliance until 2026-11-30 11:00:00 CET \\(in 7d\\)")), out);

        com.fasterxml.jackson.databind.JsonNode plain = json.readTree("""
                {"name":"plain","project":"p","spec":{},"status":{"phase":"Completed","encrypted":false}}""");
        StringWriter plainText = new StringWriter();
        new BackupDescription(times, plain, null, null, false).print(new PrintWriter(plainText));
        assertTrue(plainText.toString().lines().anyMatch(l -> l.matches("Encrypted: +no")), plainText.toString());
        assertTrue(plainText.toString().lines().anyMatch(l -> l.matches("Locked: +no")), plainText.toString());
    }

    @Test
    void columnsAreAsWideAsTheirWidestCellAndLongCellsAreCut() {
        StringWriter text = new StringWriter();
        new Table("NAME", "PHASE", "MESSAGE").row("a", "Completed", null).row("longer-name", "New", "x".repeat(80))
                .print(new PrintWriter(text));
        String[] lines = text.toString().split("\n");
        assertEquals("NAME         PHASE      MESSAGE", lines[0]);
        assertEquals("a            Completed  -", lines[1]);
        assertEquals("longer-name  New        " + "x".repeat(Table.MAX_CELL - 1) + "…", lines[2]);
    }

    @Test
    void timesAreShownAbsoluteInTheUsersZoneAndRelativeToNow() {
        assertEquals("2026-11-23 10:55:00 CET (5m ago)", times.both(NOW.minus(Duration.ofMinutes(5))));
        assertEquals("in 29d", times.relative(NOW.plus(Duration.ofDays(29)).plusSeconds(30)));
        assertEquals("2h 5m ago", times.relative(NOW.minus(Duration.ofMinutes(125))));
        assertEquals("just now", times.relative(NOW));
        assertEquals("45s ago", times.relative(NOW.minusSeconds(45)));
        assertEquals("1y 1d", Times.compact(Duration.ofDays(366)));
        assertEquals("1:02:03", Times.clock(Duration.ofSeconds(3723)));
        assertEquals("0:07", Times.clock(Duration.ofSeconds(7)));
        assertEquals("", times.both((Instant) null));
    }

    @Test
    void sizesAndExpiries() {
        assertEquals("812 B", Sizes.of(812));
        assertEquals("20.0 KiB", Sizes.of(20480));
        assertEquals("1.5 GiB", Sizes.of(1610612736L));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        assertEquals("2026-12-23T10:00Z", ExpiresOption.expiresAt("30d", clock, ZoneOffset.UTC));
        assertEquals("2026-11-23T22:00Z", ExpiresOption.expiresAt("12h", clock, ZoneOffset.UTC));
        assertEquals("2026-12-07T10:00Z", ExpiresOption.expiresAt("2w", clock, ZoneOffset.UTC));
        assertEquals("2027-01-31T00:00+01:00", ExpiresOption.expiresAt("2027-01-31", clock, ZoneId.of("Europe/Paris")));
        assertEquals("2027-01-31T12:00Z", ExpiresOption.expiresAt("2027-01-31T12:00:00Z", clock, ZoneOffset.UTC));
    }

    @Test
    void detailsLineUpTheirValuesWithinEachBlock() {
        StringWriter text = new StringWriter();
        new Details().field("Name", "first").field("Phase", "Completed").blank().field("Cluster-scoped resources", "auto")
                .field("Expires", null).heading("Errors (1)").text(1, "boom").print(new PrintWriter(text));
        assertEquals("""
                Name:   first
                Phase:  Completed

                Cluster-scoped resources:  auto
                Expires:                   <none>

                Errors (1):
                  boom
                """, text.toString());
    }

    @Test
    void fieldsAreNamedWithTheirFlags() {
        assertEquals("namespaces[1]: 'Not_Valid' is not valid (--namespaces)",
                Failures.describe(new ApiError(400, "InvalidField", "namespaces[1]", "namespaces[1]: 'Not_Valid' is not valid")));
        assertEquals("credentials.secretAccessKey: is required (--secret-access-key-file)",
                Failures.describe(new ApiError(400, "InvalidField", "credentials.secretAccessKey", "is required")));
        assertEquals("schedule.custom.hour: 25 is out of range (--hour)",
                Failures.describe(new ApiError(400, "InvalidField", "schedule.custom.hour", "schedule.custom.hour: 25 is out of range")));
        assertEquals("backup 'x' does not exist in project 'p'",
                Failures.describe(new ApiError(404, "NotFound", null, "backup 'x' does not exist in project 'p'")));
        assertEquals("Host: nope", Failures.describe(new ApiError(403, "Forbidden", "Host", "nope")));
    }

    @Test
    void specFieldsGetReadableLabels() {
        assertEquals("S3 URL", Views.label("s3Url"));
        assertEquals("Allow insecure TLS", Views.label("allowInsecureTls"));
        assertEquals("Restore PVs", Views.label("restorePVs"));
        assertTrue(Views.label("clientId").equals("Client ID"));
    }
}
