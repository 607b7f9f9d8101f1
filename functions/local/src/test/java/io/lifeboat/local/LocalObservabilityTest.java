package io.lifeboat.local;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What local mode shows of itself: a start-up with one banner and no third party's chatter, the run metrics on
 * /q/metrics, the OpenAPI document and Swagger UI.
 */
@QuarkusTest
@QuarkusTestResource(StartupOutput.class)
class LocalObservabilityTest {
    static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} [\\d:,]+ +(\\w+) +\\[([^\\]]+)\\].*");

    @Test
    void startUpShowsOneBannerAndNoThirdPartyNoise() {
        String text = StartupOutput.log();
        int banner = text.indexOf("Lifeboat local mode is up");
        assertTrue(banner >= 0, "no banner in:\n" + text);
        String startUp = text.substring(0, text.indexOf('\n', text.indexOf("  Quiet ", banner)));
        assertTrue(startUp.contains("  API        http://127.0.0.1:"), startUp);
        assertTrue(startUp.contains("  Console    http://127.0.0.1:"), startUp);
        assertTrue(startUp.contains("  Data       "), startUp);
        assertTrue(startUp.contains("/q/openapi") && startUp.contains("/q/metrics"), startUp);
        int logLines = 0;
        for (String line : startUp.lines().toList()) {
            Matcher log = LOG_LINE.matcher(line);
            if (log.matches()) {
                logLines++;
                assertTrue(log.group(2).startsWith("io.lifeboat"), "a third party's line: " + line);
                assertEquals("INFO", log.group(1), line);
            } else {
                assertTrue(line.startsWith("  ") || line.isBlank(), "not the banner: " + line);
            }
        }
        assertEquals(1, logLines, "one banner, nothing else:\n" + startUp);

        // nor anything printed around the log: DynamoDB Local's configuration, ANTLR's version check, SLF4J
        String printed = StartupOutput.printed();
        for (String chatter : List.of("Initializing DynamoDB Local", "ANTLR", "az.sdk.message", "SLF4J", "WARN")) {
            assertTrue(!printed.contains(chatter), "third-party chatter '" + chatter + "' in:\n" + printed);
        }
    }

    @Test
    void aBackupsNumbersAreOnTheMetricsEndpoint() throws Exception {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"metered\",\"cluster\":\"sandbox\",\"location\":\"local\"}")
                .post("/v1/projects/default/backups").then().statusCode(202);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String metrics = "";
        while (Instant.now().isBefore(deadline)) {
            metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            if (metrics.contains("lifeboat_runs_total{function=\"run-backup\",phase=\"Completed\"")) {
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(metrics.contains("lifeboat_runs_total{function=\"run-backup\",phase=\"Completed\""), metrics);
        assertTrue(metrics.contains("lifeboat_run_items_total{function=\"run-backup\"}"), metrics);
        assertTrue(metrics.contains("lifeboat_run_bytes_total{function=\"run-backup\"}"), metrics);
        assertTrue(metrics.contains("lifeboat_run_duration_seconds_count{function=\"run-backup\",phase=\"Completed\"}"),
                metrics);
        Matcher items = Pattern.compile("lifeboat_run_items_total\\{function=\"run-backup\"} ([0-9.E]+)").matcher(metrics);
        assertTrue(items.find() && Double.parseDouble(items.group(1)) > 0, metrics);
        // the validation at start-up is counted too
        assertTrue(metrics.contains("lifeboat_runs_total{function=\"validate-location\",phase=\"Available\"}"), metrics);
    }

    @Test
    void theOpenApiDocumentAndSwaggerUiAreServed() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("info.title", org.hamcrest.Matchers.equalTo("Lifeboat API"));
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
