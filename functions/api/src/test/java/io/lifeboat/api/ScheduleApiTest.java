package io.lifeboat.api;

import io.lifeboat.app.function.TickSchedulesFunction;
import io.lifeboat.sandbox.kube.SandboxCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schedules through the API, on DynamoDB Local. The slot maths is tested in the engine, against a clock. */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class ScheduleApiTest {
    static SandboxCluster cluster;
    static boolean registered;
    @Inject
    TickSchedulesFunction tick;
    @Inject
    io.lifeboat.app.function.SweepExpiredFunction sweep;
    @Inject
    io.lifeboat.backup.BackupRepository backups;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.builder().name("timed").start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void register() {
        if (registered) {
            return;
        }
        registered = true;
        ApiFixtures.addLocalLocation("timed", "store", "schedules");
        ApiFixtures.addCluster("timed", "timed", cluster.kubeconfigYaml());
    }

    @Test
    void aScheduleShowsItsNextRunAndPausesAndResumes() {
        given().contentType(ContentType.JSON).body("""
                {"name":"weekly","cluster":"timed","location":"store","retentionDays":14,"schedule":{"preset":"weekly"},
                 "timeZone":"Europe/Berlin"}""").post("/v1/projects/timed/schedules").then().statusCode(201)
                .body("status.nextRunAt", notNullValue()).body("spec.timeZone", equalTo("Europe/Berlin"))
                .body("status.lastBackup", nullValue()).body("spec.prefix", equalTo("weekly"));
        String next = given().get("/v1/projects/timed/schedules/weekly").then().statusCode(200).extract().path("status.nextRunAt");
        assertTrue(Instant.parse(next).isAfter(Instant.now()));
        given().post("/v1/projects/timed/schedules/weekly/pause").then().statusCode(200).body("status.phase", equalTo("Paused"))
                .body("status.nextRunAt", nullValue());
        given().get("/v1/projects/timed/schedules/weekly").then().body("status.phase", equalTo("Paused"));
        given().post("/v1/projects/timed/schedules/weekly/resume").then().statusCode(200).body("status.phase", equalTo("Active"))
                .body("status.nextRunAt", equalTo(next));
        given().contentType(ContentType.JSON).body("""
                {"name":"weekly","cluster":"timed","location":"store","retentionDays":14,"schedule":{"preset":"weekly"}}""")
                .post("/v1/projects/timed/schedules").then().statusCode(409);
        given().get("/v1/projects/timed/schedules").then().body("items.name", org.hamcrest.Matchers.hasItem("weekly"));
        given().delete("/v1/projects/timed/schedules/weekly").then().statusCode(204);
        given().get("/v1/projects/timed/schedules/weekly").then().statusCode(404);
    }

    @Test
    void aTickWithNothingDueStartsNothing() {
        given().contentType(ContentType.JSON).body("""
                {"name":"yearly","cluster":"timed","location":"store","retentionDays":1,
                 "schedule":{"custom":{"month":1,"dayOfMonth":1,"hour":0,"minute":0}}}""")
                .post("/v1/projects/timed/schedules").then().statusCode(201);
        assertTrue(tick.tickSchedules(java.util.Map.of()).started().stream()
                .noneMatch(s -> s.toString().startsWith("timed/yearly")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            minute out of range | schedule.custom.minute | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"custom":{"minute":61}}}'
            unknown preset      | schedule.preset        | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"daily"}}'
            unknown zone        | timeZone               | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"weekly"},"timeZone":"Moon/Base"}'
            retention fraction  | retentionDays          | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1.5,"schedule":{"preset":"weekly"}}'
            retention zero      | retentionDays          | '{"name":"s1","cluster":"timed","location":"store","retentionDays":0,"schedule":{"preset":"weekly"}}'
            both kinds          | schedule               | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"weekly","custom":{}}}'
            keep below zero     | keep.daily             | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"weekly"},"keep":{"last":3,"daily":-1}}'
            keep too many       | keep.monthly           | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"weekly"},"keep":{"monthly":1001}}'
            keep not a number   | keep.weekly            | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"weekly"},"keep":{"weekly":"4"}}'
            keep a fraction     | keep.last              | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"weekly"},"keep":{"last":1.5}}'
            keep unknown rule   | keep.hourly            | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"weekly"},"keep":{"hourly":24}}'
            keep nothing        | keep                   | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"weekly"},"keep":{"last":0}}'
            keep not an object  | keep                   | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"weekly"},"keep":7}'
            """)
    void badSchedulesNameTheField(String label, String field, String body) {
        given().contentType(ContentType.JSON).body(body).post("/v1/projects/timed/schedules").then().statusCode(400)
                .body("error.field", equalTo(field));
        given().get("/v1/projects/timed/schedules/s1").then().statusCode(404); // nothing written
    }

    /** Retention by count is kept with the schedule and shown, the rules not given as 0. */
    @Test
    void aScheduleKeepsItsRetentionByCount() {
        given().contentType(ContentType.JSON).body("""
                {"name":"kept","cluster":"timed","location":"store","retentionDays":7,"schedule":{"preset":"weekly"},
                 "keep":{"last":3,"daily":7,"monthly":12},"verifyAfter":true}""")
                .post("/v1/projects/timed/schedules").then().statusCode(201)
                .body("spec.keep.last", equalTo(3)).body("spec.keep.daily", equalTo(7))
                .body("spec.keep.weekly", equalTo(0)).body("spec.keep.monthly", equalTo(12))
                .body("spec.verifyAfter", equalTo(true)).body("spec.retentionDays", equalTo(7));
        given().get("/v1/projects/timed/schedules/kept").then().statusCode(200)
                .body("spec.keep.last", equalTo(3)).body("spec.keep.daily", equalTo(7))
                .body("spec.keep.weekly", equalTo(0)).body("spec.keep.monthly", equalTo(12))
                .body("spec.verifyAfter", equalTo(true));
        given().contentType(ContentType.JSON).body("""
                {"name":"unkept","cluster":"timed","location":"store","retentionDays":7,"schedule":{"preset":"weekly"}}""")
                .post("/v1/projects/timed/schedules").then().statusCode(201)
                .body("spec.keep", nullValue()).body("spec.verifyAfter", equalTo(false));
    }

    /**
     * The sweep reads the schedule's keep from DynamoDB: of five expired backups the schedule took on five days, one
     * a day (the newest Failed), it keeps the newest Completed (also the last 1 and a day of daily 2) and the day
     * before it, and deletes the other three.
     */
    @Test
    void theSweepKeepsWhatTheSchedulesRetentionSelects() {
        given().contentType(ContentType.JSON).body("""
                {"name":"gfs","cluster":"timed","location":"store","retentionDays":1,"schedule":{"custom":{"hour":12,"minute":0}},
                 "timeZone":"Europe/Berlin","keep":{"last":1,"daily":2}}""")
                .post("/v1/projects/timed/schedules").then().statusCode(201);
        java.time.Instant today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).atTime(11, 0)
                .toInstant(java.time.ZoneOffset.UTC); // 12:00 in Berlin, in winter and summer on the same day
        for (int daysAgo = 5; daysAgo >= 1; daysAgo--) {
            java.time.Instant taken = today.minus(java.time.Duration.ofDays(daysAgo));
            String name = "gfs-" + daysAgo + "-days-ago";
            backups.create(io.lifeboat.backup.Backup.requested("timed", name, "timed", "store", java.util.List.of(), null,
                    false, taken, taken.plus(java.time.Duration.ofHours(1))).asked("gfs", false));
            assertTrue(backups.claim("timed", name, taken));
            backups.finish("timed", name, new io.lifeboat.backup.Backup.Outcome(daysAgo == 1
                    ? io.lifeboat.backup.Backup.Phase.Failed : io.lifeboat.backup.Backup.Phase.Completed,
                    new io.lifeboat.backup.Backup.Progress(1, 1), taken.plusSeconds(60), 10, "ab".repeat(32), 0, 0,
                    java.util.List.of(), java.util.List.of()));
        }
        given().get("/v1/projects/timed/backups/gfs-2-days-ago").then().statusCode(200)
                .body("status.schedule", equalTo("gfs"));

        var swept = sweep.sweepExpired(java.util.Map.of());
        assertTrue(swept.kept().containsAll(java.util.List.of("timed/gfs-2-days-ago (newest, last, daily)",
                "timed/gfs-3-days-ago (daily)")), swept.toString());
        assertTrue(swept.deleted().containsAll(java.util.List.of("timed/gfs-1-days-ago", "timed/gfs-4-days-ago",
                "timed/gfs-5-days-ago")), swept.toString());
        for (String gone : java.util.List.of("gfs-1-days-ago", "gfs-4-days-ago", "gfs-5-days-ago")) {
            given().get("/v1/projects/timed/backups/" + gone).then().statusCode(404);
        }
        for (String kept : java.util.List.of("gfs-2-days-ago", "gfs-3-days-ago")) {
            given().get("/v1/projects/timed/backups/" + kept).then().statusCode(200).body("status.phase", equalTo("Completed"));
        }

        given().delete("/v1/projects/timed/schedules/gfs").then().statusCode(204);
        var afterDelete = sweep.sweepExpired(java.util.Map.of());
        assertTrue(afterDelete.kept().contains("timed/gfs-2-days-ago (newest)"), afterDelete.toString());
        assertTrue(afterDelete.deleted().contains("timed/gfs-3-days-ago"), afterDelete.toString());
        given().get("/v1/projects/timed/backups/gfs-2-days-ago").then().statusCode(200);
    }

    @Test
    void aScheduleOnAnUnknownClusterIs404() {
        given().contentType(ContentType.JSON).body("""
                {"name":"s2","cluster":"nope","location":"store","retentionDays":1,"schedule":{"preset":"weekly"}}""")
                .post("/v1/projects/timed/schedules").then().statusCode(404);
    }

    /** The preview answers the runs the created schedule then has, and names a bad field as create does. */
    @Test
    void aPreviewShowsTheNextRunsBeforeSaving() {
        java.util.List<String> runs = given().contentType(ContentType.JSON).body("""
                {"schedule":{"preset":"weekly"},"timeZone":"America/New_York","count":3}""")
                .post("/v1/projects/timed/schedules/preview").then().statusCode(200)
                .body("timeZone", equalTo("America/New_York")).extract().path("nextRuns");
        assertEquals(3, runs.size());
        for (String run : runs) {
            java.time.ZonedDateTime local = Instant.parse(run).atZone(java.time.ZoneId.of("America/New_York"));
            assertEquals(java.time.DayOfWeek.SUNDAY, local.getDayOfWeek(), run);
            assertEquals(java.time.LocalTime.MIDNIGHT, local.toLocalTime(), run);
        }
        String next = given().contentType(ContentType.JSON).body("""
                {"name":"previewed","cluster":"timed","location":"store","retentionDays":3,"schedule":{"preset":"weekly"},
                 "timeZone":"America/New_York"}""").post("/v1/projects/timed/schedules").then().statusCode(201)
                .extract().path("status.nextRunAt");
        assertEquals(Instant.parse(runs.get(0)), Instant.parse(next));
        given().contentType(ContentType.JSON).body("""
                {"schedule":{"custom":{"hour":24}}}""").post("/v1/projects/timed/schedules/preview").then().statusCode(400)
                .body("error.field", equalTo("schedule.custom.hour"));
        given().contentType(ContentType.JSON).body("""
                {"schedule":{"preset":"weekly"},"count":0}""").post("/v1/projects/timed/schedules/preview").then()
                .statusCode(400).body("error.field", equalTo("count"));
    }
}
