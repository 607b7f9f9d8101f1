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
        given().contentType(ContentType.JSON).body("""
                {"name":"store","provider":"minio","bucket":"backups","prefix":"schedules","s3Url":"%s",
                 "credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}}"""
                .formatted(LocalServers.s3.url(), LocalServers.s3.accessKey(), LocalServers.s3.secretKey()))
                .post("/v1/projects/timed/locations").then().statusCode(201);
        given().contentType(ContentType.JSON)
                .body(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("name", "timed")
                        .put("kubeconfig", cluster.kubeconfigYaml()).put("allowInsecureTls", true).toString())
                .post("/v1/projects/timed/clusters").then().statusCode(201);
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
            retention zero      | retentionDays          | '{"name":"s1","cluster":"timed","location":"store","retentionDays":0,"schedule":{"preset":"weekly"}}'
            both kinds          | schedule               | '{"name":"s1","cluster":"timed","location":"store","retentionDays":1,"schedule":{"preset":"weekly","custom":{}}}'
            """)
    void badSchedulesNameTheField(String label, String field, String body) {
        given().contentType(ContentType.JSON).body(body).post("/v1/projects/timed/schedules").then().statusCode(400)
                .body("error.field", equalTo(field));
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
